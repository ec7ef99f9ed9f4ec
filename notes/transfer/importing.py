"""Import notes from JSON Lines: every line read once and checked, then all written in batches, or nothing."""

from __future__ import annotations

import decimal
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bson import ObjectId
from bson.errors import BSONError, InvalidBSON
from pymongo.errors import BulkWriteError, PyMongoError

from notes.collection import batches, notes_collection
from notes.topics import notes_changed
from notes.transfer.bson_checks import bson_encoded
from notes.transfer.documents import note_document_check
from notes.transfer.extended_json import READ_OPTIONS, extended_json_loads
from notes.transfer.spool import NoteSpool
from users.models import User

__all__ = ["CONFLICT_MODES", "READ_OPTIONS", "ImportInterrupted", "ImportResult", "NotUtf8Text", "notes_import"]

logger = logging.getLogger(__name__)

CONFLICT_MODES = ("fail", "skip", "replace")
PROBLEMS_KEPT = 100  # problems beyond these are counted, not kept: a file of junk must not fill the memory
CONFLICT_IDS_KEPT = 3


@dataclass
class ImportResult:
    """What an import read, found and wrote."""

    on_conflict: str = "fail"
    read: int = 0  # notes read: the non-blank lines
    bad_lines: int = 0
    problem_count: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, problem): the first PROBLEMS_KEPT
    conflicts: int = 0  # notes whose _id is stored already
    conflict_ids: list[ObjectId] = field(default_factory=list)  # the first CONFLICT_IDS_KEPT
    inserted: int = 0
    replaced: int = 0
    skipped: int = 0
    written: bool = False

    @property
    def refused(self) -> bool:
        """Whether the notes cannot be written: a bad line, or a stored `_id` when conflicts fail the import."""
        return bool(self.bad_lines) or (self.on_conflict == "fail" and bool(self.conflicts))

    @property
    def valid(self) -> int:
        return self.read - self.bad_lines

    @property
    def unlisted_problems(self) -> int:
        """Problems counted but not kept (past PROBLEMS_KEPT)."""
        return self.problem_count - len(self.problems)

    def add_problems(self, line: int, problems: list[str]) -> None:
        self.bad_lines += 1
        self.problem_count += len(problems)
        room = PROBLEMS_KEPT - len(self.problems)
        self.problems += [(line, problem) for problem in problems[: max(room, 0)]]

    def add_conflict(self, note_id: ObjectId) -> None:
        self.conflicts += 1
        if len(self.conflict_ids) < CONFLICT_IDS_KEPT:
            self.conflict_ids.append(note_id)


class NotUtf8Text(ValueError):
    """The input has a line that is not UTF-8: where, as a reader would count."""

    def __init__(self, source: str, line: int, byte: int) -> None:
        super().__init__(f"{source} is not UTF-8 text: line {line}, byte {byte} of the line.")


class ImportInterrupted(Exception):
    """MongoDB failed while the notes were written; the notes this import had inserted were removed again, if it could."""

    def __init__(self, result: ImportResult, *, removed: bool) -> None:
        self.result, self.removed = result, removed
        super().__init__(f"MongoDB failed after {result.inserted} inserted notes")


def utf8_lines(lines: Iterable[str], *, source: str) -> Iterator[str]:
    """Pass on lines read with errors="surrogateescape"; stop at the first one that was not UTF-8.

    Strict decoding fails inside a read-ahead chunk, with a traceback that names neither the file
    nor the line; escaped bytes come back as lone surrogates, which valid UTF-8 never decodes to.
    """
    for number, line in enumerate(lines, start=1):
        try:
            line.encode("utf-8")
        except UnicodeEncodeError as error:
            byte = len(line[: error.start].encode("utf-8", "surrogateescape")) + 1
            raise NotUtf8Text(source, number, byte) from None
        yield line


def _json_error(error: Exception) -> str:
    """Say what the Extended JSON reader refused in a line, without bson's advice to programmers."""
    if isinstance(error, RecursionError):
        return "nested too deeply"
    if isinstance(error, decimal.DecimalException):
        return "a $numberDecimal that is not a Decimal128 number"
    if isinstance(error, InvalidBSON) and isinstance(error.__cause__, ArithmeticError):
        return "a $date out of range (years 1 to 9999)"
    if isinstance(error, KeyError):
        return f"an Extended JSON value lacks {error.args[0]!r}"
    if isinstance(error, (ValueError, TypeError, ArithmeticError, BSONError)):
        return str(error)
    return f"Extended JSON that bson cannot read ({type(error).__name__}: {error})"


def _checked_lines(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | None, list[str]]]:
    """Each non-blank line's number, its document if the note model accepts it, and its problems."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            document = extended_json_loads(line)
        # Besides the decoder's ValueError, Extended JSON's converters raise whatever junk inside a
        # wrapper makes them raise, an open set: InvalidId ({"$oid": "zz"}), InvalidBSON
        # ({"$date": 1e300}), decimal's errors, KeyError ({"$binary": {}}), AttributeError, RecursionError.
        except Exception as error:  # noqa: BLE001 - each of them means this line is bad
            yield number, None, [f"malformed JSON: {_json_error(error)}"]
            continue
        try:
            stored, problems = note_document_check(document)
        except RecursionError:  # full_clean() runs json.dumps() over the attributes
            stored, problems = None, ["nested too deeply"]
        yield number, stored, problems


def notes_import(
    *,
    lines: Iterable[str],
    on_conflict: str = "fail",
    dry_run: bool = False,
    batch_size: int = 500,
    member_id: int | None = None,
    on_note: Callable[[int], object] | None = None,
) -> ImportResult:
    """Check every line, then write all notes in batches, or nothing if any line is bad.

    `lines` are read once: each good note waits, encoded, in a temporary file (NoteSpool) until
    every line has been checked, so memory holds one batch of notes whatever the file's size (and
    the `_id`s seen, to find repeats: ~12 MiB for 100,000 notes). A bad line
    means nothing is written whatever `on_conflict` says; an `_id` already in the store means
    nothing is written under "fail", is left alone under "skip", and is overwritten under
    "replace". With `member_id`, every note becomes that member's: the file's owner_id is
    ignored, an `_id` of one of their own notes is the conflict, and every other note gets a new
    `_id` (whether another member holds the file's `_id` is then neither used nor told).
    If MongoDB fails while writing, the notes this import inserted are removed again
    (ImportInterrupted); notes replaced before the failure stay replaced.
    """
    if on_conflict not in CONFLICT_MODES:
        raise ValueError(f"on_conflict must be one of {CONFLICT_MODES}")
    result = ImportResult(on_conflict=on_conflict)
    with NoteSpool() as spool:
        checks = _Checks(spool, result, member_id=member_id)
        for batch in batches(_checked_lines(lines), batch_size):
            checks.batch(batch)
            if on_note:
                on_note(len(batch))
        if result.refused or dry_run:
            return result
        _write(spool, result, batch_size=batch_size)
    return result


class _Checks:
    """What the checks carry from line to line: the members known, the `_id`s seen, the notes spooled."""

    def __init__(self, spool: NoteSpool, result: ImportResult, *, member_id: int | None) -> None:
        self.spool, self.result, self.member_id = spool, result, member_id
        self.seen_ids: dict[bytes, int] = {}  # each `_id`'s 12 bytes, and its line: ~120 bytes a note
        self.members: set[int] = set()

    def batch(self, batch: list[tuple[int, dict[str, Any] | None, list[str]]]) -> None:
        """Check a batch of parsed lines with one look-up of owners and one of `_id`s for all of them."""
        notes = [stored for _, stored, _ in batch if stored]
        owners = {note["owner_id"] for note in notes} - self.members
        if self.member_id is None and owners:
            self.members |= set(User.objects.filter(pk__in=owners).values_list("pk", flat=True))
        existing: set[ObjectId] = set()
        if notes:
            query: dict[str, Any] = {"_id": {"$in": [note["_id"] for note in notes]}}
            if self.member_id is not None:
                query["owner_id"] = self.member_id  # only the member's own notes are theirs to keep
            existing = {row["_id"] for row in notes_collection().find(query, {"_id": 1})}
        for number, stored, line_problems in batch:
            self.result.read += 1
            problems = self._spooled(number, stored, exists=stored["_id"] in existing) if stored else line_problems
            if problems:
                self.result.add_problems(number, problems)

    def _spooled(self, number: int, stored: dict[str, Any], *, exists: bool) -> list[str]:
        """Spool a note the model accepts, unless its owner or `_id` is a problem or BSON cannot store it."""
        note_id = stored["_id"]
        if self.member_id is None and stored["owner_id"] not in self.members:
            return [f"owner_id {stored['owner_id']} is not a member"]
        if note_id.binary in self.seen_ids:
            return [f"_id {note_id} repeats line {self.seen_ids[note_id.binary]}"]
        self.seen_ids[note_id.binary] = number
        if self.member_id is not None:
            stored["owner_id"] = self.member_id
            if not exists:
                stored["_id"] = ObjectId()
        encoded, problems = bson_encoded(stored)
        if encoded is None:
            return problems
        if exists:
            self.result.add_conflict(note_id)
        self.spool.add(stored["_id"], stored["owner_id"], encoded, exists=exists)
        return []


def _write(spool: NoteSpool, result: ImportResult, *, batch_size: int) -> None:
    """Write the spooled notes in batches; if MongoDB fails, remove what this import inserted and raise."""
    collection = notes_collection()
    try:
        for batch in batches(spool, batch_size):
            new = [note.document for note in batch if not note.exists]
            if new:
                try:
                    collection.insert_many(new, ordered=True)
                except BulkWriteError as error:
                    result.inserted += error.details.get("nInserted", 0)
                    raise
                result.inserted += len(new)
            for note in batch:
                if not note.exists:
                    continue
                if result.on_conflict == "replace":
                    collection.replace_one({"_id": note.id}, note.document, upsert=True)
                    result.replaced += 1
                else:
                    result.skipped += 1
    except PyMongoError as error:
        removed = _remove_inserted(spool, result.inserted, batch_size=batch_size)
        raise ImportInterrupted(result, removed=removed) from error
    finally:
        notes_changed(spool.owner_ids)  # raw writes: the model's save() and delete() are not called
    result.written = True


def _remove_inserted(spool: NoteSpool, inserted: int, *, batch_size: int) -> bool:
    """Delete the first `inserted` new notes of the spool, the ones an interrupted write had stored."""
    new_ids = (note.id for note in spool if not note.exists)
    try:
        for batch in batches((note_id for _, note_id in zip(range(inserted), new_ids, strict=False)), batch_size):
            notes_collection().delete_many({"_id": {"$in": batch}})
    except PyMongoError:
        logger.exception("import: %d notes written before MongoDB failed could not be removed", inserted)
        return False
    return True


def notes_import_upload(*, member_id: int, upload: Iterable[bytes]) -> ImportResult:
    """Import a JSON Lines file a member sent from the page into their account, all or nothing.

    The notes become theirs (see notes_import's `member_id`); notes already theirs are left as
    they are. `upload` yields the file's lines as bytes (Django's uploaded files do).
    """
    lines = (line.decode("utf-8", "surrogateescape") for line in upload)
    return notes_import(lines=utf8_lines(lines, source="The file"), member_id=member_id, on_conflict="skip")
