from __future__ import annotations

import io
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from config.command_arguments import whole_number
from notes.transfer.importing import CONFLICT_MODES, notes_import

MAX_ERRORS_SHOWN = 100


batch_size = whole_number(minimum=1)


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
            raise CommandError(f"{source} is not UTF-8 text: line {number}, byte {byte} of the line.") from None
        yield line


class Command(BaseCommand):
    help = """Read notes from JSON Lines written by export_notes, and store them in MongoDB.

    Every line is checked first with the note model's own rules (full_clean: title 1-200
    characters, body up to 100,000, at most 20 lowercase slug tags, checklist items up to 500
    characters, attribute names without $ or dots), plus: the right JSON types, no unknown
    fields, owner_id an existing member, no _id twice, and what BSON can store (no NUL in an
    attribute name, no lone surrogate in any text, at most 16 MiB a note). Each problem is
    reported with its line number; if any line is bad nothing is written. An _id already
    stored is a problem under --on-conflict fail (the default), left as it is under skip,
    overwritten under replace. Notes are then written in batches. FILE - reads standard input
    (spooled to a temporary file).
    """

    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON Lines file, or - for standard input")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
        parser.add_argument(
            "--on-conflict",
            choices=CONFLICT_MODES,
            default="fail",
            help="an _id that exists already: fail (default), skip or replace",
        )
        parser.add_argument("--batch-size", type=batch_size, default=500, help="notes per write (default 500)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (also off when not a terminal)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="surrogateescape") as spool:
            if path == "-":
                stdin = options.get("stdin") or sys.stdin
                if isinstance(stdin, io.TextIOWrapper):
                    stdin.reconfigure(encoding="utf-8", errors="surrogateescape")
                shutil.copyfileobj(stdin, spool)
            else:
                try:
                    open(path, encoding="utf-8").close()
                except OSError as error:
                    raise CommandError(f"Cannot read {path}: {error.strerror}") from None

            def open_lines() -> Iterator[str]:
                if path == "-":
                    spool.seek(0)
                    yield from utf8_lines(spool, source="standard input")
                else:
                    with open(path, encoding="utf-8", errors="surrogateescape") as source:
                        yield from utf8_lines(source, source=path)

            show = not options["no_progress"] and sys.stderr.isatty()
            with tqdm(unit="line", disable=not show, file=sys.stderr) as bar:
                result = notes_import(
                    open_lines=open_lines,
                    on_conflict=options["on_conflict"],
                    dry_run=options["dry_run"],
                    batch_size=options["batch_size"],
                    on_note=bar.update,
                )
        for number, problem in result.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(f"line {number}: {problem}")
        if len(result.errors) > MAX_ERRORS_SHOWN:
            self.stderr.write(f"... and {len(result.errors) - MAX_ERRORS_SHOWN} more problems")
        if result.errors:
            raise CommandError(f"{result.bad_lines} bad lines of {result.read}; nothing was written.")
        if options["dry_run"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Dry run: {result.read} lines are valid ({result.conflicts} _ids exist already); nothing written."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.inserted} notes; replaced {result.replaced}, skipped {result.skipped} existing."
            )
        )
