from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django_redis import get_redis_connection

from notes.counters import leaderboard_key, note_view_record, view_count_key
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def check(*args: str) -> str:
    out = StringIO()
    call_command("check_integrity", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def orphans(alice, mongo_db):
    """Two notes of a member deleted while MongoDB was away, beside one of alice's."""
    gone = UserFactory(username="gone")
    NoteFactory(owner_id=gone.pk)
    NoteFactory(owner_id=gone.pk)
    NoteFactory(owner_id=alice.pk)
    User = type(gone)
    User.objects.filter(pk=gone.pk).delete()  # the relational delete, without the notes
    return gone.pk


def test_clean_stores_pass(alice):
    NoteFactory(owner_id=alice.pk)

    assert "The stores agree." in check()


def test_orphan_notes_are_reported_with_exit_status_1(orphans):
    with pytest.raises(CommandError) as error:
        check()

    assert error.value.returncode == 1
    assert "2 problems found" in str(error.value)


def test_fix_removes_orphans_and_keeps_notes_of_living_members(orphans, alice, mongo_db):
    output = check("--fix")

    assert "Fixed 2 problems" in output
    assert mongo_db["notes_note"].count_documents({"owner_id": orphans}) == 0
    assert mongo_db["notes_note"].count_documents({"owner_id": alice.pk}) == 1
    assert "The stores agree." in check("--fix")


def test_sessions_of_deleted_members_are_found_and_removed(client, bob, sessions_redis):
    client.force_login(bob)
    session_key = client.cookies["sessionid"].value
    type(bob).objects.filter(pk=bob.pk).delete()

    with pytest.raises(CommandError):
        check()
    check("--fix")

    assert not Session.objects.filter(session_key=session_key).exists()
    assert sessions_redis.get(f":1:django.contrib.sessions.cached_db{session_key}") is None


def test_counters_and_leaderboard_entries_of_deleted_notes_are_found_and_removed(alice, mongo_db):
    kept, gone = NoteFactory(owner_id=alice.pk), NoteFactory(owner_id=alice.pk)
    note_view_record(note_id=kept.pk, owner_id=kept.owner_id)
    note_view_record(note_id=gone.pk, owner_id=gone.owner_id)
    mongo_db["notes_note"].delete_one({"_id": gone.pk})
    redis = get_redis_connection("default")

    with pytest.raises(CommandError, match="2 problems found"):
        check()
    check("--fix")

    assert redis.get(view_count_key(gone.pk)) is None
    assert redis.get(view_count_key(kept.pk)) == b"1"
    assert redis.zrange(leaderboard_key(), 0, -1) == [str(kept.pk).encode()]
    assert "The stores agree." in check()


def test_one_of_each_is_counted_in_the_singular(alice, mongo_db):
    gone = UserFactory(username="gone")
    NoteFactory(owner_id=gone.pk)
    type(gone).objects.filter(pk=gone.pk).delete()
    with pytest.raises(CommandError, match=r"^1 problem found; run with --fix to repair it$"):
        check()

    output = check("--fix")

    assert "orphan notes:   1 (of 1 deleted member)\n" in output
    assert "stale counters: 0 view counts, 0 leaderboard entries\n" in output
    assert output.endswith("Fixed 1 problem.\n")
