"""Import notes from JSON Lines: every line checked first, then all written in batches, or nothing."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bson import ObjectId, json_util
from bson.errors import BSONError, InvalidBSON
from bson.json_util import JSONMode, JSONOptions

from notes.collection import batches, notes_collection
from notes.topics import notes_changed
from notes.transfer.documents import note_document_check
from users.models import User

READ_OPTIONS = JSONOptions(json_mode=JSONMode.RELAXED, tz_aware=True, tzinfo=datetime.UTC)
CONFLICT_MODES = ("fail", "skip", "replace")


@dataclass
class ImportResult:
    read: int = 0
    inserted: int = 0
    replaced: int = 0
    skipped: int = 0
    conflicts: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    written: bool = False

    @property
    def bad_lines(self) -> int:
        return len({line for line, _ in self.errors})


def _json_error(error: Exception) -> str:
    """Say what json_util.loads() refused in a line, without bson's advice to programmers."""
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


def _parsed_lines(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | None, list[str]]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            document = json_util.loads(line, json_options=READ_OPTIONS)
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
    open_lines: Callable[[], Iterable[str]],
    on_conflict: str = "fail",
    dry_run: bool = False,
    batch_size: int = 500,
    on_note: Callable[[int], object] | None = None,
) -> ImportResult:
    """Validate every line, then write all notes in batches, or nothing if any line is bad.

    `open_lines` is called twice (validation pass, write pass), so the file streams through
    twice instead of being held in memory; only the `_id`s seen are kept, to find repeats.
    A bad line means nothing is written whatever `on_conflict` says; an `_id` already in the
    store means nothing is written under "fail", is left alone under "skip", and is
    overwritten under "replace".
    """
    if on_conflict not in CONFLICT_MODES:
        raise ValueError(f"on_conflict must be one of {CONFLICT_MODES}")
    collection = notes_collection()
    result = ImportResult()
    seen_ids: dict[ObjectId, int] = {}
    known_owners: set[int] = set()
    for batch in batches(_parsed_lines(open_lines()), batch_size):
        owners = {stored["owner_id"] for _, stored, _ in batch if stored} - known_owners
        known_owners |= set(User.objects.filter(pk__in=owners).values_list("pk", flat=True))
        ids = [stored["_id"] for _, stored, _ in batch if stored]
        existing = {row["_id"] for row in collection.find({"_id": {"$in": ids}}, {"_id": 1})}
        for number, stored, parse_problems in batch:
            result.read += 1
            problems = parse_problems
            if stored:
                if stored["owner_id"] not in known_owners:
                    problems = [f"owner_id {stored['owner_id']} is not a member"]
                elif stored["_id"] in seen_ids:
                    problems = [f"_id {stored['_id']} repeats line {seen_ids[stored['_id']]}"]
                else:
                    seen_ids[stored["_id"]] = number
                    if stored["_id"] in existing:
                        result.conflicts += 1
                        if on_conflict == "fail":
                            problems = [f"_id {stored['_id']} exists already (use --on-conflict skip or replace)"]
            result.errors += [(number, problem) for problem in problems]
            if on_note:
                on_note(1)
    if result.errors or dry_run:
        return result
    owner_ids: set[int] = set()
    for batch in batches((stored for _, stored, _ in _parsed_lines(open_lines())), batch_size):
        existing = {row["_id"] for row in collection.find({"_id": {"$in": [d["_id"] for d in batch]}}, {"_id": 1})}
        owner_ids.update(document["owner_id"] for document in batch)
        new = [document for document in batch if document["_id"] not in existing]
        if new:
            collection.insert_many(new, ordered=True)
            result.inserted += len(new)
        for document in batch:
            if document["_id"] not in existing:
                continue
            if on_conflict == "replace":
                collection.replace_one({"_id": document["_id"]}, document)
                result.replaced += 1
            else:
                result.skipped += 1
    result.written = True
    notes_changed(owner_ids)  # raw writes: the model's save() and delete() are not called
    return result
