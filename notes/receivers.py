"""What notes does when users announces something: a deleted member's notes go, and are counted before."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError
from django.dispatch import receiver
from pymongo.errors import PyMongoError

from notes.member_notes import member_notes
from notes.services import notes_delete_for_owner
from users.signals import MemberData, member_data_requested, member_deleted

logger = logging.getLogger(__name__)


@receiver(member_deleted)
def deleted_members_notes_go(sender: object, member_id: int, **kwargs: Any) -> None:
    """Delete the notes of a member whose deletion has committed; log, and leave them to check_integrity, if MongoDB fails.

    No transaction spans both stores: the member stays deleted, and `check_integrity --fix`
    removes the notes left behind.
    """
    try:
        deleted = notes_delete_for_owner(owner_id=member_id)
    except (DatabaseError, PyMongoError) as error:
        logger.warning(
            "Member %s was deleted but their notes were not (document store: %s); "
            "`manage.py check_integrity --fix` removes them.",
            member_id,
            error,
        )
        return
    logger.info("Deleted member %s and their %d notes.", member_id, deleted)


@receiver(member_data_requested)
def members_notes_counted(sender: object, member_ids: list[int], **kwargs: Any) -> MemberData | None:
    """Count the notes that deleting `member_ids` deletes; None when the document store cannot."""
    try:
        count = member_notes(member_ids).count
    except DatabaseError:
        return None
    if not count:
        return None
    return MemberData("notes", count, f"{count} note{'s' if count != 1 else ''} in the document store")
