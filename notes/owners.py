"""Notes' owners, who live in the relational store: resolved for a whole page at once."""

from __future__ import annotations

from collections.abc import Iterable

from notes.models import Note
from users.names import member_names


def with_owner_names(notes: Iterable[Note]) -> list[Note]:
    """Return the notes whose owner still exists, each with `owner_name` set, in one lookup.

    A note whose owner is gone is an orphan left by a user deletion while the document store
    was down (DESIGN.md, "Across stores"); pages never show it.
    """
    notes = list(notes)
    names = member_names({note.owner_id for note in notes})
    shown = []
    for note in notes:
        if note.owner_id in names:
            note.owner_name = names[note.owner_id]
            shown.append(note)
    return shown
