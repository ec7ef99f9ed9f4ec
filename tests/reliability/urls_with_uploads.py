"""The site's URLs plus two that count the files they receive: one takes none, one opted in to files."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as site_urlpatterns
from request_limits.middleware import request_body_limit

UPLOAD_LIMIT = 4 * 1024 * 1024


@csrf_exempt
def count_files(request: HttpRequest) -> HttpResponse:
    """Say how many files and bytes of them arrived."""
    return HttpResponse(f"{len(request.FILES)} {sum(upload.size for upload in request.FILES.values())}")


@request_body_limit(UPLOAD_LIMIT, files=True)
@csrf_exempt
def take_files(request: HttpRequest) -> HttpResponse:
    """Say how many files and bytes of them arrived, as a view that opted in to uploads."""
    return count_files(request)


urlpatterns = [
    path("test/no-files/", count_files),
    path("test/upload/", take_files),
    *site_urlpatterns,
]
