"""The figures on the home page: counts per store, this week's most viewed notes, recently viewed."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, router
from pymongo.errors import PyMongoError

from notes.counters import most_viewed_this_week, recently_viewed
from notes.models import Note
from notes.permissions import Visitor, notes_readable_by
from notes.topics import NOTES
from page_cache.versions import versioned_get, versioned_set
from users.models import User
from users.topics import MEMBERS

logger = logging.getLogger(__name__)

STORE_COUNTS_KEY = "dashboard:store-counts"
STORE_COUNTS_TTL = 60


def store_counts() -> dict[str, int] | None:
    """Return members, notes and public notes, cached until a write or a minute; None when a store fails."""
    key, counts = versioned_get(f"{STORE_COUNTS_KEY}:", [NOTES, MEMBERS])
    if counts is None:
        try:
            counts = {
                # Kept for everyone: read where writes go, never from a replica behind them.
                "members": User.objects.using(router.db_for_write(User)).filter(is_active=True).count(),
                "notes": Note.objects.count(),
                "public_notes": Note.objects.public().count(),
            }
        except (DatabaseError, PyMongoError):
            return None
        if key is not None:
            versioned_set(key, counts, STORE_COUNTS_TTL)
    return counts


def readable_notes(user: Visitor, ids: list[str]) -> list[Note] | None:
    """Return the notes among `ids` that `user` may read, in order; None when a store does not answer."""
    try:
        return notes_readable_by(user, ids)
    except (DatabaseError, PyMongoError) as error:
        logger.warning("Dashboard list unavailable: %s", error)
        return None


def dashboard_figures(user: Visitor) -> dict[str, Any]:
    """Return everything the dashboard shows to `user`; a list is None when Redis or MongoDB is unavailable."""
    leaderboard = most_viewed_this_week(limit=20)
    most_viewed = None
    if leaderboard is not None and (notes := readable_notes(user, [pk for pk, _ in leaderboard])) is not None:
        views = dict(leaderboard)
        most_viewed = [(note, views[str(note.pk)]) for note in notes[:10]]
    recent = None
    if user.is_authenticated:
        recent_ids = recently_viewed(user_id=user.pk)
        recent = None if recent_ids is None else readable_notes(user, recent_ids)
    return {"counts": store_counts(), "most_viewed": most_viewed, "recently_viewed": recent}
