"""Who may change or delete a member's account."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from users.models import User


def may_change_member(viewer: User | AnonymousUser, member: User) -> bool:
    """Whether `viewer` may edit or delete `member`: their own account, or any account as staff.

    Only superusers change superusers: otherwise a staff member could set a superuser's email to
    their own, reset the password and take over the account.
    """
    if not viewer.is_authenticated:
        return False
    if viewer.pk == member.pk or viewer.is_superuser:
        return True
    return viewer.is_staff and not member.is_superuser
