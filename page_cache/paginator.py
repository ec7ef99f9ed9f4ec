"""The lists' paginator, whose count is kept until the topics of its list change, and the redirect past its end."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import router
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic.list import MultipleObjectMixin

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
        return Paginator.count.func(self)  # type: ignore[attr-defined]

    @cached_property
    def count(self) -> int:
        if settings.PAGE_CACHE_SECONDS <= 0:
            return super().count
        digest = hashlib.sha256(self.scope.encode()).hexdigest()[:32]
        filing, count = versioned_get(f"count:{digest}", self.topics)
        if count is None:
            count = self._count_where_writes_go()
            if filing is not None:
                versioned_set(filing, count, settings.PAGE_CACHE_SECONDS)
        return count


class ShortListPaginator(CountCachingPaginator):
    """A CountCachingPaginator that counts a list shorter than a page from its first page's rows.

    Page 1 is read before the count: when it holds fewer than `per_page` rows they are the whole
    list, so Redis and the store are not asked. Most members have fewer notes than a page, and the
    count's Redis round trip was a tenth of my notes' time (issue #18). A full first page, and any
    other page, count as CountCachingPaginator does.
    """

    def page(self, number: int | str) -> Page:
        if number != 1 or self.orphans or not self.allow_empty_first_page or "count" in self.__dict__:
            return super().page(number)
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page:
            self.count = len(rows)  # what the cached_property would have kept
        return self._get_page(rows, 1, self)  # type: ignore[attr-defined]  # Django's hook; the stubs lack it


MAX_PAGE_DIGITS = 18
MAX_REDIRECT_LENGTH = 2048


class PastTheLastPage(Exception):
    """A list was asked for a page number beyond its last page."""

    def __init__(self, last: int) -> None:
        super().__init__(last)
        self.last = last


class LastPageRedirectMixin(MultipleObjectMixin):
    """Send `?page=` past the end of a list to its last page (other query parameters kept); junk stays a 404.

    A redirect, not the last page under the asked URL: the page cache files pages by their URL,
    and any number would otherwise be one more copy of the same page.
    """

    request: HttpRequest

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple[Paginator, Page, Any, bool]:
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            digits = self.request.GET.get(self.page_kwarg, "").lstrip("0")
            if digits.isascii() and digits.isdigit():
                last = self.get_paginator(queryset, page_size).num_pages
                # Longer than any page count, and too long for int() (Python's 4,300-digit limit).
                if len(digits) > MAX_PAGE_DIGITS or int(digits) > last:
                    raise PastTheLastPage(last) from None
            raise

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().get(request, *args, **kwargs)  # type: ignore[misc]  # ListView's get(), after this mixin
        except PastTheLastPage as past:
            query = request.GET.copy()
            if past.last > 1:
                query[self.page_kwarg] = str(past.last)
            else:
                query.pop(self.page_kwarg)
            url = f"{request.path}?{query.urlencode()}" if query else request.path
            if len(url) > MAX_REDIRECT_LENGTH:  # Django refuses to send longer ones (a 400); no list page has one
                raise Http404("No such page.") from None
            return redirect(url)
