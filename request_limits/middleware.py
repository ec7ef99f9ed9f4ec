"""Request bodies: a size limit for every URL, checked from the headers before anything reads the body.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files, and the CSRF check reads a
POST's body before any view runs: a multipart POST of any size, to any URL (a 404 too), was
written to a temporary file before its 403. Here a body whose Content-Length is over the limit
is a 413, unread, and the files of a multipart body are skipped unread (its other fields still
arrive: test clients and scripts post forms as multipart), unless the view that the URL resolves
to opted in with `request_body_limit()` (the notes import page does). A body sent without
Content-Length (chunked) is never read by Django's WSGI request, so it needs no check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from config.paths import resolved

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


@dataclass(frozen=True)
class BodyLimit:
    max_bytes: int
    files: bool = False


def request_body_limit(max_bytes: int, *, files: bool = False) -> Callable[[View], View]:
    """Let one view take a body of up to `max_bytes`, and (`files`) the files of a multipart body."""

    def allow(view: View) -> View:
        view.request_body_limit = BodyLimit(max_bytes, files)  # type: ignore[attr-defined]
        return view

    return allow


def body_limit_for(request: HttpRequest) -> BodyLimit:
    """The limit of the view that `request`'s path resolves to; the default for any other path."""
    match = resolved(request.path_info)  # once per process and path (config/paths.py)
    return getattr(match and match.func, "request_body_limit", None) or BodyLimit(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


class FileSkippingUploadHandler(FileUploadHandler):
    """Skip every file of a multipart body as it streams past: nothing is kept, in memory or on disk."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        return None

    def file_complete(self, file_size: int) -> None:
        return None


class RequestBodyLimitMiddleware:
    """Answer 413 for a body over the limit, unread; skip the files of views that take none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body then either
        if length:
            limit = body_limit_for(request)
            if length > limit.max_bytes:
                message = f"Request body too large: this address takes at most {limit.max_bytes:,} bytes."
                return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            if not limit.files:
                request.upload_handlers = [FileSkippingUploadHandler(request)]
        return self.get_response(request)
