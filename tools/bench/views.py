from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def floor(request: HttpRequest) -> HttpResponse:
    """Answer a few bytes with no data access: the cost of the server and middleware alone."""
    return HttpResponse(b"ok", content_type="text/plain")


def floor_with_user(request: HttpRequest) -> HttpResponse:
    """The floor plus reading the request's session and user, as every logged-in page does."""
    return HttpResponse(b"member" if request.user.is_authenticated else b"anonymous", content_type="text/plain")
