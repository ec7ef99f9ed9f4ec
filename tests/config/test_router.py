from __future__ import annotations

import pytest

from config.routers import StoreRouter
from notes.models import Note
from users.models import User

router = StoreRouter()


def test_notes_are_routed_to_mongodb_for_reads_and_writes():
    assert router.db_for_read(Note) == "mongodb"
    assert router.db_for_write(Note) == "mongodb"


def test_everything_else_is_routed_to_the_relational_store():
    assert router.db_for_read(User) == "default"
    assert router.db_for_write(User) == "default"


@pytest.mark.parametrize(
    ("db", "app_label", "allowed"),
    [
        ("mongodb", "notes", True),
        ("default", "notes", False),
        ("default", "users", True),
        ("mongodb", "users", False),
        ("mongodb", "auth", False),
        ("mongodb", "contenttypes", False),
    ],
)
def test_each_app_migrates_only_on_its_own_store(db, app_label, allowed):
    assert router.allow_migrate(db, app_label) is allowed


def test_relations_across_stores_are_refused():
    assert router.allow_relation(Note(title="x", owner_id=1), User(username="x")) is False
    assert router.allow_relation(User(username="a"), User(username="b")) is True
