"""Writes about members that reach beyond their row: deleting one removes their notes too; a new email is announced."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.template.loader import render_to_string
from pymongo.errors import PyMongoError

from notes.services import notes_delete_for_owner
from users.models import User

logger = logging.getLogger(__name__)


def user_delete(*, user: User) -> None:
    """Delete a member, then their notes once the relational delete has committed."""
    users_delete(users=[user])


def users_delete(*, users: Iterable[User]) -> None:
    """Delete members in one relational transaction, then each one's notes after it commits.

    No transaction spans both stores: if the document store fails after the commit, the
    members stay deleted, the failure is logged, and `check_integrity --fix` removes the notes.
    """
    with transaction.atomic(using="default"):
        for user in users:
            owner_id = user.pk
            user.delete()
            transaction.on_commit(lambda owner_id=owner_id: _delete_notes_of(owner_id), using="default")


def _delete_notes_of(owner_id: int) -> None:
    try:
        deleted = notes_delete_for_owner(owner_id=owner_id)
    except (DatabaseError, PyMongoError) as error:
        logger.warning(
            "Member %s was deleted but their notes were not (document store: %s); "
            "`manage.py check_integrity --fix` removes them.",
            owner_id,
            error,
        )
        return
    logger.info("Deleted member %s and their %d notes.", owner_id, deleted)


def user_email_change_notify(*, user: User, previous_email: str) -> None:
    """Tell the previous address that the account's email changed, once the change has committed.

    Whoever controls the new address can reset the password, so the owner of the old one must hear of it.
    """
    context = {"user": user, "previous_email": previous_email}
    subject = render_to_string("users/email_changed_subject.txt", context).strip()
    message = render_to_string("users/email_changed_email.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, [previous_email]), using="default", robust=True
    )
