"""Who may see and change which note: the one place the notes pages ask."""

from __future__ import annotations

from bson import ObjectId
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from notes.models import Note
from notes.owners import with_owner_names
from users.models import User

Visitor = User | AnonymousUser


def can_write(user: Visitor, note: Note) -> bool:
    """Whether `user` may edit and delete `note`: its owner and staff may."""
    return user.is_authenticated and (note.owner_id == user.pk or user.is_staff)


def can_read(user: Visitor, note: Note) -> bool:
    """Whether `user` may read `note`: anyone a public note, the owner and staff a private one."""
    return note.is_public or can_write(user, note)


def get_note_for(user: Visitor, pk: ObjectId | str, *, write: bool) -> Note:
    """Return the note `user` may read (or, with `write`, change), with `owner_name` set; else raise 404.

    A note the user may not see answers exactly as a note that does not exist, and so does a
    note whose owner is gone (an orphan: pages never show it).
    """
    if not ObjectId.is_valid(pk):
        raise Http404("No such note.")
    note = Note.objects.filter(pk=ObjectId(pk)).first()
    allowed = can_write if write else can_read
    if note is None or not allowed(user, note):
        raise Http404("No such note.")
    if user.is_authenticated and note.owner_id == user.pk:
        note.owner_name = user.public_name  # its owner, logged in: active, and named by the row just read
    elif not with_owner_names([note]):
        raise Http404("No such note.")
    return note


def notes_readable_by(user: Visitor, ids: list[str]) -> list[Note]:
    """Return the notes among `ids` that `user` may read, in the order given, orphans left out."""
    object_ids = [ObjectId(pk) for pk in ids if ObjectId.is_valid(pk)]
    found = {note.pk: note for note in Note.objects.filter(pk__in=object_ids) if can_read(user, note)}
    return with_owner_names([found[pk] for pk in object_ids if pk in found])
