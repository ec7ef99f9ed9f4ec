"""A note's page: the parts drawn from the note alone, their HTML kept per process.

The page rendered its header, Markdown body, checklist, attributes, action buttons and earlier
versions afresh on every view, reversing a URL per checklist item and button (issue #18), though
all of it depends on the note, its owner's name and on whether the reader may change it, nothing
else: the view count, the CSRF token and the page's own path stay outside. Each part is kept by its whole value,
compared field by field, never by a digest: a change to anything it shows is another part. A
part whose text is longer than KEPT_SOURCE_LENGTH is rendered afresh, so the kept ones stay small.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from notes.cards import CardItem
from notes.models import MAX_REVISIONS, Note

PARTS_KEPT = 256  # per process, of each kind
KEPT_SOURCE_LENGTH = 10_000  # characters of text a kept part is drawn from, at most: its HTML is a few times that


class NoteHeader(NamedTuple):
    """What a note's header shows but its view count: notes/_note_header.html reads these fields and nothing else."""

    title: str
    owner_name: str | None  # set on every note a page shows (notes/permissions.py)
    visibility: str  # as the page names it
    pinned: bool
    updated_at: datetime
    time_zone: str  # the date is written in it
    tags: tuple[str, ...]
    is_public: bool  # its tags link to the public notes, else to the owner's

    @property
    def source_length(self) -> int:
        return len(self.title) + len(self.owner_name or "") + sum(len(tag) for tag in self.tags)


class HeaderHTML(NamedTuple):
    """A note's header, on either side of its view count, which the page writes in per request."""

    before_views: SafeString
    after_views: SafeString


class NoteContent(NamedTuple):
    """What a note's page shows below its header: the note/_note_content.html template reads these fields and nothing else."""

    pk: str
    body: str
    checklist: tuple[CardItem, ...]
    attributes: tuple[tuple[str, str], ...]
    can_write: bool  # the checklist's tick buttons and the Edit, Pin and Delete buttons
    pinned: bool

    @property
    def checklist_done_count(self) -> int:
        return sum(item.done for item in self.checklist)

    @property
    def source_length(self) -> int:
        items = sum(len(item.text) for item in self.checklist)
        return len(self.body) + items + sum(len(name) + len(value) for name, value in self.attributes)


class RevisionShown(NamedTuple):
    """An earlier version as the page shows it."""

    title: str
    body: str
    saved_at: datetime


class NoteRevisions(NamedTuple):
    """A note's earlier versions, for who may change it: notes/_note_revisions.html reads these fields and nothing else."""

    revisions: tuple[RevisionShown, ...]
    time_zone: str  # the dates are written in it

    @property
    def source_length(self) -> int:
        return sum(len(revision.title) + len(revision.body) for revision in self.revisions)


def note_header(note: Note) -> NoteHeader:
    """The header of `note`, whose `owner_name` is set (notes/permissions.py)."""
    return NoteHeader(
        title=note.title,
        owner_name=note.owner_name,
        visibility=note.get_visibility_display(),
        pinned=note.pinned,
        updated_at=note.updated_at,
        time_zone=timezone.get_current_timezone_name(),
        tags=tuple(note.tags),
        is_public=note.is_public,
    )


def note_content(note: Note, *, can_write: bool) -> NoteContent:
    return NoteContent(
        pk=str(note.pk),
        body=note.body,
        checklist=tuple(CardItem(item.text, item.done) for item in note.checklist),
        attributes=tuple(note.attribute_pairs),
        can_write=can_write,
        pinned=note.pinned,
    )


def note_revisions(note: Note) -> NoteRevisions:
    return NoteRevisions(
        revisions=tuple(RevisionShown(revision.title, revision.body, revision.saved_at) for revision in note.revisions),
        time_zone=timezone.get_current_timezone_name(),
    )


def header_html(header: NoteHeader) -> HeaderHTML:
    """The part's HTML (templates/notes/_note_header.html), kept unless it is long."""
    return (_kept_header_html if header.source_length <= KEPT_SOURCE_LENGTH else _header_html)(header)


def content_html(content: NoteContent) -> SafeString:
    """The part's HTML (templates/notes/_note_content.html), kept unless it is long."""
    return (_kept_content_html if content.source_length <= KEPT_SOURCE_LENGTH else _content_html)(content)


def revisions_html(revisions: NoteRevisions) -> SafeString:
    """The part's HTML (templates/notes/_note_revisions.html), kept unless it is long."""
    return (_kept_revisions_html if revisions.source_length <= KEPT_SOURCE_LENGTH else _revisions_html)(revisions)


# Where the header's view count goes: no text the template escapes can hold a "<". A visitor's page
# is kept with it (notes/views.py), the first on the page: the header comes before any text of the note's.
VIEWS_SLOT = SafeString("<note-views-slot>")


def views_shown(views: int | None) -> str:
    """A note's views as its page shows them; None when Redis did not count them."""
    return "views unavailable" if views is None else f"{views} view{pluralize(views)}"


def _header_html(header: NoteHeader) -> HeaderHTML:
    before, after = render_to_string("notes/_note_header.html", {"header": header, "views": VIEWS_SLOT}).split(
        VIEWS_SLOT
    )
    return HeaderHTML(SafeString(before), SafeString(after))


def _content_html(content: NoteContent) -> SafeString:
    return SafeString(render_to_string("notes/_note_content.html", {"content": content}))


def _revisions_html(revisions: NoteRevisions) -> SafeString:
    context = {"revisions": revisions.revisions, "max_revisions": MAX_REVISIONS}
    return SafeString(render_to_string("notes/_note_revisions.html", context))


_kept_header_html = lru_cache(maxsize=PARTS_KEPT)(_header_html)
_kept_content_html = lru_cache(maxsize=PARTS_KEPT)(_content_html)
_kept_revisions_html = lru_cache(maxsize=PARTS_KEPT)(_revisions_html)
