"""The home page's sections: what a visitor sees, and a member's own notes; a section is None when its store fails.

Each section reads a fixed number of commands per store, whatever the number of notes, and
answers None (shown as "Unavailable.") when MongoDB, the relational store or Redis does not.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError
from pymongo.errors import PyMongoError

from notes.counters import most_viewed_this_week, recently_viewed
from notes.figures import member_figures
from notes.models import Note
from notes.owners import with_owner_names
from notes.permissions import Visitor, notes_readable_by
from users.models import User

logger = logging.getLogger(__name__)

PUBLIC_NOTES_SHOWN = 6
MOST_VIEWED_SHOWN = 5
MOST_VIEWED_READ = 20  # more than shown: some may have turned private or lost their owner
PINNED_SHOWN = 6
RECENT_SHOWN = 6
STORE_ERRORS = (DatabaseError, PyMongoError)


def _readable(user: Visitor, ids: list[str]) -> list[Note] | None:
    try:
        return notes_readable_by(user, ids)
    except STORE_ERRORS as error:
        logger.warning("Home page: notes unavailable: %s", error)
        return None


def most_viewed_notes(user: Visitor) -> list[tuple[Note, int]] | None:
    """Return this week's most viewed notes that `user` may read, with their views."""
    leaderboard = most_viewed_this_week(limit=MOST_VIEWED_READ)
    if leaderboard is None or (notes := _readable(user, [pk for pk, _ in leaderboard])) is None:
        return None
    views = dict(leaderboard)
    return [(note, views[str(note.pk)]) for note in notes[:MOST_VIEWED_SHOWN]]


def visitor_sections(visitor: Visitor) -> dict[str, Any]:
    """What a visitor sees: the newest public notes with their owners' names, and this week's most viewed."""
    try:
        public = with_owner_names(Note.objects.public().newest_first().for_cards()[:PUBLIC_NOTES_SHOWN])
    except STORE_ERRORS as error:
        logger.warning("Home page: public notes unavailable: %s", error)
        return {"public_notes": None, "most_viewed": None}  # the same stores: not asked again
    return {"public_notes": public, "most_viewed": most_viewed_notes(visitor)}


def member_sections(member: User) -> dict[str, Any]:
    """A member's home: their totals and tags, pinned and recent notes, and the notes they viewed last."""
    mine = Note.objects.owned_by(member.pk).for_cards()
    try:
        figures = member_figures(member.pk)
        pinned = list(mine.filter(pinned=True).newest_first()[:PINNED_SHOWN])
        recent = list(mine.filter(pinned=False).newest_first()[:RECENT_SHOWN])
    except STORE_ERRORS as error:
        logger.warning("Home page: member %s's notes unavailable: %s", member.pk, error)
        return {"figures": None, "pinned": None, "recent": None, "recently_viewed": None}
    viewed = recently_viewed(user_id=member.pk)
    return {
        "figures": figures,
        "pinned": pinned,
        "recent": recent,
        "recently_viewed": None if viewed is None else _readable(member, viewed),
    }
