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
