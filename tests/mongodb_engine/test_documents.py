"""A document read by its id is the instance the ORM would read, in one find_one()."""

from __future__ import annotations

import datetime

import pytest
from bson import ObjectId
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mongodb_engine.documents import instance_by_id
from notes.models import ChecklistItem, Note, Revision
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def stored_values(note: Note) -> list[object]:
    """Every concrete field's value, embedded items as their own fields' values, with their types."""
    values = []
    for field in Note._meta.concrete_fields:
        value = getattr(note, field.attname)
        if field.name in ("checklist", "revisions") and value is not None:
            value = [(type(item), [getattr(item, f.attname) for f in item._meta.concrete_fields]) for item in value]
        values.append((field.name, type(value), value))
    return values


def test_a_note_read_by_id_equals_the_orms_read_field_by_field():
    saved_at = timezone.now() - datetime.timedelta(days=2)
    note = NoteFactory(
        owner_id=7,
        tags=["a", "b"],
        checklist=[ChecklistItem(text="milk", done=True), ChecklistItem(text="eggs")],
        attributes={"colour": "blue", "size": "L"},
        revisions=[Revision(title="Before", body="*old*", saved_at=saved_at)],
        pinned=True,
    )
    Note.everything.filter(pk=note.pk).update(trashed_at=timezone.now(), view_count=5)

    read = instance_by_id(Note, note.pk)

    assert stored_values(read) == stored_values(Note.everything.get(pk=note.pk))
    assert (read._state.adding, read._state.db) == (False, "mongodb")
    assert read.trashed_at.tzinfo is not None
    assert read.view_count == 5


def test_a_document_missing_later_fields_reads_as_the_orm_reads_it(mongo_db):
    pk = (
        mongo_db[Note._meta.db_table]
        .insert_one({"owner_id": 1, "title": "Old", "updated_at": timezone.now()})
        .inserted_id
    )

    assert stored_values(instance_by_id(Note, pk)) == stored_values(Note.everything.get(pk=pk))


def test_it_is_one_find_one_in_the_query_log():
    note = NoteFactory(owner_id=8)

    with CaptureQueriesContext(connections["mongodb"]) as context:
        instance_by_id(Note, note.pk)

    assert [query["sql"].split("(", 1)[0] for query in context.captured_queries] == ["db.notes_note.find_one"]


def test_no_such_id_is_none():
    assert instance_by_id(Note, ObjectId()) is None
