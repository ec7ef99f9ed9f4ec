"""Reliability drills' fixtures: logged-in personas, the owner's note, and a snapshot of what is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from notes.models import ChecklistItem, Note
from tests.factories import NoteFactory
from users.models import User

Snapshot = tuple[list[dict[str, Any]], list[dict[str, Any]]]


@pytest.fixture
def alice_note(alice) -> Note:
    """A private note of Alice's with a checklist, attributes and tags to lose."""
    return NoteFactory(
        owner_id=alice.pk,
        title="Groceries",
        body="milk",
        tags=["food"],
        attributes={"shop": "corner"},
        checklist=[ChecklistItem(text="eggs")],
    )


@pytest.fixture
def stored(mongo_db) -> Callable[[], Snapshot]:
    """Return a function that reads every member row and every raw note document, in a stable order.

    Whole rows and documents are compared, so a rejected request that changes any field shows,
    whatever fields a note grows.
    """

    def snapshot() -> Snapshot:
        members = list(User.objects.order_by("pk").values())
        notes = list(mongo_db[Note._meta.db_table].find().sort("_id", 1))
        return members, notes

    return snapshot
