from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.template.defaultfilters import pluralize
from tqdm import tqdm

from notes.models import Note
from notes.transfer.export import notes_export


def owner(text: str) -> int:
    """Parse --owner; argparse turns the error into a CommandError naming the option."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a member id (a whole number), got {text!r}") from None


class Command(BaseCommand):
    help = """Write notes as JSON Lines: one note per line, streamed from MongoDB.

    Each line is the note's raw document in MongoDB Extended JSON, relaxed mode: `_id` as
    {"$oid": "<24 hex>"}, datetimes as {"$date": "2026-11-26T18:37:05.123Z"} (UTC, milliseconds),
    everything else plain JSON. import_notes reads it back to the same documents.
    Notes are written in `_id` order; --output - (the default) is standard output.
    """

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", type=owner, help="only the notes of this member id")
        parser.add_argument("--output", default="-", help="file to write, or - for standard output (default)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (also off when not a terminal)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["output"]
        output: OutputWrapper | TextIO
        if path == "-":
            output = self.stdout
            output.ending = ""
        else:
            try:
                output = open(path, "w", encoding="utf-8")  # noqa: SIM115
            except OSError as error:
                raise CommandError(f"Cannot write {path}: {error.strerror}") from None
        notes = Note.objects.all() if options["owner"] is None else Note.objects.owned_by(options["owner"])
        show = not options["no_progress"] and sys.stderr.isatty()
        total = notes.count() if show else None
        try:
            with tqdm(total=total, unit=" notes", disable=not show, file=sys.stderr) as bar:
                written = notes_export(output=output, notes=notes, on_note=bar.update)
        finally:
            if path != "-":
                output.close()
        summary = self.stderr if path == "-" else self.stdout
        summary.write(self.style.SUCCESS(f"Exported {written} note{pluralize(written)}."), ending="\n")
