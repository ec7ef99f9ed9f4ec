"""The engine turns stored documents into the same rows and instances as the backend, with less work per row."""

from __future__ import annotations

import datetime

import pytest
from django.db import connections
from django.db.models.expressions import Expression
from django_mongodb_backend.operations import DatabaseOperations as BackendOperations

from notes.models import ChecklistItem, Note, Revision
from tests.factories import NoteFactory


def test_embedded_document_becomes_an_instance_with_defaults_for_absent_fields():
    operations = connections["mongodb"].ops
    field = Note._meta.get_field("checklist").base_field

    item = operations.convert_embeddedmodelfield_value(
        {"text": "milk"}, Expression(output_field=field), connections["mongodb"]
    )

    assert isinstance(item, ChecklistItem)
    assert (item.text, item.done, item.pk, item._state.adding) == ("milk", False, None, False)
    assert (
        operations.convert_embeddedmodelfield_value(None, Expression(output_field=field), connections["mongodb"])
        is None
    )


def test_embedded_fields_go_through_their_converters_and_to_python():
    connection = connections["mongodb"]
    field = Note._meta.get_field("revisions").base_field
    stored = {"title": 42, "body": "b", "saved_at": datetime.datetime(2026, 1, 2, 3, 4, 5)}

    revision = connection.ops.convert_embeddedmodelfield_value(dict(stored), Expression(output_field=field), connection)
    backend = field.to_python(
        BackendOperations.convert_embeddedmodelfield_value(
            connection.ops, dict(stored), Expression(output_field=field), connection
        )
    )

    assert revision.title == backend.title == "42"  # CharField.to_python
    assert revision.saved_at == backend.saved_at == datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    assert revision.saved_at.tzinfo is not None


@pytest.mark.django_db(databases=["default", "mongodb"])
class TestAgainstTheServer:
    def test_notes_read_back_with_the_instances_the_backend_would_build(self, mongo_db):
        note = NoteFactory(
            owner_id=7,
            checklist=[ChecklistItem(text="milk", done=True), ChecklistItem(text="eggs")],
            revisions=[Revision(title="Old", body="was", saved_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))],
            attributes={"colour": "red"},
        )
        mongo_db["notes_note"].update_one({"_id": note.pk}, {"$push": {"checklist": {"text": "no done field"}}})

        found = Note.objects.get(pk=note.pk)

        assert [(item.text, item.done) for item in found.checklist] == [
            ("milk", True),
            ("eggs", False),
            ("no done field", False),
        ]
        assert all(not item._state.adding for item in found.checklist)
        assert (found.revisions[0].title, found.revisions[0].saved_at.tzinfo) == ("Old", datetime.UTC)
        assert found.attributes == {"colour": "red"}

    def test_only_reads_absent_fields_as_none_and_leaves_the_rest_deferred(self, mongo_db):
        note = NoteFactory(owner_id=8, title="Listed", tags=["a"])
        mongo_db["notes_note"].update_one({"_id": note.pk}, {"$unset": {"tags": ""}})

        listed = Note.objects.only("title", "tags").get(pk=note.pk)

        assert (listed.title, listed.tags) == ("Listed", None)
        assert listed.get_deferred_fields() >= {"body", "checklist", "owner_id"}
        assert list(Note.objects.filter(pk=note.pk).values_list("title", "pinned")) == [("Listed", False)]
