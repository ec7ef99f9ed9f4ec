"""Live counters in Redis: views per note, this week's most viewed notes, each member's recent notes.

Counters are best-effort: when Redis is unreachable the page still answers, the error is
logged and the reads return None, which templates show as "unavailable".
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from django_redis import get_redis_connection
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RECENTLY_VIEWED_LIMIT = 10
# A week's leaderboard outlives its week by a week, so "last week" can still be read on Monday.
LEADERBOARD_TTL = int(datetime.timedelta(days=14).total_seconds())


def view_count_key(note_id: object) -> str:
    return f"notes:views:{note_id}"


def leaderboard_key(day: datetime.date | None = None) -> str:
    year, week, _ = (day or timezone.now().date()).isocalendar()
    return f"notes:most-viewed:{year}-W{week:02d}"


def recently_viewed_key(user_id: int) -> str:
    return f"notes:recent:{user_id}"


def _redis():
    return get_redis_connection("default")


def note_view_record(*, note_id: object, viewer_id: int | None = None) -> int | None:
    """Count one view of a note; return its live view count, or None when Redis is unavailable."""
    member = str(note_id)
    board = leaderboard_key()
    try:
        with _redis().pipeline(transaction=True) as pipe:
            pipe.incr(view_count_key(member))
            pipe.zincrby(board, 1, member)
            pipe.expire(board, LEADERBOARD_TTL)
            if viewer_id is not None:
                recent = recently_viewed_key(viewer_id)
                pipe.lrem(recent, 0, member)
                pipe.lpush(recent, member)
                pipe.ltrim(recent, 0, RECENTLY_VIEWED_LIMIT - 1)
            results = pipe.execute()
    except RedisError as error:
        logger.warning("Could not record a view of note %s: %s", member, error)
        return None
    return int(results[0])


def note_live_view_count(*, note_id: object) -> int | None:
    """Return the views counted in Redis since the last fold, or None when Redis is unavailable."""
    try:
        value = _redis().get(view_count_key(note_id))
    except RedisError as error:
        logger.warning("Could not read the view count of note %s: %s", note_id, error)
        return None
    return int(value or 0)


def most_viewed_this_week(*, limit: int = 10) -> list[tuple[str, int]] | None:
    """Return (note id, views) pairs for this ISO week, most viewed first; None when unavailable."""
    try:
        entries = _redis().zrevrange(leaderboard_key(), 0, limit - 1, withscores=True)
    except RedisError as error:
        logger.warning("Could not read the most viewed notes: %s", error)
        return None
    return [(member.decode(), int(score)) for member, score in entries]


def recently_viewed(*, user_id: int) -> list[str] | None:
    """Return the ids of the notes a member viewed last, newest first; None when unavailable."""
    try:
        members = _redis().lrange(recently_viewed_key(user_id), 0, RECENTLY_VIEWED_LIMIT - 1)
    except RedisError as error:
        logger.warning("Could not read member %s's recently viewed notes: %s", user_id, error)
        return None
    return [member.decode() for member in members]
