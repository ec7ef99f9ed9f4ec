"""The site's URLs plus the floor views every page's throughput is compared with."""

from __future__ import annotations

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from tools.bench.views import floor, floor_with_user

FLOOR_PATH = "/bench/floor"
FLOOR_WITH_USER_PATH = "/bench/floor/user"

urlpatterns = [
    path(FLOOR_PATH.lstrip("/"), floor, name="bench-floor"),
    path(FLOOR_WITH_USER_PATH.lstrip("/"), floor_with_user, name="bench-floor-user"),
    *site_urlpatterns,
]
