"""Write notes as a zip of Markdown files, one per note, streamed as it is written.

Each file starts with YAML front matter: title, tags, checklist, attributes, visibility, pinned
and both dates, every value written as JSON (which YAML reads as it is); the body follows as
it was written. Earlier versions are left out. zipfile writes into a buffer that is emptied after
each note (an unseekable stream, so zipfile puts each file's sizes after its data); memory holds
one note, the names used so far and the zip's directory of ~100 bytes a note, which it writes last.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.text import slugify

from notes.models import Note, NoteQuerySet

MAX_NAME_LENGTH = 80
ZIP_EPOCH = datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)  # the earliest time a zip entry can carry
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
# JSON leaves these unescaped; YAML does not read them as themselves (C1 controls, DEL, and
# NEL, LS and PS, which YAML 1.1 takes for line breaks).
YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def _yaml(value: Any) -> str:
    """`value` as JSON that YAML reads back as the same value."""
    return YAML_UNSAFE.sub(lambda match: f"\\u{ord(match[0]):04x}", json.dumps(value, ensure_ascii=False))


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def note_markdown(note: Note) -> str:
    """One note as a Markdown file: front matter, then the body."""
    front_matter = {
        "title": note.title,
        "tags": note.tags,
        "checklist": [{"text": item.text, "done": item.done} for item in note.checklist],
        "attributes": note.attributes,
        "visibility": note.visibility,
        "pinned": note.pinned,
        "created": _timestamp(note.created_at),
        "updated": _timestamp(note.updated_at),
    }
    lines = [f"{name}: {_yaml(value)}" for name, value in front_matter.items()]
    return (
        "---\n"
        + "\n".join(lines)
        + "\n---\n\n"
        + note.body
        + ("\n" if note.body and not note.body.endswith("\n") else "")
    )


class FileNames:
    """Give each note a file name from its title: safe on every system, unique in the zip."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def name_for(self, title: str) -> str:
        stem = slugify(title, allow_unicode=True)[:MAX_NAME_LENGTH].strip("-_") or "note"
        if stem in WINDOWS_RESERVED:
            stem += "-note"
        name, number = stem, 1
        while name.casefold() in self.used:  # a case-insensitive file system would merge "A.md" and "a.md"
            number += 1
            name = f"{stem}-{number}"
        self.used.add(name.casefold())
        return f"{name}.md"


class _Chunks(io.RawIOBase):
    """A write-only stream that hands over what was written since it was last asked."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        taken = b"".join(self.chunks)
        self.chunks.clear()
        return taken


def markdown_zip(notes: NoteQuerySet, *, chunk_size: int = 200) -> Iterator[bytes]:
    """Yield a zip of one Markdown file per note `notes` selects, in pieces as each note is written."""
    stream = _Chunks()
    names = FileNames()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for note in notes.order_by("pk").iterator(chunk_size=chunk_size):
            entry = zipfile.ZipInfo(names.name_for(note.title), max(note.updated_at, ZIP_EPOCH).timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, note_markdown(note))
            yield stream.take()
    yield stream.take()
