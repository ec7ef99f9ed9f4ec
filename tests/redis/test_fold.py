"""fold_view_counts: the views counted in Redis move into the notes' documents, none lost or doubled."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from notes.counters import note_view_record, view_count_key
from notes.models import Note
from notes.services import note_update
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def fold(*args: str) -> str:
    out = io.StringIO()
    call_command("fold_view_counts", *args, stdout=out)
    return out.getvalue()


def view(note: Note, times: int = 1) -> None:
    for _ in range(times):
        note_view_record(note_id=note.pk, owner_id=note.owner_id)


def stored_views(mongo_db, note: Note) -> int:
    return mongo_db["notes_note"].find_one({"_id": note.pk})["view_count"]


def test_fold_adds_each_counter_to_its_document_and_takes_the_counter(counters_redis, mongo_db):
    first, second, unseen = NoteFactory(), NoteFactory(), NoteFactory()
    view(first, 3)
    view(second)

    assert fold() == "Folded 4 views into 2 notes.\n"

    assert [stored_views(mongo_db, note) for note in (first, second, unseen)] == [3, 1, 0]
    assert not counters_redis.keys(view_count_key("*"))
    view(first, 2)
    assert fold() == "Folded 2 views into 1 note.\n"
    assert stored_views(mongo_db, first) == 5


def test_the_detail_page_shows_folded_and_live_views(counters_redis, client):
    note = NoteFactory(public=True)
    view(note, 3)
    fold()

    response = client.get(reverse("notes:detail", args=[note.pk]))

    assert b"4 views" in response.content


def test_views_counted_while_folding_are_neither_lost_nor_doubled(counters_redis, mongo_db):
    note = NoteFactory()
    viewers = [threading.Thread(target=view, args=(note, 10)) for _ in range(5)]
    for viewer in viewers:
        viewer.start()
    for _ in range(5):
        fold()
    for viewer in viewers:
        viewer.join()
    fold()

    assert stored_views(mongo_db, note) == 50


def test_dry_run_reports_and_changes_nothing(counters_redis, mongo_db):
    note, deleted = NoteFactory(), NoteFactory()
    view(note, 2)
    view(deleted)
    deleted.delete()

    assert fold("--dry-run") == "Would fold 3 views into 1 note.\nWould drop the counters of 1 deleted note.\n"

    assert stored_views(mongo_db, note) == 0
    assert counters_redis.get(view_count_key(note.pk)) == b"2"


def test_counters_of_deleted_notes_are_dropped(counters_redis, mongo_db):
    note, deleted = NoteFactory(), NoteFactory()
    view(note)
    view(deleted, 4)
    deleted.delete()

    assert "Dropped the counters of 1 deleted note." in fold()

    assert mongo_db["notes_note"].count_documents({"_id": deleted.pk}) == 0
    assert not counters_redis.keys(view_count_key("*"))


def test_a_write_the_server_refuses_puts_the_unwritten_views_back(counters_redis, mongo_db):
    notes = sorted([NoteFactory(), NoteFactory(), NoteFactory()], key=lambda note: note.pk)
    for note in notes:
        view(note, 2)
    mongo_db["notes_note"].update_one({"_id": notes[1].pk}, {"$set": {"view_count": "not a number"}})

    with pytest.raises(CommandError, match=r"went back to Redis"):
        call_command("fold_view_counts", "--batch-size", "10", stdout=io.StringIO())

    counters = {note.pk: counters_redis.get(view_count_key(note.pk)) for note in notes}
    written = [note for note in notes if counters[note.pk] is None]
    assert all(stored_views(mongo_db, note) == 2 for note in written)
    assert all(counters[note.pk] == b"2" for note in notes if note not in written)
    assert notes[1] not in written


def test_redis_down_is_a_clear_command_error(own_redis):
    own_redis.stop()

    with pytest.raises(CommandError, match="Redis is unavailable"):
        fold()


def test_saving_an_edit_keeps_views_folded_since_the_note_was_read(counters_redis, mongo_db):
    note = NoteFactory(title="Before")
    view(note, 7)
    fold()  # after `note` was read: its view_count attribute is 0

    note_update(
        note=note,
        title="After",
        body=note.body,
        visibility=note.visibility,
        pinned=note.pinned,
        tags=note.tags,
        checklist=note.checklist,
        attributes=note.attributes,
    )
    note.save()

    assert mongo_db["notes_note"].find_one({"_id": note.pk}, {"title": 1, "view_count": 1}) == {
        "_id": note.pk,
        "title": "After",
        "view_count": 7,
    }


def test_saving_an_edit_of_a_note_deleted_meanwhile_is_refused_not_a_resurrection(mongo_db):
    note = NoteFactory(title="Doomed")
    stale = Note.objects.get(pk=note.pk)
    note.delete()

    with pytest.raises(ValidationError, match="deleted"):
        note_update(
            note=stale,
            title="Edited",
            body="",
            visibility=stale.visibility,
            pinned=False,
            tags=[],
            checklist=[],
            attributes={},
        )

    assert mongo_db["notes_note"].count_documents({"_id": note.pk}) == 0
