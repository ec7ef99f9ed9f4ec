"""Drop the cached pages that show a member whenever their row changes or goes, wherever that happens."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from config.page_cache import MEMBERS, member_topic, topics_changed
from users.models import User


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def member_pages_changed(
    sender: type[User], instance: User, update_fields: frozenset[str] | None = None, **kwargs: object
) -> None:
    """Bump the directory's and the member's versions once the write commits (a login's last_login shows nowhere)."""
    if update_fields == {"last_login"}:
        return
    member_id = instance.pk
    transaction.on_commit(lambda: topics_changed(MEMBERS, member_topic(member_id)))
