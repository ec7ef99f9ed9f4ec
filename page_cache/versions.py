"""Topic versions, and values filed behind the versions of the topics they show."""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django_redis import get_redis_connection
from redis.commands.core import Script
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

VERSION_PREFIX = "page-version:"


def version_key(topic: str) -> str:
    """Return the cache key holding `topic`'s current version."""
    return f"{VERSION_PREFIX}{topic}"


def topics_changed(*topics: str, expiring: bool = True) -> None:
    """Give each topic a new version: values filed under the old one are not read again.

    A version outlives every copy filed under an older one (those last PAGE_CACHE_SECONDS, or a
    minute, at most), so it may expire then: the topics of deleted members do not pile up.
    One round trip however many topics change (seed_demo bumps 500 members' at a time), all to the
    same new version: a stamp only needs versions its topics never had together.

    `expiring=False` keeps the new versions until the topics next change: for topics of rows just
    inserted (a new member, whose id an earlier relational store may have used), which a later
    change or delete bumps again, with the expiry. One MSET, without the script's SET per key:
    a third of its time in Redis (issue #18).
    """
    make_key = cache.make_key
    keys = [make_key(version_key(topic)) for topic in topics]
    version = _client().encode(secrets.token_hex(6))
    client = get_redis_connection("default")
    try:
        if expiring:
            _bump_script()(keys=keys, args=[version, 2 * max(settings.PAGE_CACHE_SECONDS, 60 * 60)], client=client)
        else:
            client.mset(dict.fromkeys(keys, version))
    except RedisError as error:
        logger.warning("Page cache unavailable: %s", error)


_BUMP = """
for _, key in ipairs(KEYS) do
    redis.call('SET', key, ARGV[1], 'EX', ARGV[2])
end
"""


@functools.cache
def _bump_script() -> Script:
    """The bump above, its SHA-1 taken once per process (redis-py's register_script() hashes the text each call).

    It is run with the current client, never with the one it was registered with, which may be
    gone; a server that does not know it (restarted, or a replica promoted) loads it again on NOSCRIPT.
    """
    return get_redis_connection("default").register_script(_BUMP)


def _client() -> Any:
    """Return django-redis's client of the default cache, which encodes values as the cache does."""
    return cache.client  # type: ignore[attr-defined] # django-redis's RedisCache; the stubs know only BaseCache


def _encoded(value: Any) -> bytes:
    """`value` as the cache keeps it: django-redis keeps an integer as its digits, anything else serialized."""
    encoded = _client().encode(value)
    return str(encoded).encode() if isinstance(encoded, int) else encoded


class Filing(NamedTuple):
    """Where versioned_set() files a value: its key, and the stamp of the topics' versions it was read at."""

    key: str
    stamp: bytes


STAMP_BYTES = 20  # a SHA-1 digest, before the value


def _stamp(versions: list[bytes | None]) -> bytes:
    """A fixed-length digest of the topics' versions (a topic never changed reads as version 0)."""
    return hashlib.sha1(b"\0".join(version or b"0" for version in versions), usedforsecurity=False).digest()


def versioned_get(key: str, topics: Iterable[str]) -> tuple[Filing | None, Any]:
    """Return where to file `key`'s value at the topics' current versions and the value filed there, if filed at them.

    One MGET reads the versions and the value: a value is kept behind the stamp of the versions it
    was rendered at, and a value with another stamp (filed before a topic changed, or by a slower
    request that read older versions) counts as missing. (None, None) if Redis fails.
    Before issue #18 a Lua script named the key after the versions: 33 µs of Redis's time a hit,
    against 1–3 µs for the MGET.
    """
    keys = versioned_keys(key, topics)
    try:
        *versions, filed = get_redis_connection("default").mget(keys)
    except RedisError as error:
        logger.warning("Page cache unavailable: %s", error)
        return None, None
    filing = filing_at(keys, versions)
    if filed is None or not filed.startswith(filing.stamp):
        return filing, None
    return filing, filed_value(filed)


def versioned_keys(key: str, topics: Iterable[str]) -> list[str]:
    """The Redis keys of the topics' versions, then the key `key`'s value is filed under."""
    make_key = caches["default"].make_key  # `cache` finds the alias's cache on every attribute: 3.5 µs each (issue #18)
    return [*(make_key(version_key(topic)) for topic in topics), make_key(key)]


def filing_at(keys: list[str], versions: list[bytes | None]) -> Filing:
    """Where to file a value under `keys` (versioned_keys()) at `versions`, the topics' versions as read."""
    return Filing(keys[-1], _stamp(versions))


# versioned_get() for a script that does more in the same round trip, on a hit alone (notes/counters.py).
# filed_at_current_versions(n): KEYS[1..n] the topics' version keys, KEYS[n + 1] the filing key
# (versioned_keys()). It returns the versions as read (false for a topic never changed), and the
# filed value if it was filed at them, else false: the stamp is _stamp()'s, as hex.
FILED_AT_CURRENT_VERSIONS_LUA = f"""
local function filed_at_current_versions(n)
    local versions = {{}}
    local joined = {{}}
    for i = 1, n do
        versions[i] = redis.call('GET', KEYS[i])
        joined[i] = versions[i] or '0'
    end
    local filed = redis.call('GET', KEYS[n + 1])
    if not filed then
        return versions, false
    end
    local stamp = string.gsub(string.sub(filed, 1, {STAMP_BYTES}), '.', function(byte)
        return string.format('%02x', string.byte(byte))
    end)
    if stamp ~= redis.sha1hex(table.concat(joined, '\\0')) then
        return versions, false
    end
    return versions, filed
end
"""


def filed_value(filed: bytes) -> Any:
    """The value in what versioned_set() filed, whatever its stamp (versioned_get() checks that)."""
    return _client().decode(filed[STAMP_BYTES:])


def versioned_set(filing: Filing, value: Any, timeout: int) -> None:
    """Keep `value` where versioned_get() said, for `timeout` seconds, behind the stamp it was read at."""
    try:
        get_redis_connection("default").set(filing.key, filing.stamp + _encoded(value), ex=timeout)
    except RedisError as error:
        logger.warning("Page cache unavailable: %s", error)
