"""The engine inserts the document the backend would, without the set-up of a read it never makes."""

from __future__ import annotations

import pytest
from django.db.models.sql import InsertQuery

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
