"""Write notes as JSON Lines, straight from the collection in `_id` order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from bson import json_util
from bson.json_util import RELAXED_JSON_OPTIONS

from notes.collection import note_documents
from notes.models import NoteQuerySet

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


def note_lines(notes: NoteQuerySet, *, batch_size: int = 1000) -> Iterator[str]:
    """Yield each note `notes` selects as one line of JSON Lines, its newline included."""
    for document in note_documents(notes, batch_size=batch_size):
        yield json_util.dumps(document, json_options=RELAXED_JSON_OPTIONS) + "\n"


def notes_export(
    *,
    output: SupportsWrite[str],
    notes: NoteQuerySet,
    batch_size: int = 1000,
    on_note: Callable[[int], object] | None = None,
) -> int:
    """Write the notes `notes` selects to `output`, one JSON line each; return how many."""
    written = 0
    for line in note_lines(notes, batch_size=batch_size):
        output.write(line)
        written += 1
        if on_note:
            on_note(1)
    return written
