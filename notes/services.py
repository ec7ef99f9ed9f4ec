"""Writes to the document store: the notes pages call these, and so do other apps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone

from notes.counters import note_counters_delete
from notes.models import ChecklistItem, Note, NoteQuerySet

DELETE_BATCH = 1000


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
        if Note.everything.filter(pk=note.pk).exists():
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


def note_trash(*, note: Note) -> Note:
    """Move `note` to the trash: it leaves every page and list but its owner's trash, for TRASH_DAYS days."""
    note.trashed_at = timezone.now()
    note.save(update_fields=["trashed_at"])
    return note


def note_restore(*, note: Note) -> Note:
    """Take `note` out of the trash, back to its place in the lists (its last-changed time is kept)."""
    note.trashed_at = None
    note.save(update_fields=["trashed_at"])
    return note


def note_delete(*, note: Note) -> None:
    """Delete one note for good, and its view counters."""
    note_id = note.pk
    note.delete()
    note_counters_delete([note_id])


@dataclass
class DeletedForGood:
    notes: int = 0  # notes deleted
    counters: int | None = 0  # their view counters dropped; None when Redis was unavailable


def notes_delete_for_good(notes: NoteQuerySet) -> DeletedForGood:
    """Delete `notes` for good, DELETE_BATCH at a time, and drop the view counters of those that went.

    A note that leaves `notes` meanwhile (restored from the trash) is neither deleted nor loses its counters.
    """
    result = DeletedForGood()
    while note_ids := list(notes.values_list("pk", flat=True)[:DELETE_BATCH]):
        deleted, _ = notes.filter(pk__in=note_ids).delete()
        if not deleted:
            break
        if deleted < len(note_ids):
            kept = set(Note.everything.filter(pk__in=note_ids).values_list("pk", flat=True))
            note_ids = [note_id for note_id in note_ids if note_id not in kept]
        dropped = note_counters_delete(note_ids)
        result.notes += deleted
        result.counters = None if dropped is None or result.counters is None else result.counters + dropped
    return result


def notes_trash_empty(*, owner_id: int) -> int:
    """Delete for good every note in the trash of `owner_id`; return how many were deleted."""
    return notes_delete_for_good(Note.everything.owned_by(owner_id).trashed()).notes


def notes_trash_purge(*, trashed_before: datetime.datetime) -> DeletedForGood:
    """Delete for good every note moved to the trash before `trashed_before`, with its view counters."""
    return notes_delete_for_good(Note.everything.trashed_before(trashed_before))


def notes_delete_for_owner(*, owner_id: int) -> int:
    """Delete every note of one owner, the trash included; return how many were deleted."""
    deleted, _ = Note.everything.owned_by(owner_id).delete()
    return deleted


def notes_delete_for_owners(*, owner_ids: list[int]) -> int:
    """Delete every note of the owners, the trash included; return how many were deleted."""
    deleted, _ = Note.everything.filter(owner_id__in=owner_ids).delete()
    return deleted
