"""A paginator whose count is kept until the topics of its list change."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db import router
from django.db.models import QuerySet
from django.utils.functional import cached_property

from page_cache.versions import versioned_get, versioned_set


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

    def _count_where_writes_go(self) -> int:
        """Count on the database writes go to: a count kept for everyone must not come from a replica behind."""
        if isinstance(self.object_list, QuerySet):
            return self.object_list.using(router.db_for_write(self.object_list.model)).count()
        return len(self.object_list)

    @cached_property
    def count(self) -> int:
        if settings.PAGE_CACHE_SECONDS <= 0:
            return super().count
        digest = hashlib.sha256(self.scope.encode()).hexdigest()[:32]
        key, count = versioned_get(f"count:{digest}:", self.topics)
        if count is None:
            count = self._count_where_writes_go()
            if key is not None:
                versioned_set(key, count, settings.PAGE_CACHE_SECONDS)
        return count
