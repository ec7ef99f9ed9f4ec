"""Checked notes waiting to be written: their BSON in a temporary file, so that the import reads its input once."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from bson import ObjectId
from bson.raw_bson import RawBSONDocument

NEW, EXISTING = b"n", b"e"
HEADER_BYTES = 1 + 12  # NEW or EXISTING, then the note's ObjectId
LENGTH_BYTES = 4  # a BSON document starts with its own length, little-endian, these 4 bytes included


@dataclass(frozen=True)
class SpooledNote:
    """One note as it will be stored: whether its `_id` exists already, the `_id`, and the encoded document."""

    exists: bool
    id: ObjectId
    document: RawBSONDocument  # insert_many() sends its bytes as they are


class NoteSpool:
    """Keep encoded notes on disk in the order they were added, and give them back in that order.

    The validation pass adds each good note; the write pass reads them back, so the input is
    parsed once and only the encoded notes of one batch are in memory at a time.
    """

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by __exit__
        self.count = 0
        self.owner_ids: set[int] = set()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.file.close()

    def add(self, note_id: ObjectId, owner_id: int, encoded: bytes, *, exists: bool) -> None:
        self.file.write((EXISTING if exists else NEW) + note_id.binary + encoded)
        self.count += 1
        self.owner_ids.add(owner_id)

    def __iter__(self) -> Iterator[SpooledNote]:
        self.file.flush()
        self.file.seek(0)
        read = self.file.read
        for _ in range(self.count):
            header = read(HEADER_BYTES)
            length = read(LENGTH_BYTES)
            encoded = length + read(int.from_bytes(length, "little") - LENGTH_BYTES)
            yield SpooledNote(header[:1] == EXISTING, ObjectId(header[1:]), RawBSONDocument(encoded))
