"""Every note write the drills attempted, whether the app acknowledged it, and the check against MongoDB.

A write is acknowledged when the app said it happened (the redirect after the form's POST, or a
service call that returned). An attempt that got no acknowledgement (a 503, no answer) may or may
not have landed, so it is kept as "pending": the stored note may show it or the last acknowledged
state, and either is fine. Only an acknowledged write that the store does not show is a lost write.
Each note is written by one visitor only, so its writes are ordered.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from bson import ObjectId
from pymongo.collection import Collection


@dataclass
class NoteLedger:
    note_id: str
    owner_id: int
    title: str | None = None  # the last acknowledged title (None: a seeded note never edited)
    deleted: bool = False  # an acknowledged delete
    last_write: str = "seed"  # the last acknowledged write: create, edit or delete
    acknowledged_at: float = 0.0  # time.monotonic() of the last acknowledgement
    pending_titles: set[str] = field(default_factory=set)  # unacknowledged edits since then
    pending_delete: bool = False  # an unacknowledged delete since then


@dataclass
class LostWrite:
    note_id: str
    what: str  # create, edit, delete
    acknowledged_at: float
    detail: str


@dataclass
class Verification:
    checked: int = 0
    lost: list[LostWrite] = field(default_factory=list)
    pending_landed: int = 0  # unacknowledged writes that the store shows after all


class Ledger:
    def __init__(self) -> None:
        self.notes: dict[str, NoteLedger] = {}
        self.acknowledged = {"create": 0, "edit": 0, "delete": 0}
        self.unacknowledged = {"create": 0, "edit": 0, "delete": 0}
        self.pending_create_titles: set[str] = set()
        self._lock = threading.Lock()

    def known(self, note_id: str, owner_id: int, *, title: str | None = None) -> None:
        """A note that existed before the drill (seeded), with its title when it was read from the store."""
        with self._lock:
            self.notes.setdefault(note_id, NoteLedger(note_id, owner_id, title=title))

    def created(self, note_id: str, owner_id: int, title: str) -> None:
        with self._lock:
            self.notes[note_id] = NoteLedger(
                note_id, owner_id, title=title, last_write="create", acknowledged_at=time.monotonic()
            )
            self.acknowledged["create"] += 1

    def create_unacknowledged(self, title: str) -> None:
        with self._lock:
            self.pending_create_titles.add(title)
            self.unacknowledged["create"] += 1

    def edited(self, note_id: str, title: str, *, acknowledged: bool) -> None:
        with self._lock:
            note = self.notes[note_id]
            if acknowledged:
                note.title, note.pending_titles, note.last_write = title, set(), "edit"
                note.acknowledged_at = time.monotonic()
                self.acknowledged["edit"] += 1
            else:
                note.pending_titles.add(title)
                self.unacknowledged["edit"] += 1

    def removed(self, note_id: str, *, acknowledged: bool) -> None:
        with self._lock:
            note = self.notes[note_id]
            if acknowledged:
                note.deleted, note.pending_delete, note.last_write = True, False, "delete"
                note.acknowledged_at = time.monotonic()
                self.acknowledged["delete"] += 1
            else:
                note.pending_delete = True
                self.unacknowledged["delete"] += 1

    def verify(self, collection: Collection, *, owners_alive: set[int] | None = None) -> Verification:
        """Read every tracked note back with raw pymongo and compare it with the acknowledged writes."""
        result = Verification()
        ids = [ObjectId(note_id) for note_id in self.notes]
        stored = {}
        for start in range(0, len(ids), 500):
            for document in collection.find({"_id": {"$in": ids[start : start + 500]}}, {"title": 1, "owner_id": 1}):
                stored[str(document["_id"])] = document
        for note in self.notes.values():
            if owners_alive is not None and note.owner_id not in owners_alive:
                continue  # its owner is gone: the note must be too, which the integrity check covers
            result.checked += 1
            document = stored.get(note.note_id)
            if note.deleted:
                if document is not None:
                    result.lost.append(
                        LostWrite(
                            note.note_id,
                            "delete",
                            note.acknowledged_at,
                            f"deleted (acknowledged) but still stored as {document['title']!r}",
                        )
                    )
                continue
            if document is None:
                if note.pending_delete:
                    result.pending_landed += 1
                else:
                    result.lost.append(LostWrite(note.note_id, note.last_write, note.acknowledged_at, "not stored"))
                continue
            if document["owner_id"] != note.owner_id:
                result.lost.append(
                    LostWrite(
                        note.note_id,
                        "create",
                        note.acknowledged_at,
                        f"stored with owner {document['owner_id']}, not {note.owner_id}",
                    )
                )
            if note.title is None:
                continue
            if document["title"] == note.title:
                continue
            if document["title"] in note.pending_titles:
                result.pending_landed += 1
                continue
            result.lost.append(
                LostWrite(
                    note.note_id,
                    "edit",
                    note.acknowledged_at,
                    f"stored title {document['title']!r}, acknowledged {note.title!r}",
                )
            )
        return result
