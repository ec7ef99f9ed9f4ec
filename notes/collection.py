"""The raw pymongo collection of the notes, for the bulk jobs that go around the ORM (import, export, fold)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

from django.db import connections, router
from django_mongodb_backend.base import DatabaseWrapper
from pymongo.collection import Collection

from notes.models import Note


def notes_collection() -> Collection[dict[str, Any]]:
    """Return the raw pymongo collection holding the notes."""
    connection = cast(DatabaseWrapper, connections[router.db_for_write(Note)])
    return connection.database[Note._meta.db_table]


def batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Yield the items in lists of `size` (the last may be shorter)."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
