"""The raw pymongo collection of the notes, for the bulk jobs that go around the ORM (import, export, fold)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet
from django_mongodb_backend.base import DatabaseWrapper
from pymongo.collection import Collection

from notes.models import Note


def notes_collection() -> Collection[dict[str, Any]]:
    """Return the raw pymongo collection holding the notes."""
    connection = cast(DatabaseWrapper, connections[router.db_for_write(Note)])
    return connection.database[Note._meta.db_table]


def note_documents(notes: QuerySet[Note], *, batch_size: int = 1000) -> Iterator[dict[str, Any]]:
    """Read the stored documents of the notes `notes` selects, in `_id` order, a batch at a time.

    The filter is the one the ORM sends for `notes`, so a manager's rules (which notes
    `Note.objects` shows) hold here too; the documents come back as stored, with every field.
    """
    compiler = notes.query.get_compiler(using=notes.db)
    try:
        criteria = compiler.build_query().match_mql
    except EmptyResultSet:
        return iter(())
    return notes_collection().find(criteria).sort("_id", 1).batch_size(batch_size)


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
