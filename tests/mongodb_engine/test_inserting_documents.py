"""The engine inserts the document the backend would, without the set-up of a read it never makes, one with insert_one."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connections
from django.db.models.sql import InsertQuery
from django.test.utils import CaptureQueriesContext

from notes.models import ChecklistItem, Note


@pytest.mark.django_db(databases=["default", "mongodb"])
def test_an_insert_stores_the_document_and_builds_no_select(mongo_db):
    note = Note(owner_id=7, title="Inserted", tags=["a"], checklist=[ChecklistItem(text="milk")])
    query = InsertQuery(Note)
    query.insert_values([field for field in Note._meta.concrete_fields if not field.primary_key], [note])
    compiler = query.get_compiler("mongodb")

    [(note_id,)] = compiler.execute_sql(returning_fields=[Note._meta.pk])

    assert compiler.select is None  # the read set-up (columns, converters) never ran
    stored = mongo_db["notes_note"].find_one({"_id": note_id})
    assert (stored["title"], stored["tags"], stored["checklist"]) == (
        "Inserted",
        ["a"],
        [{"text": "milk", "done": False}],
    )


@pytest.mark.django_db(databases=["default", "mongodb"])
def test_one_document_goes_as_insert_one_and_several_as_insert_many_both_logged():
    with CaptureQueriesContext(connections["mongodb"]) as queries:
        Note.objects.create(owner_id=7, title="One")
        Note.objects.bulk_create([Note(owner_id=7, title="Two"), Note(owner_id=7, title="Three")])

    inserts = [query["sql"] for query in queries.captured_queries if ".insert_" in query["sql"]]
    assert [sql.split("(")[0] for sql in inserts] == ["db.notes_note.insert_one", "db.notes_note.insert_many"]
    assert "'title': 'One'" in inserts[0]
    assert sorted(Note.objects.filter(owner_id=7).values_list("title", flat=True)) == ["One", "Three", "Two"]


@pytest.mark.django_db(databases=["default", "mongodb"])
def test_one_document_with_a_taken_id_is_an_integrity_error_and_stores_nothing(mongo_db):
    note = Note.objects.create(owner_id=7, title="First")

    with pytest.raises(IntegrityError):
        Note.objects.create(pk=note.pk, owner_id=7, title="Second")

    assert [document["title"] for document in mongo_db["notes_note"].find({"_id": note.pk})] == ["First"]
