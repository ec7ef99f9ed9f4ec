"""Each kind of data lands in the store DESIGN.md names for it, read back with the raw drivers."""

from __future__ import annotations

import pickle

import pytest
from django.core.cache import cache
from django.db import connections

from notes.models import Note
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def relational_tables() -> set[str]:
    return set(connections["default"].introspection.table_names())


def test_note_saved_through_the_orm_is_a_mongodb_document_and_not_a_table(alice, mongo_db):
    note = NoteFactory(owner_id=alice.pk, title="Groceries", tags=["home"])

    document = mongo_db["notes_note"].find_one({"_id": note.pk})

    assert document["title"] == "Groceries"
    assert document["owner_id"] == alice.pk
    assert document["tags"] == ["home"]
    assert not any(table.startswith("notes_") for table in relational_tables())


def test_user_is_a_relational_row_and_not_a_mongodb_document(alice, mongo_db):
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT username, email FROM users_user WHERE id = %s", [alice.pk])
        assert cursor.fetchone() == ("alice", "alice@example.com")

    assert not any(name.startswith(("users_", "auth_")) for name in mongo_db.list_collection_names())
    assert all(mongo_db[name].count_documents({"username": "alice"}) == 0 for name in mongo_db.list_collection_names())


def test_mongodb_migrations_create_only_notes_collections(mongo_db):
    collections = set(mongo_db.list_collection_names()) - {"django_migrations"}

    assert "notes_note" in collections
    assert all(name.startswith("notes_") for name in collections)
    keys = {index["name"]: list(index["key"].items()) for index in mongo_db["notes_note"].list_indexes()}
    # The lists' filters, then their sorts with the id that breaks ties (NoteQuerySet.pinned_first, newest_first).
    assert keys["note_owner_pinned_updated"] == [("owner_id", 1), ("pinned", -1), ("updated_at", -1), ("_id", -1)]
    assert keys["note_public_updated"] == [("visibility", 1), ("updated_at", -1), ("_id", -1)]
    # A member's public notes, newest first (their profile: MemberNotes.latest_public and public_count).
    assert keys["note_owner_public_updated"] == [("owner_id", 1), ("visibility", 1), ("updated_at", -1), ("_id", -1)]


def test_relational_migrations_create_no_notes_table():
    tables = relational_tables()

    assert "users_user" in tables
    assert "django_session" in tables
    assert not any(table.startswith("notes_") for table in tables)


def test_notes_are_read_and_written_on_the_mongodb_alias(alice):
    note = NoteFactory(owner_id=alice.pk)

    assert note._state.db == "mongodb"
    assert Note.objects.get(pk=note.pk)._state.db == "mongodb"


def test_a_value_cached_through_django_is_in_redis(cache_redis):
    cache.set("greeting", {"hello": "world"}, timeout=60)

    raw = cache_redis.get(cache.make_key("greeting"))

    assert pickle.loads(raw) == {"hello": "world"}
    assert 0 < cache_redis.ttl(cache.make_key("greeting")) <= 60


def test_after_login_the_session_is_readable_from_redis(client, alice, sessions_redis):
    assert client.login(username="alice", password="correct horse battery staple")
    session_key = client.cookies["sessionid"].value

    raw = sessions_redis.get(f":1:django.contrib.sessions.cached_db{session_key}")

    assert pickle.loads(raw)["_auth_user_id"] == str(alice.pk)
