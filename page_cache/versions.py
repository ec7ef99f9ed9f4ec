"""Topic versions and the one versioned key: a value filed under the versions of the topics it shows."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django_redis import get_redis_connection
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

VERSION_PREFIX = "page-version:"


def version_key(topic: str) -> str:
    """Return the cache key holding `topic`'s current version."""
    return f"{VERSION_PREFIX}{topic}"


def topics_changed(*topics: str) -> None:
    """Give each topic a new version: values filed under the old one are not read again.

    A version outlives every copy filed under an older one (those last PAGE_CACHE_SECONDS, or a
    minute, at most), so it may expire then: the topics of deleted members do not pile up.
    One round trip however many topics change (seed_demo bumps 500 members' at a time), all to the
    same new version: a key only needs a version its topics never had.
    """
    timeout = 2 * max(settings.PAGE_CACHE_SECONDS, 60 * 60)
    make_key = cache.make_key
    try:
        get_redis_connection("default").register_script(_BUMP)(
            keys=[make_key(version_key(topic)) for topic in topics],
            args=[_client().encode(uuid.uuid4().hex[:12]), timeout],
        )
    except RedisError as error:
        logger.warning("Page cache unavailable: %s", error)


_BUMP = """
for _, key in ipairs(KEYS) do
    redis.call('SET', key, ARGV[1], 'EX', ARGV[2])
end
"""


# One round trip: read the topics' versions, name the value's key after them, and read that key.
# Returns the key (for storing the value on a miss) and the value, or nil.
_LOOKUP = """
local versions = redis.call('MGET', unpack(KEYS))
for i, version in ipairs(versions) do
    if not version then versions[i] = '0' end
end
local key = ARGV[1] .. redis.sha1hex(table.concat(versions, ':'))
return {key, redis.call('GET', key)}
"""


def _client() -> Any:
    """Return django-redis's client of the default cache, which encodes values as the cache does."""
    return cache.client  # type: ignore[attr-defined] # django-redis's RedisCache; the stubs know only BaseCache


def versioned_get(prefix: str, topics: Iterable[str]) -> tuple[str | None, Any]:
    """Return the key of `prefix` at the topics' current versions and the value kept there; (None, None) if Redis fails."""
    keys = [cache.make_key(version_key(topic)) for topic in topics]
    try:
        key, content = get_redis_connection("default").register_script(_LOOKUP)(
            keys=keys, args=[cache.make_key(prefix)]
        )
    except RedisError as error:
        logger.warning("Page cache unavailable: %s", error)
        return None, None
    return key.decode(), None if content is None else _client().decode(content)


def versioned_set(key: str, value: Any, timeout: int) -> None:
    """Keep `value` under a key versioned_get() returned, for `timeout` seconds."""
    try:
        get_redis_connection("default").set(key, _client().encode(value), ex=timeout)
    except RedisError as error:
        logger.warning("Page cache unavailable: %s", error)
