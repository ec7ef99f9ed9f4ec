"""Liveness before anything else, and a styled 503 instead of a 500 when a store is down."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from pymongo.errors import ConnectionFailure

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10


def is_store_outage(error: BaseException) -> bool:
    """Whether the error says a store could not be reached (not that a query was wrong)."""
    if isinstance(error, (OperationalError, ConnectionFailure)):
        return True
    return isinstance(error, DatabaseError) and isinstance(error.__cause__, ConnectionFailure)


LIVENESS_PATH = "/healthz"


class LivenessMiddleware:
    """Answer /healthz first: no host check, no HTTPS redirect, no session, no store.

    Container health checks call it by IP over plain HTTP, which ALLOWED_HOSTS and the SSL
    redirect would otherwise refuse; it only says that the process serves requests.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == LIVENESS_PATH:
            return HttpResponse("ok", content_type="text/plain", headers={"Cache-Control": "no-store"})
        return self.get_response(request)


class StoreUnavailableMiddleware:
    """Answer 503 with a friendly page, and log once, when a store does not answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_store_outage(exception):
            return None
        return store_unavailable(request, exception)


def store_unavailable(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Log the outage once and answer the styled 503 page."""
    logger.warning("store unavailable for %s %s: %s", request.method, request.path, exception.__cause__ or exception)
    # Rendered without the request: its context (the session's user) may need the store that is down.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
