"""The pages the load generator drives, one `Scenario` each.

To add one, append a Scenario to SCENARIOS: its URL name says whether the page exists yet, `path`
builds the URL from the dataset's `Subjects`, `login` picks the session it is requested with, and
`form` makes it a POST of that form. A page the page cache serves to anonymous visitors is measured
twice (`cached_and_uncached`): on the normal server, and on a second one started with
PAGE_CACHE_SECONDS=0, which turns the page cache off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from django.urls import NoReverseMatch, reverse

BENCH_NOTE_TITLE = "Benchmark note"
BENCH_NOTE_BODY = "Written by `python -m tools.bench` under load.\n\n" + "A paragraph of *markdown* text. " * 12


@dataclass(frozen=True)
class Subjects:
    """The rows of the dataset the scenarios point at."""

    member_id: int
    public_note_id: str
    reader: str  # logged in for pages behind login
    writer: str  # logged in to create notes; another member so that the reader's pages do not change


Login = Literal["reader", "writer"]
Group = Literal["floor", "ceiling", "list", "page", "write", "probe"]
Variant = Literal["cached", "uncached"]
MAIN_SERVER, UNCACHED_SERVER = "main", "uncached"  # the second: PAGE_CACHE_SECONDS=0
# The third: the page cache off, and the notes on the other document server (mongo-java-server
# when FerretDB is the default), with the same members, notes, sessions and settings.
OTHER_DOCUMENT_SERVER = "other-document-server"
UNCACHED_SUFFIX = "-uncached"
OTHER_DOCUMENT_SERVER_SUFFIX = "-other-server"


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    url_name: str | None  # None: a bench-only URL that always exists
    path: Callable[[Subjects], str]
    group: Group
    login: Login | None = None
    form: Callable[[], dict[str, str]] | None = None  # a POST of these fields (plus the CSRF token)
    expect: int = 200
    note: str = ""
    args: Callable[[Subjects], list[object]] = field(default=lambda subjects: [])
    variant: Variant | None = None  # a page the page cache serves: with it ("cached") or without
    other_document_server: bool = False  # measured on the other document server, page cache off
    member_fragment: bool = False  # a member's page whose shared part the fragment cache keeps

    @property
    def primed(self) -> bool:
        """Whether it is served from a cache a write empties: requested once before each run and profile."""
        return self.variant == "cached" or self.member_fragment

    @property
    def method(self) -> str:
        return "GET" if self.form is None else "POST"

    @property
    def server(self) -> str:
        """The server it is measured on: the normal one, the one with the page cache off, or the other document server's."""
        if self.other_document_server:
            return OTHER_DOCUMENT_SERVER
        return UNCACHED_SERVER if self.variant == "uncached" else MAIN_SERVER

    def missing(self, subjects: Subjects) -> bool:
        """Whether the page is not built yet: its URL name does not resolve."""
        if self.url_name is None:
            return False
        try:
            reverse(self.url_name, args=self.args(subjects))
        except NoReverseMatch:
            return True
        return False


def note_form() -> dict[str, str]:
    """The note editor's fields for a private note with no checklist or attribute rows."""
    return {
        "title": BENCH_NOTE_TITLE,
        "body": BENCH_NOTE_BODY,
        "visibility": "private",
        "tags": "bench load",
        "checklist-TOTAL_FORMS": "0",
        "checklist-INITIAL_FORMS": "0",
        "attributes-TOTAL_FORMS": "0",
        "attributes-INITIAL_FORMS": "0",
    }


def _url(name: str, *, query: str = "") -> Callable[[Subjects], str]:
    return lambda subjects: reverse(name) + query


def cached_and_uncached(
    key: str, title: str, url_name: str, path: Callable[[Subjects], str], group: Group, **options: Any
) -> list[Scenario]:
    """An anonymous page twice: served through the page cache, and rendered on every request."""
    cached = Scenario(key, f"{title}, cached", url_name, path, group, variant="cached", **options)
    uncached = Scenario(
        f"{key}{UNCACHED_SUFFIX}", f"{title}, page cache off", url_name, path, group, variant="uncached", **options
    )
    return [cached, uncached]


def ceiling(key: str, title: str, path: Callable[[Subjects], str], **options: Any) -> Scenario:
    """A page's ceiling: a bench-only URL (tools/bench/views.py), read against the page, never a target of its own."""
    return Scenario(key, f"Ceiling of {title}", None, path, "ceiling", **options)


def on_the_other_document_server(scenario: Scenario) -> Scenario:
    """The same list page, rendered afresh, with the notes on the other document server."""
    return replace(
        scenario,
        key=f"{scenario.key.removesuffix(UNCACHED_SUFFIX)}{OTHER_DOCUMENT_SERVER_SUFFIX}",
        title=f"{scenario.title.removesuffix(', page cache off')}, other document server",
        variant="uncached" if scenario.variant else None,
        other_document_server=True,
    )


FLOOR = Scenario("floor", "Floor: minimal view, anonymous", None, _url("bench-floor"), "floor")

SCENARIOS: list[Scenario] = [
    FLOOR,
    Scenario(
        "floor-session",
        "Floor view reading a logged-in session and its user",
        None,
        _url("bench-floor-user"),
        "floor",
        login="reader",
        note="the floor plus what every logged-in page pays: the session (from Redis) and its user (relational)",
    ),
    *cached_and_uncached(
        "directory", "Member directory (/users/), page 1, anonymous", "users:directory", _url("users:directory"), "list"
    ),
    *cached_and_uncached(
        "profile",
        "A member's profile (/users/<id>/), anonymous",
        "users:profile",
        lambda s: reverse("users:profile", args=[s.member_id]),
        "page",
        args=lambda s: [s.member_id],
    ),
    *cached_and_uncached(
        "public-p1", "Public notes, page 1, anonymous", "notes:public", _url("notes:public", query="?page=1"), "list"
    ),
    *cached_and_uncached(
        "public-p50", "Public notes, page 50, anonymous", "notes:public", _url("notes:public", query="?page=50"), "list"
    ),
    Scenario(
        "detail",
        "A public note's page (/notes/<id>/), anonymous",
        "notes:detail",
        lambda s: reverse("notes:detail", args=[s.public_note_id]),
        "page",
        args=lambda s: [s.public_note_id],
    ),
    Scenario(
        "detail-owner",
        "A public note's page (/notes/<id>/), its owner logged in",
        "notes:detail",
        lambda s: reverse("notes:detail", args=[s.public_note_id]),
        "page",
        login="reader",
        args=lambda s: [s.public_note_id],
    ),
    Scenario("my-notes", "My notes (/notes/), logged in", "notes:list", _url("notes:list"), "list", login="reader"),
    # What members get: the page cache serves anonymous visitors only (issue #18, item 3).
    Scenario(
        "public-p1-member",
        "Public notes, page 1, logged in",
        "notes:public",
        _url("notes:public", query="?page=1"),
        "list",
        login="reader",
        member_fragment=True,
    ),
    Scenario(
        "public-p50-member",
        "Public notes, page 50, logged in",
        "notes:public",
        _url("notes:public", query="?page=50"),
        "list",
        login="reader",
        member_fragment=True,
    ),
    Scenario(
        "directory-member",
        "Member directory (/users/), page 1, logged in",
        "users:directory",
        _url("users:directory"),
        "list",
        login="reader",
        member_fragment=True,
    ),
    Scenario(
        "profile-member",
        "A member's profile (/users/<id>/), logged in",
        "users:profile",
        lambda s: reverse("users:profile", args=[s.member_id]),
        "page",
        login="reader",
        args=lambda s: [s.member_id],
        member_fragment=True,
    ),
    Scenario(
        "create",
        "Create a note (POST /notes/new/), logged in",
        "notes:create",
        _url("notes:create"),
        "write",
        login="writer",
        form=note_form,
        expect=302,
        note="a private note through the editor form, CSRF token and session cookie; each answer is the "
        "redirect to the new note",
    ),
    Scenario("readyz", "/readyz (every store pinged)", "health:readyz", _url("health:readyz"), "probe"),
    # The most a page can reach on this server: the round trips it cannot do without, raw (a member's
    # page pays the logged-in floor's too; tools/bench/views.py). A page's share cannot pass its ceiling's.
    ceiling(
        "ceiling-cached-page",
        "a cached page: a raw GET of public notes' first page, where cached pages answer",
        _url("bench-ceiling-cached-page"),
    ),
    ceiling(
        "ceiling-logged-in",
        "the logged-in floor: the floor plus the session's GET and the member's SELECT, raw",
        lambda s: reverse("bench-ceiling-logged-in", args=[s.member_id]),
        login="reader",
    ),
    ceiling(
        "ceiling-member-page",
        "a member's cached fragment: the logged-in floor plus the same raw GET",
        _url("bench-ceiling-member-page"),
        login="reader",
    ),
    ceiling(
        "ceiling-note-page",
        "a note's page for its owner: the logged-in floor plus find_one by id, raw",
        lambda s: reverse("bench-ceiling-note-page", args=[s.public_note_id]),
        login="reader",
    ),
    *(
        ceiling(
            f"ceiling-public-p{page}-uncached",
            f"public notes, page {page}, page cache off: the floor plus the count and the page, raw",
            _url("bench-ceiling-public-notes", query=f"?page={page}"),
        )
        for page in (1, 50)
    ),
    ceiling(
        "ceiling-my-notes",
        "my notes: the logged-in floor plus the member's first page, raw find()",
        _url("bench-ceiling-my-notes"),
        login="reader",
    ),
    ceiling(
        "ceiling-create",
        "create: the logged-in floor plus one insert_one, raw",
        _url("bench-ceiling-create"),
        login="writer",
        form=dict,
        expect=302,
    ),
]
# The lists side by side on both document servers: what an index buys (docs/query-plans.md).
SIDE_BY_SIDE = ("public-p1-uncached", "public-p50-uncached", "my-notes")
SCENARIOS += [on_the_other_document_server(s) for s in SCENARIOS if s.key in SIDE_BY_SIDE]
