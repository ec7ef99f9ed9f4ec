"""purge_trash: notes in the trash longer than the days given are deleted for good, with their view counters."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_redis import get_redis_connection

from notes.counters import leaderboard_key, note_view_record, view_count_key
from notes.models import Note
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def purge(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("purge_trash", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def trashed(days_ago: float, **fields) -> Note:
    return NoteFactory(trashed_at=timezone.now() - datetime.timedelta(days=days_ago), **fields)


def viewed(note: Note) -> Note:
    note_view_record(note_id=note.pk, owner_id=note.owner_id)
    return note


def counters(note: Note) -> tuple[bytes | None, float | None]:
    redis = get_redis_connection("default")
    return redis.get(view_count_key(note.pk)), redis.zscore(leaderboard_key(), str(note.pk))


@pytest.fixture
def notes():
    """Two notes expired (trashed 31 and 45 days ago), one in the trash for 29 days, one live; each viewed once."""
    return {
        "expired": viewed(trashed(31, title="Expired")),
        "long expired": viewed(trashed(45, title="Long expired")),
        "recent": viewed(trashed(29, title="Recent")),
        "live": viewed(NoteFactory(title="Live")),
    }


def left(mongo_db) -> set[str]:
    return {document["title"] for document in mongo_db["notes_note"].find()}


def test_purge_deletes_only_the_expired_notes_and_their_counters(notes, mongo_db):
    output, errors = purge()

    assert output == "Deleted 2 notes trashed more than 30 days ago.\nDropped 2 view counters with them.\n"
    assert errors == ""
    assert left(mongo_db) == {"Recent", "Live"}
    assert counters(notes["expired"]) == counters(notes["long expired"]) == (None, None)
    assert counters(notes["recent"]) == counters(notes["live"]) == (b"1", 1.0)


def test_days_choose_how_long_the_trash_keeps_notes(notes, mongo_db):
    output, _ = purge("--days", "40")

    assert output == "Deleted 1 note trashed more than 40 days ago.\nDropped 1 view counter with them.\n"
    assert left(mongo_db) == {"Expired", "Recent", "Live"}


def test_dry_run_says_what_would_go_and_changes_nothing(notes, mongo_db):
    before = list(mongo_db["notes_note"].find().sort("_id"))

    output, _ = purge("--dry-run", "--days", "1")

    assert output == "Would delete 3 notes trashed more than 1 day ago.\n"
    assert list(mongo_db["notes_note"].find().sort("_id")) == before
    assert counters(notes["expired"]) == (b"1", 1.0)


def test_purging_twice_deletes_nothing_the_second_time(notes):
    purge()

    assert purge() == ("Deleted 0 notes trashed more than 30 days ago.\n", "")


def test_more_than_one_batch_is_purged(mongo_db, monkeypatch):
    monkeypatch.setattr("notes.services.DELETE_BATCH", 2)
    for n in range(5):
        trashed(31, title=f"Expired {n}")

    assert purge()[0] == "Deleted 5 notes trashed more than 30 days ago.\n"
    assert left(mongo_db) == set()


@pytest.mark.parametrize(
    ("days", "problem"),
    [
        ("0", "expected at least 1, got 0"),
        ("-3", "expected at least 1"),
        ("soon", "expected a whole number"),
        ("99999999", "expected at most 36500"),
    ],
)
def test_bad_days_are_a_command_error_that_changes_nothing(notes, mongo_db, days, problem):
    with pytest.raises(CommandError, match=problem):
        purge("--days", days)

    assert len(left(mongo_db)) == 4


def test_redis_down_still_purges_and_leaves_the_counters_to_check_integrity(own_redis, mongo_db):
    trashed(31, title="Expired")
    own_redis.stop()

    output, errors = purge()

    assert output == "Deleted 1 note trashed more than 30 days ago.\n"
    assert "Redis is unavailable" in errors
    assert "check_integrity --fix" in errors
    assert left(mongo_db) == set()
