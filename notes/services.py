"""Writes to the document store: the notes pages call these, and so do other apps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import DatabaseError

from notes.models import ChecklistItem, Note


def note_create(
    *,
    owner_id: int,
    title: str,
    body: str = "",
    visibility: str = Note.Visibility.PRIVATE,
    pinned: bool = False,
    tags: list[str] | None = None,
    checklist: list[ChecklistItem] | None = None,
    attributes: dict[str, str] | None = None,
) -> Note:
    """Validate and save a new note for `owner_id`."""
    note = Note(
        owner_id=owner_id,
        title=title,
        body=body,
        visibility=visibility,
        pinned=pinned,
        tags=tags or [],
        checklist=checklist or [],
        attributes=attributes or {},
    )
    note.full_clean()
    note.save()
    return note


def note_update(
    *,
    note: Note,
    title: str,
    body: str,
    visibility: str,
    pinned: bool,
    tags: list[str],
    checklist: list[ChecklistItem],
    attributes: dict[str, str],
) -> Note:
    """Validate and save an edit of `note`, keeping its previous title and body as a revision if they change."""
    if (title, body) != (note.title, note.body):
        note.record_revision(title=note.title, body=note.body)
    note.title = title
    note.body = body
    note.visibility = visibility
    note.pinned = pinned
    note.tags = tags
    note.checklist = checklist
    note.attributes = attributes
    note.full_clean()
    try:
        note.save()
    except DatabaseError:
        if Note.objects.filter(pk=note.pk).exists():
            raise
        raise ValidationError("This note was deleted while you were editing it.", code="deleted") from None
    return note


def note_pin(*, note: Note, pinned: bool) -> Note:
    """Pin or unpin `note`; its place in my notes changes, its last-changed time does not."""
    note.pinned = pinned
    note.full_clean()
    note.save(update_fields=["pinned"])
    return note


def note_checklist_item_mark(*, note: Note, index: int, done: bool) -> Note:
    """Tick (or untick) the checklist item at `index` of `note`; an index it does not have is an IndexError."""
    if not 0 <= index < len(note.checklist):
        raise IndexError(index)
    note.checklist[index].done = done
    note.full_clean()
    note.save(update_fields=["checklist", "updated_at"])
    return note


def note_delete(*, note: Note) -> None:
    """Delete one note."""
    note.delete()


def notes_delete_for_owner(*, owner_id: int) -> int:
    """Delete every note of one owner; return how many were deleted."""
    deleted, _ = Note.objects.owned_by(owner_id).delete()
    return deleted


def notes_delete_for_owners(*, owner_ids: list[int]) -> int:
    """Delete every note of the owners; return how many were deleted."""
    deleted, _ = Note.objects.filter(owner_id__in=owner_ids).delete()
    return deleted
