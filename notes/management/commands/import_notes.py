from __future__ import annotations

import io
import sys
from contextlib import AbstractContextManager, nullcontext
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import pluralize
from tqdm import tqdm

from config.command_arguments import whole_number
from notes.transfer.importing import (
    CONFLICT_MODES,
    ImportInterrupted,
    ImportResult,
    NotUtf8Text,
    notes_import,
    utf8_lines,
)

batch_size = whole_number(minimum=1)


def conflicts_summary(result: ImportResult) -> str:
    """Say how many notes exist already, naming the first few: "2 notes exist already (ids 6b0d…, 6b0e…)"."""
    ids = ", ".join(map(str, result.conflict_ids))
    more = result.conflicts - len(result.conflict_ids)
    named = f"{ids} and {more} more" if more else ids
    exist = "note exists" if result.conflicts == 1 else "notes exist"
    return f"{result.conflicts} {exist} already (id{pluralize(len(result.conflict_ids))} {named})"


class Command(BaseCommand):
    help = """Read notes from JSON Lines written by export_notes, and store them in MongoDB.

    Every line is checked first with the note model's own rules (the editor's: title 1-200
    characters, body up to 100,000, at most 20 lowercase slug tags, checklist items up to 500
    characters, attribute names without $ or dots), plus: the right JSON types, no unknown
    fields, owner_id an existing member, no _id twice, and what BSON can store (no NUL in an
    attribute name, no lone surrogate in any text, at most 16 MiB a note). Each problem is
    reported with its line number; if any line is bad nothing is written. Notes whose _id is
    stored already are counted and named (the first few), not reported one by one: under
    --on-conflict fail (the default) nothing is written, under skip they are left as they
    are, under replace overwritten. The file is read once; the checked notes wait in a
    temporary file and are then written in batches. If MongoDB fails meanwhile, the notes
    this import inserted are removed again. FILE - reads standard input.
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
        show = not options["no_progress"] and sys.stderr.isatty()
        try:
            with self._lines(path, options) as lines, tqdm(unit=" lines", disable=not show, file=sys.stderr) as bar:
                result = notes_import(
                    lines=utf8_lines(lines, source="standard input" if path == "-" else path),
                    on_conflict=options["on_conflict"],
                    dry_run=options["dry_run"],
                    batch_size=options["batch_size"],
                    on_note=bar.update,
                )
        except NotUtf8Text as error:
            raise CommandError(str(error)) from None
        except ImportInterrupted as error:
            raise CommandError(self._interruption(error)) from None
        self._report(result, dry_run=options["dry_run"])

    def _lines(self, path: str, options: dict[str, Any]) -> AbstractContextManager[IO[str]]:
        """Open the file, or standard input (left open), for reading lines; bytes that are not UTF-8 arrive escaped."""
        if path == "-":
            stdin = options.get("stdin") or sys.stdin
            if isinstance(stdin, io.TextIOWrapper):
                stdin.reconfigure(encoding="utf-8", errors="surrogateescape")
            return nullcontext(stdin)
        try:
            return open(path, encoding="utf-8", errors="surrogateescape")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None

    def _report(self, result: ImportResult, *, dry_run: bool) -> None:
        for number, problem in result.problems:
            self.stderr.write(f"line {number}: {problem}")
        if unlisted := result.unlisted_problems:
            self.stderr.write(f"... and {unlisted} more problem{pluralize(unlisted)}")
        conflicts = conflicts_summary(result) if result.conflicts else ""
        if result.refused:
            if conflicts and result.on_conflict == "fail":
                self.stderr.write(
                    f"{conflicts}: --on-conflict skip would leave them as they are, replace would overwrite them."
                )
            if result.bad_lines:
                raise CommandError(
                    f"{result.bad_lines} bad line{pluralize(result.bad_lines)} of {result.read}; nothing was written."
                )
            raise CommandError(f"{result.conflicts} of {result.read} notes exist already; nothing was written.")
        what_happens = {"skip": "left as they are", "replace": "replaced"}.get(result.on_conflict, "")
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Dry run: {result.valid} note{pluralize(result.valid)} {'is' if result.valid == 1 else 'are'} valid; nothing was written."
                )
            )
            if conflicts:
                self.stdout.write(f"{conflicts}: the import would have them {what_happens}.")
            return
        summary = f"Imported {result.inserted} note{pluralize(result.inserted)}."
        if conflicts:
            summary += f" {conflicts}: {what_happens}."
        self.stdout.write(self.style.SUCCESS(summary))

    def _interruption(self, error: ImportInterrupted) -> str:
        inserted = error.result.inserted
        written = f"MongoDB failed after {inserted} note{pluralize(inserted)} of this import had been written ({error.__cause__})"
        if error.removed:
            return f"{written}; they were removed again: nothing was imported."
        return f"{written}; removing them failed too, so they remain: run the import again with --on-conflict skip."
