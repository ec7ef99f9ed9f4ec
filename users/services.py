"""Writes about members that reach beyond their row: a deletion is announced to the other apps, a new email to the old address."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from users.models import User
from users.signals import member_deleted


def user_delete(*, user: User) -> None:
    """Delete a member, and announce it once the relational delete has committed."""
    users_delete(users=[user])


def users_delete(*, users: Iterable[User]) -> None:
    """Delete members in one relational transaction, and announce each deletion (member_deleted) after it commits.

    No transaction spans two stores: the apps that keep a member's data elsewhere (notes) remove
    it on the announcement, and repair what they could not (`check_integrity --fix`).
    """
    with transaction.atomic(using="default"):
        for user in users:
            owner_id = user.pk
            user.delete()
            transaction.on_commit(partial(member_deleted.send, sender=User, member_id=owner_id), using="default")


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
