"""The site's URLs plus the floor views every page's throughput is compared with."""

from __future__ import annotations

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from tools.bench.views import (
    CACHED_PAGE_CEILING_PATH,
    ceiling_cached_page,
    ceiling_create,
    ceiling_logged_in,
    ceiling_member_page,
    ceiling_my_notes,
    ceiling_note_page,
    ceiling_public_notes,
    floor,
    floor_with_user,
)

urlpatterns = [
    path("bench/floor", floor, name="bench-floor"),
    path("bench/floor/user", floor_with_user, name="bench-floor-user"),
    path(CACHED_PAGE_CEILING_PATH.lstrip("/"), ceiling_cached_page, name="bench-ceiling-cached-page"),
    path("bench/ceiling/logged-in/<int:member_id>", ceiling_logged_in, name="bench-ceiling-logged-in"),
    path("bench/ceiling/member-page", ceiling_member_page, name="bench-ceiling-member-page"),
    path("bench/ceiling/note/<str:pk>", ceiling_note_page, name="bench-ceiling-note-page"),
    path("bench/ceiling/my-notes", ceiling_my_notes, name="bench-ceiling-my-notes"),
    path("bench/ceiling/public-notes", ceiling_public_notes, name="bench-ceiling-public-notes"),
    path("bench/ceiling/create", ceiling_create, name="bench-ceiling-create"),
    *site_urlpatterns,
]
