"""The site's routes with a `notes:detail` page, whatever stage the notes app's own routes are at."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns


def note_page(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("A note.")


notes_urlpatterns = [
    path("", note_page, name="list"),
    path("public/", note_page, name="public"),
    path("new/", note_page, name="create"),
    path("<str:pk>/", note_page, name="detail"),
]

urlpatterns = [
    path("notes/", include((notes_urlpatterns, "notes"))),
    *[pattern for pattern in site_urlpatterns if getattr(pattern, "namespace", None) != "notes"],
]
