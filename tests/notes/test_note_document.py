"""A note is one MongoDB document with its arrays and embedded documents inside: no side tables."""

from __future__ import annotations

import datetime

import pytest
from django.db import connections
from django.urls import reverse

from notes.models import Note
from tests.notes.posts import editor_form

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def test_a_note_written_and_edited_through_the_pages_is_one_document_with_arrays_inside(alice, alice_client, mongo_db):
    alice_client.post(
        reverse("notes:create"),
        editor_form(
            title="Packing",
            body="Before *Friday*",
            tags="travel, summer",
            checklist=[{"text": "passport", "done": True}, {"text": "charger"}],
            attributes=[{"name": "destination", "value": "Lisbon"}, {"name": "nights", "value": "4"}],
        ),
    )
    note = Note.objects.get(title="Packing")
    alice_client.post(
        reverse("notes:edit", args=[note.pk]),
        editor_form(
            title="Packing list",
            body="Before *Friday*",
            tags="travel, summer",
            initial_checklist=2,
            initial_attributes=2,
            checklist=[{"text": "passport", "done": True}, {"text": "charger", "done": True}],
            attributes=[{"name": "destination", "value": "Lisbon"}, {"name": "nights", "value": "4"}],
        ),
    )

    documents = list(mongo_db["notes_note"].find())
    assert len(documents) == 1
    document = documents[0]
    assert set(document) == {
        "_id",
        "owner_id",
        "title",
        "body",
        "tags",
        "checklist",
        "attributes",
        "visibility",
        "pinned",
        "revisions",
        "created_at",
        "updated_at",
        "view_count",
        "trashed_at",
    }
    assert document["trashed_at"] is None
    assert document["tags"] == ["travel", "summer"]
    assert document["checklist"] == [{"text": "passport", "done": True}, {"text": "charger", "done": True}]
    assert document["attributes"] == {"destination": "Lisbon", "nights": "4"}
    [revision] = document["revisions"]
    assert set(revision) == {"title", "body", "saved_at"}
    assert (revision["title"], revision["body"]) == ("Packing", "Before *Friday*")
    assert isinstance(revision["saved_at"], datetime.datetime)

    assert set(mongo_db.list_collection_names()) - {"django_migrations"} == {"notes_note"}
    assert not any(t.startswith("notes_") for t in connections["default"].introspection.table_names())


def test_the_notes_collection_declares_its_four_indexes(mongo_db):
    keys = [dict(index["key"]) for index in mongo_db["notes_note"].list_indexes() if index["name"] != "_id_"]

    expected = [
        {"owner_id": 1, "pinned": -1, "updated_at": -1, "_id": -1},
        {"owner_id": 1, "visibility": 1, "updated_at": -1, "_id": -1},
        {"tags": 1},
        {"visibility": 1, "updated_at": -1, "_id": -1},
    ]
    assert sorted(keys, key=str) == sorted(expected, key=str)
