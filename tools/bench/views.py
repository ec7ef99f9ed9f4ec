"""The floor views every page's throughput is compared with, and each page's ceiling on this server.

A ceiling is the round trips a page cannot do without, made raw (pymongo, redis-py, a cursor; no
ORM, template or cache), answered at the same point of the middleware as the page: what that page
would reach if everything Django does around them cost nothing. A member's page's ceiling pays the
logged-in floor too: its own (`ceiling_logged_in`) is the session's GET and the member's SELECT, raw. A page's share of
the floor cannot pass its ceiling's. A cached anonymous page answers before the session and the
middleware after it (page_cache/middleware.py), so its ceiling answers there too
(`CachedPageCeilingMiddleware`); the others are views behind the whole chain, as their pages are.
"""

from __future__ import annotations

from collections.abc import Callable

from bson import ObjectId
from bson.errors import InvalidId
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.db import connections
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django_redis import get_redis_connection

from config.routers import RELATIONAL_DB
from notes.collection import notes_collection
from notes.models import CARD_FIELDS
from notes.views import NOTES_PER_PAGE
from tools.bench.scenarios import BENCH_NOTE_BODY, BENCH_NOTE_TITLE
from users.sessions import live_member_statement

CACHED_PAGE_CEILING_PATH = "/bench/ceiling/cached-page"
# A copy of the anonymous public notes' first page, set by the bench before the load (tools/bench/measure.py).
CACHED_PAGE_KEY = "bench:ceiling:cached-page"
# My notes' order (NoteQuerySet.pinned_first), served by the index note_owner_pinned_updated.
PINNED_FIRST = [("pinned", -1), ("updated_at", -1), ("_id", -1)]
# Public notes' filter and order (Note.objects.public().newest_first()), as the engine sends them.
LIVE_PUBLIC = {"$and": [{"$or": [{"trashed_at": {"$exists": False}}, {"trashed_at": None}]}, {"visibility": "public"}]}
NEWEST_FIRST = [("updated_at", -1), ("_id", -1)]


def floor(request: HttpRequest) -> HttpResponse:
    """Answer a few bytes with no data access: the cost of the server and middleware alone."""
    return HttpResponse(b"ok", content_type="text/plain")


def floor_with_user(request: HttpRequest) -> HttpResponse:
    """The floor plus reading the request's session and user, as every logged-in page does."""
    return HttpResponse(b"member" if request.user.is_authenticated else b"anonymous", content_type="text/plain")


def ceiling_logged_in(request: HttpRequest, member_id: int) -> HttpResponse:
    """The logged-in floor's two round trips, raw: the session's copy in Redis, then the member with their session's row.

    What users/sessions.py sends, by the member's id in the URL where a page reads it from the
    session, without the row made a member.
    """
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    sessions = caches[settings.SESSION_CACHE_ALIAS]
    if get_redis_connection(settings.SESSION_CACHE_ALIAS).get(sessions.make_key(KEY_PREFIX + session_key)) is None:
        return HttpResponse(status=403)
    connection = connections[RELATIONAL_DB]
    statement = live_member_statement(RELATIONAL_DB, connection.vendor)  # the statement the app sends
    with connection.cursor() as cursor:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(statement.sql, [member_id, session_key, now])
        member = cursor.fetchone()
    return HttpResponse(b"anonymous" if member is None else b"member", content_type="text/plain")


class CachedPageCeilingMiddleware:
    """A cached page's ceiling: one raw GET of a page as large as public notes' first, where cached pages answer.

    tools/bench/settings.py places it just before page_cache.middleware.EarlyPageMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return _cached_page() if request.path_info == CACHED_PAGE_CEILING_PATH else self.get_response(request)


def ceiling_cached_page(request: HttpRequest) -> HttpResponse:
    """The same raw GET behind the whole chain, where a site without the middleware above reaches it."""
    return _cached_page()


def ceiling_member_page(request: HttpRequest) -> HttpResponse:
    """The logged-in floor plus the same GET: what a member's page served from one cached fragment can reach."""
    return _cached_page() if request.user.is_authenticated else HttpResponse(status=403)


def _cached_page() -> HttpResponse:
    page = get_redis_connection("default").get(CACHED_PAGE_KEY)
    if page is None:
        raise Http404("no copy of the page to serve: the bench sets it before the load")
    return HttpResponse(page)


def ceiling_note_page(request: HttpRequest, pk: str) -> HttpResponse:
    """The logged-in floor plus a note's page's round trip: the note by its id (a visitor's page is kept in Redis)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    try:
        note = notes_collection().find_one({"_id": ObjectId(pk), "trashed_at": None})
    except InvalidId:
        raise Http404 from None
    if note is None:
        raise Http404
    return HttpResponse(note["title"].encode(), content_type="text/plain")


def ceiling_my_notes(request: HttpRequest) -> HttpResponse:
    """The logged-in floor plus my notes' round trip: the member's first page of live notes, pinned first, as cards."""
    notes = notes_collection().find(
        {"owner_id": request.user.pk, "trashed_at": None}, list(CARD_FIELDS), limit=NOTES_PER_PAGE
    )
    titles = [note["title"] for note in notes.sort(PINNED_FIRST)]
    return HttpResponse("\n".join(titles).encode(), content_type="text/plain")


def ceiling_public_notes(request: HttpRequest) -> HttpResponse:
    """The floor plus public notes' round trips with the page cache off: the count, then the page's notes, raw.

    Whole notes, as the page reads them (the backend sends `.only()` without a projection). Here a
    projection costs more than it saves: DocumentDB computes it for every public note before the sort.
    """
    page = request.GET.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        raise Http404("no such page")
    skip = (int(page) - 1) * NOTES_PER_PAGE
    notes = notes_collection()
    count = notes.count_documents(LIVE_PUBLIC)
    page_notes = notes.find(LIVE_PUBLIC, skip=skip, limit=NOTES_PER_PAGE).sort(NEWEST_FIRST)
    titles = [note["title"] for note in page_notes]
    return HttpResponse(f"{count}\n" + "\n".join(titles), content_type="text/plain")


def ceiling_create(request: HttpRequest) -> HttpResponse:
    """The logged-in floor plus create's round trip: a POST inserts one private note (the bench deletes them after).

    A GET answers the form's CSRF token, as the editor's page does, for the load generator to post with.
    """
    if request.method != "POST":
        token = get_token(request)
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{token}">'.encode())
    now = timezone.now()
    note = {
        "owner_id": request.user.pk,
        "title": BENCH_NOTE_TITLE,
        "body": BENCH_NOTE_BODY,
        "tags": ["bench", "load"],
        "checklist": [],
        "attributes": {},
        "visibility": "private",
        "pinned": False,
        "revisions": [],
        "view_count": 0,
        "created_at": now,
        "updated_at": now,
        "trashed_at": None,
    }
    notes_collection().insert_one(note)
    return HttpResponseRedirect(reverse("bench-floor"))
