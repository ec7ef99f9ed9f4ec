"""A note's card: what it shows, and its HTML kept per process, since that HTML depends on nothing else.

A card used to be rendered afresh for every list: 10–20 cards a page, each with its own forms,
CSRF token and URLs, were half of my notes' time (issue #18). Now every quick action on a page
posts through that page's one form (templates/notes/_quick_actions_form.html), so a card's HTML is
a function of its `NoteCard` alone. The kept HTML is looked up by the whole `NoteCard`, compared
field by field, never by a digest: a change to anything the card shows is another card.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from notes.models import Note

CARDS_KEPT = 1_024  # per process: a card is 1–2 KB of HTML
CHECKLIST_SHOWN = 5


class CardItem(NamedTuple):
    """A checklist item as a card shows it."""

    text: str
    done: bool


class NoteCard(NamedTuple):
    """Everything a note's card shows: the card template reads these fields and nothing else."""

    pk: str
    title: str
    preview: str
    pinned: bool
    is_public: bool
    checklist: tuple[CardItem, ...]  # the first CHECKLIST_SHOWN items
    checklist_length: int
    checklist_done_count: int
    tags: tuple[str, ...]
    updated_at: datetime
    show_owner: bool  # a list of everyone's notes: the owner's name, no quick actions
    owner_name: str  # "" unless show_owner
    tag_link: str  # a tag's link is this followed by the tag, URL-encoded
    time_zone: str  # the dates are written in it

    @property
    def checklist_more(self) -> int:
        return self.checklist_length - len(self.checklist)


def note_card(note: Note, *, show_owner: bool, tag_link: str) -> NoteCard:
    """The card of `note`; `show_owner` for lists of everyone's notes (their owner's name, no quick actions)."""
    return NoteCard(
        pk=str(note.pk),
        title=note.title,
        preview=note.preview,
        pinned=note.pinned,
        is_public=note.is_public,
        checklist=tuple(CardItem(item.text, item.done) for item in note.checklist[:CHECKLIST_SHOWN]),
        checklist_length=len(note.checklist),
        checklist_done_count=note.checklist_done_count,
        tags=tuple(note.tags),
        updated_at=note.updated_at,
        show_owner=show_owner,
        owner_name=(note.owner_name or "") if show_owner else "",
        tag_link=tag_link,
        time_zone=timezone.get_current_timezone_name(),
    )


@lru_cache(maxsize=CARDS_KEPT)
def card_html(card: NoteCard) -> SafeString:
    """The card's HTML (templates/notes/_note_card.html)."""
    return SafeString(render_to_string("notes/_note_card.html", {"card": card}))
