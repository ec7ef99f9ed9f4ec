"""The page-cache topic of notes: the one module that names it, and bumps it on every write to notes."""

from __future__ import annotations

from collections.abc import Iterable

from page_cache.versions import topics_changed
from users.topics import member_topic

NOTES = "notes"  # any note: the public list, the home page for visitors


def notes_changed(owner_ids: Iterable[int]) -> None:
    """Drop the cached pages listing notes and the profiles of the notes' owners."""
    topics_changed(NOTES, *map(member_topic, set(owner_ids)))
