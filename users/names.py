"""Members' public names for pages that list other stores' rows (notes), cached in Redis.

A page resolves the names of all its owners at once: one cache round trip, and at most one
relational query for the ids the cache lacks, so it costs the same for 1 row or 500. Only active
members have a name here; pages hide what belongs to nobody shown. A name is kept no longer than
a cached page (PAGE_CACHE_SECONDS): a delete or deactivation whose signal could not reach Redis
still shows within that bound.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from config.routers import RELATIONAL_DB
from users.models import User


def _key(member_id: int) -> str:
    return f"member-name:{member_id}"


def member_name_redis_key(member_id: int) -> str:
    """The Redis key of a member's cached name, for a script that reads it with other keys in one round trip."""
    return cache.make_key(_key(member_id))


def member_name_stored(value: bytes) -> str:
    """The name in what member_name_redis_key() holds, kept as the cache keeps it."""
    return cache.client.decode(value)  # type: ignore[attr-defined] # django-redis's RedisCache; the stubs know only BaseCache


def member_names(member_ids: Iterable[int]) -> dict[int, str]:
    """Map each active member's id to their public name; ids of deleted or deactivated members are absent."""
    wanted = set(member_ids)
    if not wanted:
        return {}
    cached = cache.get_many([_key(member_id) for member_id in wanted])
    names = {member_id: cached[_key(member_id)] for member_id in wanted if _key(member_id) in cached}
    missing = wanted - names.keys()
    if missing:
        # From the primary: a name read from a replica behind a rename would be kept, stale, for
        # PAGE_CACHE_SECONDS after the rename dropped the old one.
        found = {
            pk: display_name or username
            for pk, display_name, username in User.objects.using(RELATIONAL_DB)
            .filter(pk__in=missing, is_active=True)
            .values_list("pk", "display_name", "username")
        }
        timeout = settings.PAGE_CACHE_SECONDS
        cache.set_many({_key(member_id): name for member_id, name in found.items()}, timeout=timeout)
        names.update(found)
    return names


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def forget_member_name(sender: type[User], instance: User, **kwargs: object) -> None:
    """Drop a member's cached name whenever their row changes or goes, wherever that happens."""
    cache.delete(_key(instance.pk))
