"""The page-cache topic of notes: the one module that names it, and bumps it on every write to notes."""

from __future__ import annotations

from collections.abc import Iterable

from page_cache.versions import topics_changed
from users.topics import member_topic

NOTES = "notes"  # any note: the public list, the home page for visitors
VIEWS_FOLDED = "notes:views-folded"  # the views a note's page shows from its document (fold_view_counts)


def notes_changed(owner_ids: Iterable[int]) -> None:
    """Drop the cached pages listing notes and the profiles of the notes' owners."""
    topics_changed(NOTES, *map(member_topic, set(owner_ids)))


def views_folded() -> None:
    """Drop the kept note pages: the views they show from the notes' documents went up."""
    topics_changed(VIEWS_FOLDED)
