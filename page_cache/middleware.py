"""Anonymous visitors' cached pages answered before the session, user, CSRF and message machinery runs."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch
from django.utils.cache import patch_vary_headers

from config.paths import resolved
from page_cache.views import AnonymousPageCacheMixin, is_canonical


def _cached_page_view(path: str) -> ResolverMatch | None:
    """Return the match of `path` if a view the page cache keeps answers it."""
    match = resolved(path)
    view_class = getattr(match.func, "view_class", None) if match else None
    return match if isinstance(view_class, type) and issubclass(view_class, AnonymousPageCacheMixin) else None


def early_page(request: HttpRequest) -> HttpResponse | None:
    """Return the kept page for a cookie-less anonymous GET of a cached view, or None to let the request go on.

    Without a session cookie the visitor is anonymous and has no message in a session; without the
    messages cookie, none at all: these are visits views.is_cacheable() would serve from Redis.
    """
    if (
        settings.PAGE_CACHE_SECONDS <= 0
        or request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
        or not is_canonical(request)
    ):
        return None
    request.get_host()  # ALLOWED_HOSTS, checked as CommonMiddleware would: an unknown host is a 400
    match = _cached_page_view(request.path_info)  # resolved once per process (config/paths.py)
    if match is None:
        return None
    view = match.func.view_class(**match.func.view_initkwargs)  # type: ignore[attr-defined]  # as_view() sets them
    view.setup(request, *match.args, **match.kwargs)
    _, content = view.kept_page_once(request)
    if content is None:
        return None
    page = HttpResponse(content, headers={"Content-Length": str(len(content))})
    patch_vary_headers(page, ["Cookie"])  # as SessionMiddleware marks every page that asked who is logged in
    return page


class EarlyPageMiddleware:
    """Answer a kept anonymous page before the middleware that follow; those before it still add their headers.

    The page cache used to answer from inside the view, after every middleware had run for a
    request that needs none of them: 8 middleware, the URL resolved twice, the view set up
    (issue #18). Place it after the security, CSP and clickjacking middleware (their headers) and
    before the session middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return early_page(request) or self.get_response(request)
