"""Where this request's relational reads may go: replicas for a member's GET, the primary after their own writes.

Read-your-writes: a request that writes to the relational store gives its browser a signed
cookie that keeps its reads on the primary for PRIMARY_AFTER_WRITE seconds (the lag bound plus
two health checks: by then every replica still in use holds the write). POSTs, transactions,
the admin's forms, pages the page cache keeps, and anything outside a request (commands,
shells) read from the primary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from page_cache.fragments import fills_fragments
from page_cache.views import is_cacheable
from replicas.health import CHECK_SECONDS, replica_aliases

PIN_COOKIE = "primary_reads"
PIN_SALT = "replicas.reads.pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ADMIN_FORM_VIEWS = ("_add", "_change", "_delete", "_history")


@dataclass
class ReadScope:
    """This request's rule: may its reads use a replica, and has it written to the relational store."""

    replicas_allowed: bool
    wrote: bool = False


_scope: ContextVar[ReadScope | None] = ContextVar("replica_read_scope", default=None)


def current_scope() -> ReadScope | None:
    return _scope.get()


def primary_after_write_seconds() -> float:
    """How long a browser that wrote reads from the primary: the lag bound plus two health checks."""
    return settings.DATABASE_REPLICA_MAX_LAG + 2 * CHECK_SECONDS


@contextmanager
def read_scope(*, replicas_allowed: bool) -> Iterator[ReadScope]:
    """Route the relational reads made inside the block by this rule."""
    scope = ReadScope(replicas_allowed)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def wrote_recently(request: HttpRequest) -> bool:
    """Whether the browser carries a valid pin from a write made within the lag bound."""
    window = timedelta(seconds=primary_after_write_seconds())
    return request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=window) is not None


class ReplicaReadsMiddleware:
    """Give each request its read scope; after a relational write, pin the browser's reads to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = request.method in SAFE_METHODS and not wrote_recently(request)
        with read_scope(replicas_allowed=allowed) as scope:
            response = self.get_response(request)
        if scope.wrote:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=primary_after_write_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict) -> None:
        """Read from the primary for the admin's change forms, and for pages the page cache may keep.

        A form reads what it is about to save. A page kept for anonymous visitors, or its fragment
        kept for members, outlives a replica's lag (PAGE_CACHE_SECONDS): rendered from a replica
        just behind a write, it would be kept, stale, under the write's new version. Those pages
        are rendered once per version.
        """
        scope = current_scope()
        if scope is None or not scope.replicas_allowed or not replica_aliases():
            return
        match = request.resolver_match
        admin_form = bool(match and match.namespace == "admin" and (match.url_name or "").endswith(ADMIN_FORM_VIEWS))
        try:
            cacheable = is_cacheable(request) or fills_fragments(request, view)  # asks who is logged in
        except DatabaseError:
            cacheable = True  # on the primary; the view meets the outage itself and answers the styled 503
        if admin_form or cacheable:
            scope.replicas_allowed = False
