"""`{% note_header note as header %}`, `{% note_content note %}` and `{% note_revisions note %}`: a note's page's parts, from the HTML kept per process (notes/note_page.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from notes.models import Note
from notes.note_page import (
    HeaderHTML,
    content_html,
    header_html,
    note_content,
    note_header,
    note_revisions,
    revisions_html,
)

register = template.Library()


@register.simple_tag(name="note_header")
def note_header_tag(note: Note) -> HeaderHTML:
    """The header of `note` (title, owner, dates, tags), on either side of its view count."""
    return header_html(note_header(note))


@register.simple_tag(name="note_content")
def note_content_tag(note: Note, *, can_write: bool) -> SafeString:
    """The body, checklist and attributes of `note`, and its action buttons for who `can_write`."""
    return content_html(note_content(note, can_write=can_write))


@register.simple_tag(name="note_revisions")
def note_revisions_tag(note: Note) -> SafeString:
    """The earlier versions of `note`."""
    return revisions_html(note_revisions(note))
