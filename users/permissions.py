"""Who may change or delete a member's account."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from users.models import User


def may_change_member(viewer: User | AnonymousUser, member: User) -> bool:
    """Whether `viewer` may edit or delete `member`: their own account, or as staff a member without staff status.

    Staff never change other staff or superusers here: whoever sets an account's email can reset its
    password and act as it, so staff changing staff would let any of them reach the admin rights of
    another (issue #15). Superusers change anyone; privileges themselves change only in the admin.
    """
    if not viewer.is_authenticated:
        return False
    if viewer.pk == member.pk or viewer.is_superuser:
        return True
    return viewer.is_staff and not (member.is_staff or member.is_superuser)
