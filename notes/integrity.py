"""Notes whose owner is gone, and counters of notes that are gone: found, and removed through the services."""

from __future__ import annotations

from bson import ObjectId
from django.db.models import Count
from django_redis import get_redis_connection

from notes.counters import LEADERBOARD_PREFIX, VIEW_COUNT_PREFIX
from notes.models import Note
from notes.services import notes_delete_for_owners
from users.integrity import existing_member_ids

BATCH = 1000


def orphan_notes() -> dict[int, int]:
    """Return how many notes, trashed ones included, each owner who no longer exists left behind."""
    per_owner = dict(Note.everything.values_list("owner_id").annotate(n=Count("pk")).order_by())
    existing = existing_member_ids(sorted(per_owner))
    return {owner_id: per_owner[owner_id] for owner_id in sorted(set(per_owner) - existing)}


def orphan_notes_delete(owner_ids: list[int]) -> None:
    """Delete the notes of `owner_ids`, each owner checked again first: never a note of a member who exists."""
    still_orphaned = sorted(set(owner_ids) - existing_member_ids(owner_ids))
    for start in range(0, len(still_orphaned), BATCH):
        notes_delete_for_owners(owner_ids=still_orphaned[start : start + BATCH])


def _existing_note_ids(candidate_ids: list[str]) -> set[str]:
    valid = [ObjectId(note_id) for note_id in candidate_ids if ObjectId.is_valid(note_id)]
    existing: set[str] = set()
    for start in range(0, len(valid), BATCH):
        existing.update(
            str(pk) for pk in Note.everything.filter(pk__in=valid[start : start + BATCH]).values_list("pk", flat=True)
        )
    return existing


def stale_counters() -> tuple[list[str], dict[str, list[str]]]:
    """Return the view counters, and the leaderboard entries per board, of notes that no longer exist."""
    redis = get_redis_connection("default")
    counters = {
        key.decode().removeprefix(VIEW_COUNT_PREFIX): key.decode()
        for key in redis.scan_iter(match=f"{VIEW_COUNT_PREFIX}*", count=BATCH)
    }
    boards = {
        key.decode(): [member.decode() for member in redis.zrange(key, 0, -1)]
        for key in redis.scan_iter(match=f"{LEADERBOARD_PREFIX}*")
    }
    existing = _existing_note_ids(sorted(set(counters) | {member for members in boards.values() for member in members}))
    stale = sorted(key for note_id, key in counters.items() if note_id not in existing)
    entries = {board: gone for board, members in boards.items() if (gone := [m for m in members if m not in existing])}
    return stale, entries


def stale_counters_delete(counter_keys: list[str], leaderboard_entries: dict[str, list[str]]) -> None:
    """Delete the counters and take the entries off their boards."""
    redis = get_redis_connection("default")
    for start in range(0, len(counter_keys), BATCH):
        redis.delete(*counter_keys[start : start + BATCH])
    for board, members in leaderboard_entries.items():
        redis.zrem(board, *members)
