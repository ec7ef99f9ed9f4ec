"""Find and repair what a failure between the stores can leave behind.

Deleting a member deletes their row first and their notes after the relational commit
(DESIGN.md, "Across stores"); if MongoDB is down at that moment the notes stay behind,
invisible. Sessions are kept per member in the relational store and in Redis, and outlive a
deleted member until they expire; view counters and leaderboard entries outlive a deleted note.
This module finds them all and removes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bson import ObjectId
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db.models import Count
from django.utils import timezone
from django_redis import get_redis_connection

from notes.counters import view_count_key
from notes.models import Note
from users.models import User

BATCH = 1000
SESSION_CACHE_PREFIX = "django.contrib.sessions.cached_db"


@dataclass
class IntegrityReport:
    orphan_owner_ids: list[int] = field(default_factory=list)
    orphan_notes: int = 0
    stale_sessions: list[str] = field(default_factory=list)
    stale_counters: list[str] = field(default_factory=list)
    stale_leaderboard_entries: dict[str, list[str]] = field(default_factory=dict)

    @property
    def problems(self) -> int:
        leaderboard = sum(len(entries) for entries in self.stale_leaderboard_entries.values())
        return self.orphan_notes + len(self.stale_sessions) + len(self.stale_counters) + leaderboard


def _existing_member_ids(candidate_ids: list[int]) -> set[int]:
    existing: set[int] = set()
    for start in range(0, len(candidate_ids), BATCH):
        batch = candidate_ids[start : start + BATCH]
        existing.update(User.objects.filter(pk__in=batch).values_list("pk", flat=True))
    return existing


def find_orphan_notes(report: IntegrityReport) -> None:
    """Count the notes whose owner no longer exists, grouped by owner."""
    per_owner = dict(Note.objects.values_list("owner_id").annotate(n=Count("pk")).order_by())
    existing = _existing_member_ids(sorted(per_owner))
    report.orphan_owner_ids = sorted(set(per_owner) - existing)
    report.orphan_notes = sum(per_owner[owner_id] for owner_id in report.orphan_owner_ids)


def find_stale_sessions(report: IntegrityReport) -> None:
    """Find live sessions that belong to a member who no longer exists."""
    owners: dict[str, int] = {}
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=BATCH):
        member_id = session.get_decoded().get("_auth_user_id")
        if member_id is not None and str(member_id).isdigit():
            owners[session.session_key] = int(member_id)
    existing = _existing_member_ids(sorted(set(owners.values())))
    report.stale_sessions = sorted(key for key, member_id in owners.items() if member_id not in existing)


def _existing_note_ids(candidate_ids: list[str]) -> set[str]:
    valid = [ObjectId(note_id) for note_id in candidate_ids if ObjectId.is_valid(note_id)]
    existing: set[str] = set()
    for start in range(0, len(valid), BATCH):
        existing.update(
            str(pk) for pk in Note.objects.filter(pk__in=valid[start : start + BATCH]).values_list("pk", flat=True)
        )
    return existing


def find_stale_counters(report: IntegrityReport) -> None:
    """Find view counters and leaderboard entries of notes that no longer exist."""
    redis = get_redis_connection("default")
    prefix = view_count_key("")
    counters = {
        key.decode().removeprefix(prefix): key.decode() for key in redis.scan_iter(match=f"{prefix}*", count=BATCH)
    }
    boards = {
        key.decode(): [member.decode() for member in redis.zrange(key, 0, -1)]
        for key in redis.scan_iter(match="notes:most-viewed:*")
    }
    existing = _existing_note_ids(sorted(set(counters) | {member for members in boards.values() for member in members}))
    report.stale_counters = sorted(key for note_id, key in counters.items() if note_id not in existing)
    report.stale_leaderboard_entries = {
        board: stale for board, members in boards.items() if (stale := [m for m in members if m not in existing])
    }


def integrity_check() -> IntegrityReport:
    report = IntegrityReport()
    find_orphan_notes(report)
    find_stale_sessions(report)
    find_stale_counters(report)
    return report


def integrity_fix(report: IntegrityReport) -> None:
    """Remove what the report found; running it twice is harmless."""
    # Re-check each owner right before deleting: never delete notes of a member who exists.
    still_orphaned = sorted(set(report.orphan_owner_ids) - _existing_member_ids(report.orphan_owner_ids))
    for start in range(0, len(still_orphaned), BATCH):
        Note.objects.filter(owner_id__in=still_orphaned[start : start + BATCH]).delete()
    session_cache = caches["sessions"]
    for start in range(0, len(report.stale_sessions), BATCH):
        keys = report.stale_sessions[start : start + BATCH]
        Session.objects.filter(session_key__in=keys).delete()
        session_cache.delete_many([f"{SESSION_CACHE_PREFIX}{key}" for key in keys])
    redis = get_redis_connection("default")
    for start in range(0, len(report.stale_counters), BATCH):
        redis.delete(*report.stale_counters[start : start + BATCH])
    for board, members in report.stale_leaderboard_entries.items():
        redis.zrem(board, *members)
