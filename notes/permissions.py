"""Who may see and change which note: the one place the notes pages ask."""

from __future__ import annotations

from collections.abc import Callable

from bson import ObjectId
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from notes.counters import OwnerNamedView, ViewNotCounted, note_view_record, note_view_record_if_owner_named
from notes.models import Note
from notes.owners import with_owner_names
from users.models import User

Visitor = User | AnonymousUser


def is_owner(user: Visitor, note: Note) -> bool:
    """Whether `user` wrote `note`."""
    return user.is_authenticated and note.owner_id == user.pk


def can_write(user: Visitor, note: Note) -> bool:
    """Whether `user` may edit, pin or trash `note`: its owner and staff may, unless it is in the trash."""
    return not note.is_trashed and user.is_authenticated and (note.owner_id == user.pk or user.is_staff)


def can_read(user: Visitor, note: Note) -> bool:
    """Whether `user` may read `note`: anyone a public note, the owner and staff a private one, only the owner a trashed one."""
    if note.is_trashed:
        return is_owner(user, note)
    return note.is_public or can_write(user, note)


def can_take_out_of_trash(user: Visitor, note: Note) -> bool:
    """Whether `user` may restore `note` or delete it for good: only its owner, and only from the trash."""
    return note.is_trashed and is_owner(user, note)


def get_note_for(user: Visitor, pk: ObjectId | str, *, write: bool = False, trashed: bool = False) -> Note:
    """Return the note `user` may read (or, with `write`, change; with `trashed`, take out of their trash), with `owner_name` set; else raise 404.

    A note the user may not see answers exactly as a note that does not exist, and so does a
    note whose owner is gone (an orphan: pages never show it). A note in the trash is its
    owner's alone: everyone else, staff too, gets a 404, and nobody may edit it.
    """
    return _named(user, _note_allowed(user, pk, can_take_out_of_trash if trashed else can_write if write else can_read))


def get_note_viewed_by(user: Visitor, pk: ObjectId | str) -> tuple[Note, int | None]:
    """Return the note `user` may read, as get_note_for() does, and its live views with this view counted (None when Redis is unavailable).

    For someone other than its owner, the owner's name and the view take one Redis round trip:
    a script counts the view only if Redis keeps the owner's name (notes/counters.py). Without
    it, the name is looked up as get_note_for() does, and the view counted once the note is sure
    to be shown: a note that answers 404, an orphan too, is never counted. Redis is asked once
    more only if it answered the first time.
    """
    note = _note_allowed(user, pk, can_read)
    viewer_id = user.pk if user.is_authenticated else None
    if not (user.is_authenticated and note.owner_id == user.pk):
        named = note_view_record_if_owner_named(note_id=note.pk, owner_id=note.owner_id, viewer_id=viewer_id)
        if isinstance(named, OwnerNamedView):
            note.owner_name = named.owner_name
            return note, named.live_views
        if named is ViewNotCounted.REDIS_UNAVAILABLE:
            return _named(user, note), None
    return _named(user, note), note_view_record(note_id=note.pk, owner_id=note.owner_id, viewer_id=viewer_id)


def _named(user: Visitor, note: Note) -> Note:
    """Give `note` its owner's name; raise 404 for an orphan (its owner gone), which pages never show."""
    if user.is_authenticated and note.owner_id == user.pk:
        note.owner_name = user.public_name  # its owner, logged in: active, and named by the row just read
    elif not with_owner_names([note]):
        raise Http404("No such note.")
    return note


def _note_allowed(user: Visitor, pk: ObjectId | str, allowed: Callable[[Visitor, Note], bool]) -> Note:
    """Return the note with the id `pk` if `allowed` lets `user` have it, without its owner's name; else raise 404."""
    if not ObjectId.is_valid(pk):
        raise Http404("No such note.")
    note = Note.read(ObjectId(pk))
    if note is None or not allowed(user, note):
        raise Http404("No such note.")
    return note


def notes_readable_by(user: Visitor, ids: list[str]) -> list[Note]:
    """Return the notes among `ids` that `user` may read, in the order given, orphans left out."""
    object_ids = [ObjectId(pk) for pk in ids if ObjectId.is_valid(pk)]
    found = {note.pk: note for note in Note.objects.filter(pk__in=object_ids) if can_read(user, note)}
    return with_owner_names([found[pk] for pk in object_ids if pk in found])
