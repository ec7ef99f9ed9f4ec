"""Check one imported document: its fields' types and shapes, then the note model's rules, then BSON's limits."""

from __future__ import annotations

import datetime
from typing import Any

from bson import ObjectId
from django.core.exceptions import ValidationError

from notes.models import ChecklistItem, Note, Revision
from notes.transfer.bson_checks import bson_problems

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
NULLABLE = {"trashed_at": datetime.datetime}  # null or missing: the note is not in the trash


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
    unknown = sorted(set(document) - set(REQUIRED) - set(OPTIONAL) - set(NULLABLE))
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
    for name, kind in NULLABLE.items():
        stored.setdefault(name, None)
        if stored[name] is not None and not _is_a(stored[name], kind):
            problems.append(f"{name!r} must be {_type_name(kind)} or null")
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
        trashed_at=stored["trashed_at"],
        checklist=[ChecklistItem(**item) for item in stored["checklist"]],
        revisions=[Revision(**revision) for revision in stored["revisions"]],
    )
    try:
        note.full_clean(validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems += [f"{name}: {message}" for message in messages]
    if not problems:
        problems = bson_problems(stored)
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
