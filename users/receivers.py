"""Drop the cached pages that show a member whenever their row changes or goes, wherever that happens."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from users.models import User
from users.topics import members_changed


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def member_pages_changed(
    sender: type[User], instance: User, update_fields: frozenset[str] | None = None, **kwargs: object
) -> None:
    """Bump the member's topics once the write commits (a login's last_login shows nowhere)."""
    if update_fields == {"last_login"}:
        return
    members_changed([instance.pk])
