"""Write notes as JSON Lines, straight from the collection in `_id` order."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bson import json_util
from bson.json_util import RELAXED_JSON_OPTIONS

from notes.collection import notes_collection

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


def notes_export(
    *,
    output: SupportsWrite[str],
    owner_id: int | None = None,
    batch_size: int = 1000,
    on_note: Callable[[int], object] | None = None,
) -> int:
    """Write the notes (of `owner_id`, or all) to `output` one JSON line each; return how many."""
    query = {} if owner_id is None else {"owner_id": owner_id}
    written = 0
    for document in notes_collection().find(query).sort("_id", 1).batch_size(batch_size):
        output.write(json_util.dumps(document, json_options=RELAXED_JSON_OPTIONS) + "\n")
        written += 1
        if on_note:
            on_note(1)
    return written


def notes_export_count(*, owner_id: int | None = None) -> int:
    """Count the notes notes_export() would write."""
    return notes_collection().count_documents({} if owner_id is None else {"owner_id": owner_id})
