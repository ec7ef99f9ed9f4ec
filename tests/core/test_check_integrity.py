from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command

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
