"""Views that keep the configured policy, change it with django-csp's decorators, or use its nonce."""

from __future__ import annotations

from csp.decorators import csp_exempt, csp_update
from django.http import HttpRequest, HttpResponse
from django.urls import path


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("plain")


def with_nonce(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")  # type: ignore[attr-defined]


@csp_update({"img-src": ["https://images.example"]})
def with_update(request: HttpRequest) -> HttpResponse:
    return HttpResponse("updated")


@csp_exempt()
def exempt(request: HttpRequest) -> HttpResponse:
    return HttpResponse("exempt")


urlpatterns = [
    path("plain/", plain),
    path("excluded/plain/", plain),
    path("nonce/", with_nonce),
    path("update/", with_update),
    path("exempt/", exempt),
]
