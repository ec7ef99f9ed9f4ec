"""Whole pages kept in Redis for anonymous visitors, dropped by version keys when their data changes.

A cached page names the topics it shows ("notes", "members", "member:<pk>"); its key holds each
topic's current version, so a write that bumps a topic (topics_changed()) makes every page that
shows it render afresh on the next visit, and the stale copies expire with PAGE_CACHE_SECONDS.
Members who are logged in always get a fresh page, so nobody sees stale data after their own
write. Only canonical URLs are cached (no query, or just `?page=<n>`), so junk queries cannot fill
Redis. Redis being down means every visit renders afresh.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils.functional import cached_property
from django_redis import get_redis_connection
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

NOTES = "notes"  # any note: the public list, the dashboard's counts
MEMBERS = "members"  # any member: the directory, owner names on the public list


def member_topic(member_id: int) -> str:
    """One member's profile: their row and their notes."""
    return f"member:{member_id}"


def _version_key(topic: str) -> str:
    return f"page-version:{topic}"


def topics_changed(*topics: str) -> None:
    """Give each topic a new version: pages showing it render afresh on their next visit.

    A version outlives every copy filed under an older one (those last PAGE_CACHE_SECONDS, or a
    minute, at most), so it may expire then: the topics of deleted members do not pile up.
    """
    timeout = 2 * max(settings.PAGE_CACHE_SECONDS, 60 * 60)
    cache.set_many({_version_key(topic): uuid.uuid4().hex[:12] for topic in topics}, timeout=timeout)


def versioned_key(prefix: str, topics: Iterable[str]) -> str:
    """Return `prefix` with the current version of each topic, in one Redis round trip."""
    keys = [_version_key(topic) for topic in topics]
    versions = cache.get_many(keys)
    return ":".join([prefix, *(versions.get(key, "0") for key in keys)])


def _is_canonical(request: HttpRequest) -> bool:
    """No query, or only `?page=<n>` as the pager writes it (ASCII digits, no leading zero)."""
    if not request.GET:
        return True
    pages = request.GET.getlist("page")
    if list(request.GET) != ["page"] or len(pages) != 1:
        return False
    return pages[0].isascii() and pages[0].isdigit() and not pages[0].startswith("0")


def is_cacheable(request: HttpRequest) -> bool:
    """Cache GETs of canonical URLs by anonymous visitors with no message waiting to be shown."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and _is_canonical(request)
        and not len(get_messages(request))
    )


class AnonymousPageCacheMixin:
    """Serve anonymous visitors the page from Redis while the topics it shows are unchanged."""

    request: HttpRequest

    def page_topics(self) -> list[str]:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_cacheable(request):
            return super().dispatch(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key, content = _page_lookup(f"page:{path}:", self.page_topics())
        if content is not None:
            return HttpResponse(content)
        response = super().dispatch(request, *args, **kwargs)
        if key is not None and response.status_code == 200 and isinstance(response, SimpleTemplateResponse):

            def keep(page: SimpleTemplateResponse) -> None:  # a callback's return value would replace the page
                _page_keep(key, page.content)

            response.add_post_render_callback(keep)
        return response


# One round trip for a cached page: read the topics' versions, name the page's key after them,
# and read that key. Returns the key (for storing the page on a miss) and the page, or nil.
_LOOKUP = """
local versions = redis.call('MGET', unpack(KEYS))
for i, version in ipairs(versions) do
    if not version then versions[i] = '0' end
end
local key = ARGV[1] .. redis.sha1hex(table.concat(versions, ':'))
return {key, redis.call('GET', key)}
"""


def _page_lookup(prefix: str, topics: Iterable[str]) -> tuple[str | None, bytes | None]:
    """Return the key of the page's current version and the page kept under it; (None, None) if Redis fails."""
    keys = [cache.make_key(_version_key(topic)) for topic in topics]
    try:
        key, content = get_redis_connection("default").register_script(_LOOKUP)(
            keys=keys, args=[cache.make_key(prefix)]
        )
    except RedisError as error:
        logger.warning("Page cache unavailable: %s", error)
        return None, None
    return key.decode(), content


def _page_keep(key: str, content: bytes) -> None:
    try:
        get_redis_connection("default").set(key, content, ex=settings.PAGE_CACHE_SECONDS)
    except RedisError as error:
        logger.warning("Page cache unavailable: %s", error)


class CountCachingPaginator(Paginator):
    """A paginator that keeps its count in Redis until one of `topics` changes.

    Counting can cost as much as the page itself (a collection scan on the stand-in), and a
    list's count only changes when its topics do. `scope` names the list; callers keep free-text
    filters out of it (one key per search would fill Redis). Kept for PAGE_CACHE_SECONDS at most,
    and not at all when that is 0.
    """

    def __init__(self, *args: Any, scope: str, topics: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope, self.topics = scope, topics

    @cached_property
    def count(self) -> int:
        if settings.PAGE_CACHE_SECONDS <= 0:
            return super().count
        digest = hashlib.sha256(self.scope.encode()).hexdigest()[:32]
        key = versioned_key(f"count:{digest}", self.topics)
        count = cache.get(key)
        if count is None:
            count = super().count
            cache.set(key, count, settings.PAGE_CACHE_SECONDS)
        return count
