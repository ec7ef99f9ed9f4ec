"""Check one imported document: its fields' types and shapes, then the note model's rules."""

from __future__ import annotations

import datetime
import re
from typing import Any

from bson import ObjectId
from django.core.exceptions import ValidationError

from notes.models import (
    MAX_ATTRIBUTE_NAME_LENGTH,
    MAX_ATTRIBUTE_VALUE_LENGTH,
    MAX_ATTRIBUTES,
    MAX_BODY_LENGTH,
    MAX_CHECKLIST_ITEMS,
    MAX_REVISIONS,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_TITLE_LENGTH,
    NUL,
    ChecklistItem,
    Note,
    Revision,
)

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
KNOWN_FIELDS = frozenset(REQUIRED) | frozenset(OPTIONAL) | frozenset(NULLABLE)
EMBEDDED_SHAPES = {
    "checklist": {"text": str, "done": bool},
    "revisions": {"title": str, "body": str, "saved_at": datetime.datetime},
}


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
    if type(value) is kind:
        return True
    if kind is str:
        return False
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def note_document_check(document: Any) -> tuple[dict[str, Any] | None, list[str]]:
    """Check one parsed line; return the document to store (defaults filled in) and its problems."""
    if not isinstance(document, dict):
        return None, ["a line must be a JSON object"]
    problems = []
    unknown = sorted(document.keys() - KNOWN_FIELDS)
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
    if not within_the_rules_at_a_glance(stored):
        problems = note_model_problems(stored)
    return (None if problems else stored), problems


def note_model_problems(stored: dict[str, Any]) -> list[str]:
    """The note model's own verdict (full_clean()), with its messages."""
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
        trashed_at=stored.get("trashed_at"),  # missing: a live note
        checklist=[ChecklistItem(**item) for item in stored["checklist"]],
        revisions=[Revision(**revision) for revision in stored["revisions"]],
    )
    try:
        note.full_clean(validate_unique=False)
    except ValidationError as error:
        return [f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages]
    return []


LOWERCASE_SLUG = re.compile(r"[-a-z0-9_]+", re.ASCII)  # what validate_slug and validate_lowercase both accept
SAFE_INTEGER = range(2**31)  # inside the range of every integer field on every database backend
CHECKLIST_ITEM_LENGTH = ChecklistItem._meta.get_field("text").max_length or 0
VISIBILITIES = frozenset(Note.Visibility.values)


def _plain_text(text: str, most: int, *, least: int = 0) -> bool:
    return least <= len(text) <= most and NUL not in text


def within_the_rules_at_a_glance(document: dict[str, Any]) -> bool:
    """Whether a note of the right types certainly meets every rule of the note model, checked directly.

    full_clean() builds a model instance and its embedded items and runs every field's
    validators: about 0.3 ms a note, most of an import's own time. This says True only for
    values that plainly meet the same limits (tests/notes/test_import_rules_at_a_glance.py proves
    that it never accepts what full_clean() refuses); anything else, False, goes to
    full_clean(), which says what is wrong.
    """
    tags, checklist, attributes, revisions = (
        document["tags"],
        document["checklist"],
        document["attributes"],
        document["revisions"],
    )
    return (
        _plain_text(document["title"], MAX_TITLE_LENGTH, least=1)
        and _plain_text(document["body"], MAX_BODY_LENGTH)
        and document["visibility"] in VISIBILITIES
        and document["owner_id"] in SAFE_INTEGER
        and document["view_count"] in SAFE_INTEGER
        and len(tags) <= MAX_TAGS
        and all(len(tag) <= MAX_TAG_LENGTH and LOWERCASE_SLUG.fullmatch(tag) for tag in tags)
        and len(checklist) <= MAX_CHECKLIST_ITEMS
        and all(_plain_text(item["text"], CHECKLIST_ITEM_LENGTH, least=1) for item in checklist)
        and len(attributes) <= MAX_ATTRIBUTES
        and all(
            0 < len(name) <= MAX_ATTRIBUTE_NAME_LENGTH
            and name[0] != "$"
            and "." not in name
            and type(value) is str
            and _plain_text(value, MAX_ATTRIBUTE_VALUE_LENGTH)
            for name, value in attributes.items()
        )
        and len(revisions) <= MAX_REVISIONS
        and all(
            _plain_text(revision["title"], MAX_TITLE_LENGTH, least=1) and _plain_text(revision["body"], MAX_BODY_LENGTH)
            for revision in revisions
        )
    )


def _embedded_problems(document: dict[str, Any]) -> list[str]:
    problems = []
    for name, shape in EMBEDDED_SHAPES.items():
        for position, item in enumerate(document[name], start=1):
            if not isinstance(item, dict) or item.keys() != shape.keys():
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
