"""`{% member_notes member.pk as notes %}`: a member's note figures for the users pages, which do not import notes."""

from __future__ import annotations

from django import template

from notes.member_notes import MemberNotes, member_notes

register = template.Library()


@register.simple_tag(name="member_notes")
def member_notes_tag(member_id: int) -> MemberNotes:
    """Return the figures of one member's notes."""
    return member_notes([member_id])
