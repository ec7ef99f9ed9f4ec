"""The view mixin that serves anonymous visitors a page from Redis while its topics are unchanged."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.views import View

from page_cache.versions import versioned_get, versioned_set


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

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_cacheable(request):
            return super().dispatch(request, *args, **kwargs)
        filing, content = versioned_get(page_key(request), self.page_topics())
        if content is not None:
            return HttpResponse(content)
        response = super().dispatch(request, *args, **kwargs)
        # A page that says no-store (one rendered with a store down, showing "Unavailable.") is not kept.
        keep_it = response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
        if filing is not None and keep_it and isinstance(response, SimpleTemplateResponse):

            def keep(page: SimpleTemplateResponse) -> None:  # a callback's return value would replace the page
                versioned_set(filing, page.content, settings.PAGE_CACHE_SECONDS)

            response.add_post_render_callback(keep)
        return response
