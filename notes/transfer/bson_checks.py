"""What BSON cannot store although the note model accepts it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import bson
from bson.errors import BSONError

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024  # MongoDB's maxBsonObjectSize


def bson_encoded(document: dict[str, Any]) -> tuple[bytes | None, list[str]]:
    """Encode a document the model accepts as MongoDB will store it; or say why MongoDB could not store it.

    What BSON refuses must be found before the first batch is written: a NUL in a key, a lone
    surrogate (a \\ud800 escape, which UTF-8 cannot encode) in any string or key, a document past
    16 MiB. The bytes are what the write pass sends, so each note is encoded once.
    """
    try:
        encoded = bson.encode(document)
    except (BSONError, UnicodeEncodeError, OverflowError) as error:
        return None, list(_unstorable_strings(document)) or [f"MongoDB cannot store this note: {error}"]
    if len(encoded) > MAX_DOCUMENT_BYTES:
        return None, [f"the note takes {len(encoded):,} bytes in BSON; MongoDB stores at most {MAX_DOCUMENT_BYTES:,}"]
    return encoded, []


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
