"""A member's notes as the users pages and the users admin show them; users reaches it only through hooks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from notes.models import Note, NoteQuerySet

LATEST_PUBLIC_NOTES = 5


@dataclass
class MemberNotes:
    """The notes of `member_ids`, each figure read from the document store when first asked for."""

    member_ids: list[int]

    @property
    def notes(self) -> NoteQuerySet:
        return Note.objects.filter(owner_id__in=self.member_ids)

    @cached_property
    def count(self) -> int:
        """Every note of theirs, the trash included: what deleting the members deletes."""
        return Note.everything.filter(owner_id__in=self.member_ids).count()

    @cached_property
    def public_count(self) -> int:
        return self.notes.public().count()

    @cached_property
    def latest_public(self) -> list[Note]:
        return list(self.notes.public().newest_first()[:LATEST_PUBLIC_NOTES])


def member_notes(member_ids: list[int]) -> MemberNotes:
    """Return the figures of the notes that `member_ids` own."""
    return MemberNotes(member_ids)
