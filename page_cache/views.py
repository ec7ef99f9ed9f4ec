"""The view mixin that serves anonymous visitors a page from Redis while its topics are unchanged."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.views import View

from page_cache.versions import Filing, versioned_get, versioned_set


def is_canonical(request: HttpRequest) -> bool:
    """No query, or only `?page=<n>` as the pager writes it (ASCII digits, no leading zero)."""
    if not request.GET:
        return True
    pages = request.GET.getlist("page")
    if list(request.GET) != ["page"] or len(pages) != 1:
        return False
    return pages[0].isascii() and pages[0].isdigit() and not pages[0].startswith("0")


def page_key(request: HttpRequest) -> str:
    """Name the page at the request's URL; versioned_get() files it behind its topics' versions."""
    return f"page:{hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]}"


def is_cacheable(request: HttpRequest) -> bool:
    """Cache GETs of canonical URLs by anonymous visitors with no message waiting to be shown."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and is_canonical(request)
        and not len(get_messages(request))
    )


class AnonymousPageCacheMixin(View):
    """Serve anonymous visitors the page from Redis while the topics it shows are unchanged."""

    request: HttpRequest

    def page_topics(self) -> list[str]:
        raise NotImplementedError

    def kept_page(self, request: HttpRequest) -> tuple[Filing | None, bytes | None]:
        """Where to keep the page at its topics' current versions, and the page kept there, if any (versioned_get())."""
        return versioned_get(page_key(request), self.page_topics())

    def page_to_keep(self, page: SimpleTemplateResponse) -> Any:
        """What to keep of a page just rendered, for kept_page() to answer with: the page itself, unless a view keeps it otherwise."""
        return page.content

    def kept_page_once(self, request: HttpRequest) -> tuple[Filing | None, bytes | None]:
        """kept_page(), asked once a request: the view reuses what EarlyPageMiddleware was told, a miss or Redis down."""
        if (lookup := getattr(request, "_kept_page", None)) is None:
            lookup = request._kept_page = self.kept_page(request)  # type: ignore[attr-defined]
        return lookup

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_cacheable(request):
            return super().dispatch(request, *args, **kwargs)
        filing, content = self.kept_page_once(request)
        if content is not None:
            return HttpResponse(content)
        response = super().dispatch(request, *args, **kwargs)
        # A page that says no-store (one rendered with a store down, showing "Unavailable.") is not kept.
        keep_it = response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
        if filing is not None and keep_it and isinstance(response, SimpleTemplateResponse):

            def keep(page: SimpleTemplateResponse) -> None:  # a callback's return value would replace the page
                versioned_set(filing, self.page_to_keep(page), settings.PAGE_CACHE_SECONDS)

            response.add_post_render_callback(keep)
        return response
