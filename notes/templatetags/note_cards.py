"""`{% note_card note %}`: a note's card, from the HTML kept per process when it shows the same (notes/cards.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from notes.cards import card_html, note_card
from notes.models import Note

register = template.Library()


@register.simple_tag(name="note_card", takes_context=True)
def note_card_tag(context: template.Context, note: Note, *, show_owner: bool = False, tags_url: str = "") -> SafeString:
    """The card of `note`; its tags link to `tags_url`, or else to the list it is in (its `tag_link`, or this page)."""
    tag_link = f"{tags_url}?tag=" if tags_url else str(context.get("tag_link") or "?tag=")
    return card_html(note_card(note, show_owner=show_owner, tag_link=tag_link))
