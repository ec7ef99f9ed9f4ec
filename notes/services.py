"""Writes to the document store that other apps call."""

from __future__ import annotations

from notes.models import Note


def notes_delete_for_owner(*, owner_id: int) -> int:
    """Delete every note of one owner; return how many were deleted."""
    deleted, _ = Note.objects.owned_by(owner_id).delete()
    return deleted
