"""Live counters in Redis: views per note, this week's most viewed notes, each member's recent notes.

Counters are best-effort: when Redis is unreachable the page still answers, the error is
logged and the reads return None, which templates show as "unavailable".
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any, NamedTuple

from bson import ObjectId
from bson.errors import InvalidId
from django.utils import timezone
from django_redis import get_redis_connection
from pymongo import UpdateOne
from pymongo.errors import BulkWriteError, PyMongoError
from redis.commands.core import Script
from redis.exceptions import RedisError

from notes.collection import batches, notes_collection
from notes.topics import views_folded
from page_cache.versions import FILED_AT_CURRENT_VERSIONS_LUA, Filing, filed_value, filing_at
from users.names import member_name_redis_key, member_name_stored

logger = logging.getLogger(__name__)

RECENTLY_VIEWED_LIMIT = 10
# A week's leaderboard outlives its week by a week, so "last week" can still be read on Monday.
LEADERBOARD_TTL = int(datetime.timedelta(days=14).total_seconds())


VIEW_COUNT_PREFIX = "notes:views:"
LEADERBOARD_PREFIX = "notes:most-viewed:"
FOLD_BATCH_SIZE = 500


def view_count_key(note_id: object) -> str:
    return f"{VIEW_COUNT_PREFIX}{note_id}"


def leaderboard_key(day: datetime.date | None = None) -> str:
    year, week, _ = (day or timezone.now().date()).isocalendar()
    return f"{LEADERBOARD_PREFIX}{year}-W{week:02d}"


def leaderboard_keys_kept(day: datetime.date | None = None) -> list[str]:
    """The boards that may still exist on `day`: each is written in its own week and kept LEADERBOARD_TTL after."""
    today = day or timezone.now().date()
    weeks = LEADERBOARD_TTL // int(datetime.timedelta(weeks=1).total_seconds()) + 1
    return [leaderboard_key(today - datetime.timedelta(weeks=back)) for back in range(weeks)]


def recently_viewed_key(user_id: int) -> str:
    return f"notes:recent:{user_id}"


def _redis():
    return get_redis_connection("default")


# How a view is recorded, the one place that says it: the three scripts below call these.
# count_view: a view of note `member` counted, and on this week's board, which it keeps for `ttl`.
# remember_view: the note first in a member's recently viewed, which keeps `limit` of them.
_RECORD_VIEW_LUA = """
local function count_view(views_key, board_key, member, ttl)
    local views = redis.call('INCR', views_key)
    redis.call('ZINCRBY', board_key, 1, member)
    redis.call('EXPIRE', board_key, ttl)
    return views
end
local function remember_view(recent_key, member, limit)
    redis.call('LREM', recent_key, 0, member)
    redis.call('LPUSH', recent_key, member)
    redis.call('LTRIM', recent_key, 0, limit - 1)
end
"""


def note_view_record(*, note_id: object, owner_id: int, viewer_id: int | None = None) -> int | None:
    """Record one view of a note; return its live view count, or None when Redis is unavailable.

    The owner's own views (the page they land on after saving, their rereading) are not counted
    towards its views or the most viewed; they still go to their recently viewed.
    """
    member = str(note_id)
    keys = [view_count_key(member), leaderboard_key()]
    if viewer_id is not None:
        keys.append(recently_viewed_key(viewer_id))
    counted = int(viewer_id != owner_id)
    try:
        views = _view()(keys=keys, args=[member, LEADERBOARD_TTL, RECENTLY_VIEWED_LIMIT, counted], client=_redis())
    except RedisError as error:
        logger.warning("Could not record a view of note %s: %s", member, error)
        return None
    return int(views or 0)


# KEYS: the note's view count, this week's board, the viewer's recently viewed (members only).
# ARGV: the note's id, the board's TTL, how many notes recently viewed keeps, 1 to count the view (0: the owner's).
_VIEW = (
    _RECORD_VIEW_LUA
    + """
local views
if ARGV[4] == '1' then
    views = count_view(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
else
    views = redis.call('GET', KEYS[1])
end
if KEYS[3] then
    remember_view(KEYS[3], ARGV[1], ARGV[3])
end
return views
"""
)


@functools.cache
def _view() -> Script:
    """The script above, its SHA-1 taken once per process; it is run with the current client, which loads it where missing."""
    return _redis().register_script(_VIEW)


class OwnerNamedView(NamedTuple):
    """A view counted by note_view_record_if_owner_named(): the owner's name as Redis keeps it, and the note's live views."""

    owner_name: str
    live_views: int


class ViewNotCounted(Enum):
    """Why note_view_record_if_owner_named() counted nothing."""

    OWNER_NOT_NAMED = "Redis keeps no name for the owner: look it up, then count the view"
    REDIS_UNAVAILABLE = "Redis did not answer (logged): asking it again to count the view would wait on it twice"


def note_view_record_if_owner_named(
    *, note_id: object, owner_id: int, viewer_id: int | None
) -> OwnerNamedView | ViewNotCounted:
    """Record one view of a note by someone other than its owner, if Redis keeps its owner's name; return both.

    The note's page needs the owner's name and the view counted: one round trip instead of two
    (issue #18). A script reads the name and counts the view only if it found one, so a note
    whose owner Redis does not name (not cached, or an orphan: its owner is gone) is counted by
    nothing here: the page looks the name up, answers 404 for an orphan, and only then calls
    note_view_record(). Otherwise the reason nothing was counted.
    """
    member = str(note_id)
    keys = [member_name_redis_key(owner_id), view_count_key(member), leaderboard_key()]
    if viewer_id is not None:
        keys.append(recently_viewed_key(viewer_id))
    try:
        found = _view_if_owner_named()(
            keys=keys, args=[member, LEADERBOARD_TTL, RECENTLY_VIEWED_LIMIT], client=_redis()
        )
    except RedisError as error:
        logger.warning("Could not record a view of note %s: %s", member, error)
        return ViewNotCounted.REDIS_UNAVAILABLE
    if found is None:
        return ViewNotCounted.OWNER_NOT_NAMED
    name, views = found
    return OwnerNamedView(member_name_stored(name), int(views))


# KEYS: the owner's name, the note's view count, this week's board, the viewer's recently viewed (members only).
# ARGV: the note's id, the board's TTL, how many notes recently viewed keeps. _VIEW's view, behind the name.
_VIEW_IF_OWNER_NAMED = (
    _RECORD_VIEW_LUA
    + """
local name = redis.call('GET', KEYS[1])
if not name then
    return false
end
local views = count_view(KEYS[2], KEYS[3], ARGV[1], ARGV[2])
if KEYS[4] then
    remember_view(KEYS[4], ARGV[1], ARGV[3])
end
return {name, views}
"""
)


@functools.cache
def _view_if_owner_named() -> Script:
    """The script above, registered as _view() is."""
    return _redis().register_script(_VIEW_IF_OWNER_NAMED)


class KeptNotePage(NamedTuple):
    """A note's page kept for visitors, read by note_view_record_if_page_kept() with the view counted."""

    page: Any  # what the page kept (notes/views.py)
    live_views: int


def note_view_record_if_page_kept(*, note_id: object, keys: list[str]) -> tuple[Filing | None, KeptNotePage | None]:
    """Record one view of a note by a visitor if its page is kept at its topics' current versions; return both.

    `keys` are the page's versioned_keys(). A kept page is one that answered 200 (page_cache/views.py),
    so it counts a view exactly when rendering the page afresh would: one round trip, with no read of
    the note (issue #18). Otherwise nothing is counted, and the page is rendered and counted as
    without a copy. Returns where to file the page at the versions read, and the kept page if
    there was one: as versioned_get() does, (None, None) when Redis is unavailable.
    """
    member = str(note_id)
    try:
        *versions, filed, views = _view_if_page_kept()(
            keys=[*keys, view_count_key(member), leaderboard_key()],
            args=[len(keys) - 1, member, LEADERBOARD_TTL],
            client=_redis(),
        )
    except RedisError as error:
        logger.warning("Page cache unavailable, no view recorded of note %s: %s", member, error)
        return None, None
    filing = filing_at(keys, versions)
    return filing, None if filed is None else KeptNotePage(filed_value(filed), int(views))


# KEYS: the page's versioned_keys() (its topics' versions, then the page), the note's view count, this week's board.
# ARGV: how many topics, the note's id, the board's TTL. A visitor's view, behind the kept page.
_VIEW_IF_PAGE_KEPT = (
    FILED_AT_CURRENT_VERSIONS_LUA
    + _RECORD_VIEW_LUA
    + """
local topics = tonumber(ARGV[1])
local versions, page = filed_at_current_versions(topics)
local views = false
if page then
    views = count_view(KEYS[topics + 2], KEYS[topics + 3], ARGV[2], ARGV[3])
end
versions[topics + 1] = page
versions[topics + 2] = views
return versions
"""
)


@functools.cache
def _view_if_page_kept() -> Script:
    """The script above, registered as _view() is."""
    return _redis().register_script(_VIEW_IF_PAGE_KEPT)


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


def note_counters_delete(note_ids: Iterable[object]) -> int | None:
    """Drop the live view counters of deleted notes and take them off the boards; return how many counters went.

    None when Redis is unavailable: the counters stay until `check_integrity --fix` removes them.
    Members' recently viewed lists keep the ids; the pages that read them skip notes that are gone.
    """
    members = [str(note_id) for note_id in note_ids]
    if not members:
        return 0
    try:
        with _redis().pipeline(transaction=False) as pipe:
            pipe.delete(*map(view_count_key, members))
            for board in leaderboard_keys_kept():
                pipe.zrem(board, *members)
            results = pipe.execute()
    except RedisError as error:
        logger.warning("Could not drop the view counters of %d deleted notes: %s", len(members), error)
        return None
    return int(results[0])


@dataclass
class FoldResult:
    notes: int = 0  # notes whose document received their views
    views: int = 0  # views added to those documents
    gone: int = 0  # counters of notes that no longer exist, dropped


class FoldInterrupted(Exception):
    """The document store failed mid-fold; the views not yet written were put back in Redis."""

    def __init__(self, result: FoldResult, put_back: int, error: Exception) -> None:
        super().__init__(f"{error} ({put_back} views put back in Redis)")
        self.result, self.put_back = result, put_back


def view_counts_fold(*, dry_run: bool = False, batch_size: int = FOLD_BATCH_SIZE) -> FoldResult:
    """Move each note's views counted in Redis into its document's `view_count`.

    Each counter is taken with GETDEL (views counted meanwhile start a new counter, never lost)
    and added with `$inc`, a batch at a time. If MongoDB fails, the batch's unwritten views are
    put back with INCRBY and FoldInterrupted is raised (a connection lost mid-batch puts the
    whole batch back: views may then count twice, never vanish). `dry_run` changes nothing.
    """
    redis, collection, result = _redis(), notes_collection(), FoldResult()
    for keys in batches(redis.scan_iter(match=f"{VIEW_COUNT_PREFIX}*", count=batch_size), batch_size):
        counts = _counts_taken(redis, keys, dry_run=dry_run)
        if dry_run:
            existing = collection.count_documents({"_id": {"$in": list(counts)}})
            result.notes, result.views = result.notes + existing, result.views + sum(counts.values())
            result.gone += len(counts) - existing
            continue
        updates = [UpdateOne({"_id": note_id}, {"$inc": {"view_count": views}}) for note_id, views in counts.items()]
        try:
            written = collection.bulk_write(updates, ordered=True).matched_count if updates else 0
        except PyMongoError as error:
            unwritten = list(counts.items())[_first_unwritten(error) :]
            raise FoldInterrupted(result, _put_back(redis, unwritten), error) from error
        views_folded()
        result.notes += written
        result.views += sum(counts.values())
        result.gone += len(counts) - written
    return result


def _counts_taken(redis, keys: list[bytes], *, dry_run: bool) -> dict[ObjectId, int]:
    """Read (dry run) or take (GETDEL) the counters; drop keys that name no ObjectId."""
    with redis.pipeline(transaction=False) as pipe:
        for key in keys:
            (pipe.get if dry_run else pipe.getdel)(key)
        values = pipe.execute()
    counts = {}
    for key, value in zip(keys, values, strict=True):
        try:
            note_id = ObjectId(key.decode().removeprefix(VIEW_COUNT_PREFIX))
        except InvalidId:
            continue
        if value is not None and int(value) > 0:
            counts[note_id] = int(value)
    return counts


def _first_unwritten(error: PyMongoError) -> int:
    """An ordered bulk write applies every update before its first error; anything else may have applied none."""
    if isinstance(error, BulkWriteError) and error.details.get("writeErrors"):
        return error.details["writeErrors"][0]["index"]
    return 0


def _put_back(redis, counts: list[tuple[ObjectId, int]]) -> int:
    with redis.pipeline(transaction=False) as pipe:
        for note_id, views in counts:
            pipe.incrby(view_count_key(note_id), views)
        pipe.execute()
    return sum(views for _, views in counts)
