"""The 400, 403 and 404 pages, answered as the 503 page when rendering them needs a store that is down.

Django renders them with the request's context, and base.html asks whether the visitor is
logged in: with a session cookie that reads the relational store. An outage there would turn a
404 into a 500 inside Django's handler, where no middleware sees the exception.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views import defaults

from health.middleware import is_store_outage, store_unavailable

ErrorView = Callable[[HttpRequest, Exception], HttpResponse]


def _unless_a_store_is_down(view: ErrorView) -> ErrorView:
    def answer(request: HttpRequest, exception: Exception) -> HttpResponse:
        try:
            return view(request, exception)
        except Exception as error:
            if is_store_outage(error):
                return store_unavailable(request, error)
            raise

    return answer


bad_request = _unless_a_store_is_down(defaults.bad_request)
permission_denied = _unless_a_store_is_down(defaults.permission_denied)
page_not_found = _unless_a_store_is_down(defaults.page_not_found)
