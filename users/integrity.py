"""Sessions that outlive their member: found in the relational store, removed from it and from Redis."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from users.models import User

BATCH = 1000


def existing_member_ids(candidate_ids: list[int]) -> set[int]:
    """Return the ids among `candidate_ids` that belong to a member, a batch at a time."""
    existing: set[int] = set()
    for start in range(0, len(candidate_ids), BATCH):
        batch = candidate_ids[start : start + BATCH]
        existing.update(User.objects.filter(pk__in=batch).values_list("pk", flat=True))
    return existing


def stale_sessions() -> list[str]:
    """Return the keys of live sessions that belong to a member who no longer exists."""
    owners: dict[str, int] = {}
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=BATCH):
        member_id = session.get_decoded().get("_auth_user_id")
        if member_id is not None and str(member_id).isdigit():
            owners[session.session_key] = int(member_id)
    existing = existing_member_ids(sorted(set(owners.values())))
    return sorted(key for key, member_id in owners.items() if member_id not in existing)


def stale_sessions_delete(session_keys: list[str]) -> None:
    """Delete the sessions from the relational store and from the sessions cache."""
    session_cache = caches[settings.SESSION_CACHE_ALIAS]
    for start in range(0, len(session_keys), BATCH):
        keys = session_keys[start : start + BATCH]
        Session.objects.filter(session_key__in=keys).delete()
        session_cache.delete_many([f"{SessionStore.cache_key_prefix}{key}" for key in keys])
