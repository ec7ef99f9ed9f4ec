"""Move notes in and out of the document store as JSON Lines.

Format: one note per line, its raw MongoDB document in Extended JSON, relaxed mode
(bson.json_util with RELAXED_JSON_OPTIONS): `_id` is {"$oid": "<24 hex>"}, datetimes are
{"$date": "YYYY-MM-DDTHH:MM:SS.mmmZ"} in UTC to the millisecond (BSON's own precision), every
other value is plain JSON. Importing an export into an empty database gives the same documents.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import bson
from bson import ObjectId, json_util
from bson.errors import BSONError, InvalidBSON
from bson.json_util import RELAXED_JSON_OPTIONS, JSONMode, JSONOptions
from django.core.exceptions import ValidationError
from django.db import connections, router
from django_mongodb_backend.base import DatabaseWrapper
from pymongo.collection import Collection

from notes.models import ChecklistItem, Note, Revision
from notes.topics import notes_changed
from users.models import User

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

READ_OPTIONS = JSONOptions(json_mode=JSONMode.RELAXED, tz_aware=True, tzinfo=datetime.UTC)
CONFLICT_MODES = ("fail", "skip", "replace")
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024  # MongoDB's maxBsonObjectSize

REQUIRED = {
    "_id": ObjectId,
    "owner_id": int,
    "title": str,
    "created_at": datetime.datetime,
    "updated_at": datetime.datetime,
}
OPTIONAL = {
    "body": (str, ""),
    "tags": (list, list),
    "checklist": (list, list),
    "attributes": (dict, dict),
    "visibility": (str, Note.Visibility.PRIVATE),
    "pinned": (bool, False),
    "revisions": (list, list),
    "view_count": (int, 0),
}


def notes_collection() -> Collection[dict[str, Any]]:
    """Return the raw pymongo collection holding the notes."""
    connection = cast(DatabaseWrapper, connections[router.db_for_write(Note)])
    return connection.database[Note._meta.db_table]


def notes_export(
    *,
    output: SupportsWrite[str],
    owner_id: int | None = None,
    batch_size: int = 1000,
    on_note: Callable[[int], object] | None = None,
) -> int:
    """Write the notes (of `owner_id`, or all) to `output` one JSON line each; return how many."""
    query = {} if owner_id is None else {"owner_id": owner_id}
    written = 0
    for document in notes_collection().find(query).sort("_id", 1).batch_size(batch_size):
        output.write(json_util.dumps(document, json_options=RELAXED_JSON_OPTIONS) + "\n")
        written += 1
        if on_note:
            on_note(1)
    return written


def notes_export_count(*, owner_id: int | None = None) -> int:
    """Count the notes notes_export() would write."""
    return notes_collection().count_documents({} if owner_id is None else {"owner_id": owner_id})


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


def _type_name(kind: type) -> str:
    return {
        ObjectId: "ObjectId",
        datetime.datetime: "datetime",
        int: "integer",
        str: "string",
        list: "list",
        dict: "object",
        bool: "boolean",
    }[kind]


def _is_a(value: Any, kind: type) -> bool:
    """isinstance(), except that JSON's true and false are not integers, and text is plain text.

    Extended JSON can spell values whose types subclass str ({"$code": …} is JavaScript code);
    MongoDB would store them as those types, not as the text a note holds.
    """
    if kind is str:
        return type(value) is str
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def note_document_check(document: Any) -> tuple[dict[str, Any] | None, list[str]]:
    """Check one parsed line; return the document to store (defaults filled in) and its problems."""
    if not isinstance(document, dict):
        return None, ["a line must be a JSON object"]
    problems = []
    unknown = sorted(set(document) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        problems.append(f"unknown fields: {', '.join(unknown)}")
    for name, kind in REQUIRED.items():
        if name not in document:
            problems.append(f"missing field {name!r}")
        elif not _is_a(document[name], kind):
            problems.append(f"{name!r} must be {_type_name(kind)}")
    stored = dict(document)
    for name, (kind, default) in OPTIONAL.items():
        if name not in document:
            stored[name] = default() if callable(default) else default
        elif not _is_a(document[name], kind):
            problems.append(f"{name!r} must be {_type_name(kind)}")
    if problems:
        return None, problems
    problems += _embedded_problems(stored)
    if problems:
        return None, problems
    note = Note(
        id=stored["_id"],
        owner_id=stored["owner_id"],
        title=stored["title"],
        body=stored["body"],
        tags=stored["tags"],
        attributes=stored["attributes"],
        visibility=stored["visibility"],
        pinned=stored["pinned"],
        created_at=stored["created_at"],
        updated_at=stored["updated_at"],
        view_count=stored["view_count"],
        checklist=[ChecklistItem(**item) for item in stored["checklist"]],
        revisions=[Revision(**revision) for revision in stored["revisions"]],
    )
    try:
        note.full_clean(validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems += [f"{name}: {message}" for message in messages]
    if not problems:
        problems = _bson_problems(stored)
    return (None if problems else stored), problems


def _embedded_problems(document: dict[str, Any]) -> list[str]:
    problems = []
    shapes = {
        "checklist": {"text": str, "done": bool},
        "revisions": {"title": str, "body": str, "saved_at": datetime.datetime},
    }
    for name, shape in shapes.items():
        for position, item in enumerate(document[name], start=1):
            if not isinstance(item, dict) or set(item) != set(shape):
                problems.append(f"{name} item {position} must have exactly the fields {', '.join(shape)}")
                continue
            for key, kind in shape.items():
                if not _is_a(item[key], kind):
                    problems.append(f"{name} item {position}: {key!r} must be {_type_name(kind)}")
    if any(not _is_a(tag, str) for tag in document["tags"]):
        problems.append("'tags' must be a list of strings")
    if any(isinstance(value, str) and not _is_a(value, str) for value in document["attributes"].values()):
        problems.append("'attributes' values must be strings")  # other types: the model says which
    return problems


def _bson_problems(document: dict[str, Any]) -> list[str]:
    """Say why MongoDB could not store a document the model accepts, if it could not.

    insert_many() encodes each batch only in the write pass, after earlier batches are stored,
    so what BSON refuses is found here instead: a NUL in a key, a lone surrogate (a \\ud800 escape,
    which UTF-8 cannot encode) in any string or key, a document past 16 MiB.
    """
    try:
        size = len(bson.encode(document))
    except (BSONError, UnicodeEncodeError, OverflowError) as error:
        return list(_unstorable_strings(document)) or [f"MongoDB cannot store this note: {error}"]
    if size > MAX_DOCUMENT_BYTES:
        return [f"the note takes {size:,} bytes in BSON; MongoDB stores at most {MAX_DOCUMENT_BYTES:,}"]
    return []


def _unstorable_strings(value: Any, where: str = "") -> Iterator[str]:
    """Name each key holding a NUL, and each string or key holding a lone surrogate, in `value`."""
    if isinstance(value, str):
        yield from _lone_surrogate(value, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{where} name {key!r}" if where else repr(key)
            if "\x00" in key:
                yield f"{name} contains a NUL character, which MongoDB does not allow in a field name"
            yield from _lone_surrogate(key, name)
            yield from _unstorable_strings(item, f"{where} {key!r}" if where else repr(key))
    elif isinstance(value, list):
        for position, item in enumerate(value, start=1):
            yield from _unstorable_strings(item, f"{where} item {position}")


def _lone_surrogate(text: str, where: str) -> Iterator[str]:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        yield f"{where} is not valid Unicode: a lone surrogate {text[error.start]!r} at character {error.start + 1}"


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


def batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Yield the items in lists of `size` (the last may be shorter)."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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
