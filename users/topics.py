"""The page-cache topics of members: the one module that names them, and bumps them on every write to members."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from page_cache.versions import topics_changed

MEMBERS = "members"  # any member: the directory, owner names on the public list


def member_topic(member_id: int) -> str:
    """Return the topic of one member's profile: their row and their notes."""
    return f"member:{member_id}"


def members_changed(member_ids: Iterable[int]) -> None:
    """Bump the directory's and each member's versions once the relational write commits."""
    ids = list(member_ids)
    transaction.on_commit(lambda: topics_changed(MEMBERS, *map(member_topic, ids)), using="default")


def members_inserted(member_ids: Iterable[int]) -> None:
    """Bump the directory's and each new member's versions once the insert commits, kept until they next change.

    A new member's id may have been an earlier relational store's: their version must change,
    but needs no expiry, as their next change or their deletion bumps it again (members_changed).
    """
    ids = list(member_ids)
    transaction.on_commit(lambda: topics_changed(MEMBERS, *map(member_topic, ids), expiring=False), using="default")
