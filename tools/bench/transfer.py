"""import_notes and export_notes as a user runs them (manage.py in a subprocess), on a scratch database.

The dataset is exported with export_notes to a JSON Lines file; import_notes then reads that file
into the empty notes collection of a scratch MongoDB database, `<the bench's database>_scratch`
(migrated like the bench's own, dropped at the end), side by side with raw `insert_many` of the
same documents in the same batches. export_notes' peak RSS is read from the kernel's accounting of
the finished child (ru_maxrss) at a tenth of the dataset and at all of it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from bson import json_util
from pyinstrument.session import Session
from pymongo.collection import Collection

from notes.collection import batches, notes_collection
from notes.transfer.importing import READ_OPTIONS
from tools.bench.environment import ROOT, VAR, manage, say, with_database
from tools.bench.figures import time_once
from tools.bench.memory import MIB, MeasuredRun, run_measured
from tools.bench.middleware import SAMPLING_INTERVAL
from tools.bench.overheads import Comparison
from tools.bench.profiles import ProfileSummary, summarise

BENCH_DATABASE_PREFIX = "polystore_bench"
SCRATCH_SUFFIX = "_scratch"
IMPORT_BATCH_SIZE = 500  # import_notes' default, passed explicitly so both sides share it
COMMANDS = ROOT / "notes" / "management" / "commands"


class TransferFailed(Exception):
    """A command failed or left the wrong notes: the rows say so, and the rest of the run goes on."""


@dataclass(frozen=True)
class ExportMemory:
    """One export_notes run: how many notes it wrote and the kernel's high-water mark of its RSS."""

    notes: int
    peak_rss: int  # bytes
    seconds: float
    source: str  # the database it read


@dataclass
class TransferResult:
    comparisons: list[Comparison] = field(default_factory=list)
    exports: list[ExportMemory] = field(default_factory=list)
    status: str = "measured"  # or "not built yet", "failed"
    reason: str = ""


def scratch_database_name(bench_database: str) -> str:
    """The scratch database beside one of the bench's own; refuse any other database's name."""
    if not bench_database.startswith(BENCH_DATABASE_PREFIX) or bench_database.endswith(SCRATCH_SUFFIX):
        raise ValueError(f"{bench_database!r} is not one of the benchmark's own MongoDB databases")
    return bench_database + SCRATCH_SUFFIX


def export_note_counts(total: int) -> tuple[int, int]:
    """The note counts export_notes' peak RSS is compared at: a tenth of the dataset, and all of it."""
    if total < 10:
        raise ValueError(f"need at least 10 notes to compare two export sizes, got {total}")
    return total // 10, total


def peak_spread(small_peak: float, large_peak: float) -> float:
    """1 + how far the larger export's peak is from the smaller's, either way: 1.10 is ± 10 %."""
    if small_peak <= 0:
        raise ValueError(f"peak RSS must be positive, got {small_peak}")
    return 1 + abs(large_peak / small_peak - 1)


def parsed_documents(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Parse JSON Lines as import_notes does (Extended JSON, relaxed, UTC datetimes); skip blank lines."""
    return [json_util.loads(line, json_options=READ_OPTIONS) for line in lines if line.strip()]


def insert_in_batches(collection: Collection, documents: Iterable[dict[str, Any]], *, batch_size: int) -> None:
    for batch in batches(documents, batch_size):
        collection.insert_many(batch, ordered=True)


class Scratch:
    """The scratch database: its notes collection emptied (indexes kept as migrate made them) on demand."""

    def __init__(self, env: dict[str, str], bench_database: str) -> None:
        self.name = scratch_database_name(bench_database)
        self.env = {**env, "MONGODB_URI": with_database(env["MONGODB_URI"], self.name)}
        source = notes_collection()
        self.client = source.database.client
        self.notes: Collection = self.client[self.name][source.name]
        self.indexes: dict[str, dict[str, Any]] = {}

    def create(self) -> None:
        self.client.drop_database(self.name)
        try:
            manage(self.env, "migrate", "--database", "mongodb", "--noinput")
        except SystemExit as error:  # manage() exits the bench; here only this section fails
            raise TransferFailed(str(error)) from None
        self.indexes = {name: info for name, info in self.notes.index_information().items() if name != "_id_"}

    def empty(self) -> None:
        """Drop the notes collection and make its indexes again (drop is instant; delete_many is not)."""
        self.notes.drop()
        for name, info in self.indexes.items():
            options = {key: value for key, value in info.items() if key not in ("key", "v", "ns")}
            self.notes.create_index(info["key"], name=name, **options)

    def count(self) -> int:
        return self.notes.count_documents({})

    def drop(self) -> None:
        self.client.drop_database(self.name)


def _manage_measured(env: dict[str, str], *args: str, log: Path) -> MeasuredRun:
    return run_measured([sys.executable, "manage.py", *args], env=env, cwd=ROOT, log=log)


def _tail(log: Path, offset: int) -> str:
    text = log.read_bytes()[offset:].decode(errors="replace").strip()
    return text.splitlines()[-1] if text else "(no output)"


def _export(env: dict[str, str], output: Path, *, log: Path, source: str) -> ExportMemory:
    offset = log.stat().st_size if log.exists() else 0
    run = _manage_measured(env, "export_notes", "--output", str(output), "--no-progress", log=log)
    if run.returncode != 0:
        raise TransferFailed(f"export_notes exited {run.returncode}: {_tail(log, offset)}")
    with output.open(encoding="utf-8") as lines:
        written = sum(1 for line in lines if line.strip())
    say(f"export_notes: {written:,} notes from {source}, peak RSS {run.peak_rss / MIB:.1f} MiB, {run.seconds:.1f} s")
    return ExportMemory(written, run.peak_rss, run.seconds, source)


def measure_transfer(*, env: dict[str, str], bench_database: str, total: int) -> TransferResult:
    """Export the dataset, time import_notes against raw insert_many, and read export_notes' peak RSS twice."""
    missing = [name for name in ("import_notes", "export_notes") if not (COMMANDS / f"{name}.py").exists()]
    if missing:
        return TransferResult(status="not built yet", reason=f"manage.py {' and '.join(missing)} does not exist yet")
    scratch = Scratch(env, bench_database)
    log = VAR / "transfer.log"
    log.write_text("")
    exported = VAR / f"notes-{bench_database}.jsonl"
    empty_file = VAR / "notes-empty.jsonl"
    result = TransferResult()
    try:
        scratch.create()
        say(f"transfer: exporting the dataset ({total:,} notes) with export_notes")
        full_export = _export(env, exported, log=log, source=bench_database)
        with exported.open(encoding="utf-8") as lines:
            documents = parsed_documents(lines)
        result.comparisons = _import_side_by_side(scratch, exported, documents, empty_file=empty_file, log=log)
        small, large = export_note_counts(len(documents))
        scratch.empty()
        insert_in_batches(scratch.notes, documents[:small], batch_size=IMPORT_BATCH_SIZE)
        small_export = _export(scratch.env, VAR / "notes-small.jsonl", log=log, source=scratch.name)
        if (small_export.notes, full_export.notes) != (small, large):
            raise TransferFailed(
                f"exported {small_export.notes:,} and {full_export.notes:,} notes, not {small:,} and {large:,}"
            )
        result.exports = [small_export, full_export]
        result.comparisons[0].profile = _import_profile(scratch, VAR / "notes-small.jsonl", small, log=log)
    except TransferFailed as error:
        result.status, result.reason = "failed", str(error)
        say(f"transfer: {error}")
    finally:
        scratch.drop()
        for path in (exported, empty_file, VAR / "notes-small.jsonl"):
            path.unlink(missing_ok=True)
    return result


def _import_profile(scratch: Scratch, path: Path, notes: int, *, log: Path) -> ProfileSummary:
    """import_notes of a tenth of the dataset once more, under `python -m pyinstrument`, into the empty scratch collection.

    Apart from the timed import, and on a tenth of its notes so that it costs a tenth of its time;
    start-up included, as in the figure.
    """
    session_file = VAR / "import-notes.pyisession"
    scratch.empty()
    offset = log.stat().st_size
    command = [
        sys.executable,
        "-m",
        "pyinstrument",
        "--renderer",
        "pyisession",
        "--outfile",
        str(session_file),
        "--interval",
        str(SAMPLING_INTERVAL),
        "manage.py",
        "import_notes",
        str(path),
        "--batch-size",
        str(IMPORT_BATCH_SIZE),
        "--no-progress",
    ]
    run = run_measured(command, env=scratch.env, cwd=ROOT, log=log)
    if run.returncode != 0:
        raise TransferFailed(f"import_notes under pyinstrument exited {run.returncode}: {_tail(log, offset)}")
    records = Session.load(session_file).frame_records
    session_file.unlink()
    return summarise("import-notes", records, samples=1, unit=f"{notes:,} notes")


def _import_side_by_side(
    scratch: Scratch, exported: Path, documents: list[dict[str, Any]], *, empty_file: Path, log: Path
) -> list[Comparison]:
    """import_notes of the file, raw insert_many of the parsed documents, and a raw import that also parses."""
    count, batch = len(documents), IMPORT_BATCH_SIZE

    def import_notes(path: Path) -> MeasuredRun:
        offset = log.stat().st_size
        run = _manage_measured(
            scratch.env, "import_notes", str(path), "--batch-size", str(batch), "--no-progress", log=log
        )
        if run.returncode != 0:
            raise TransferFailed(f"import_notes exited {run.returncode}: {_tail(log, offset)}")
        return run

    def raw_import() -> None:
        with exported.open(encoding="utf-8") as lines:
            parsed = (json_util.loads(line, json_options=READ_OPTIONS) for line in lines if line.strip())
            insert_in_batches(scratch.notes, parsed, batch_size=batch)

    def into_empty_collection(action: Callable[[], object], label: str) -> float:
        scratch.empty()
        seconds, _ = time_once(action)
        if scratch.count() != count:
            raise TransferFailed(f"{label} left {scratch.count():,} notes of {count:,} in {scratch.name}")
        return seconds

    raw = into_empty_collection(partial(insert_in_batches, scratch.notes, documents, batch_size=batch), "insert_many")
    runs: list[MeasuredRun] = []
    into_empty_collection(lambda: runs.append(import_notes(exported)), "import_notes")
    parsed = into_empty_collection(raw_import, "parse + insert_many")
    empty_file.write_text("")
    scratch.empty()
    startup = import_notes(empty_file).seconds
    imported = runs[0]  # timed by the process that started it: the command's wall clock, start-up included
    say(f"import-notes: {imported.seconds:.2f} s vs insert_many {raw:.2f} s (parse + insert_many {parsed:.2f} s)")
    command = f"manage.py import_notes {exported.name} --batch-size {batch}"
    how = (
        f"a subprocess as a user runs it, into the empty notes collection of the scratch database "
        f"`{scratch.name}`; its time includes {startup:.1f} s of start-up (import_notes of an empty file), and it "
        f"peaked at {imported.peak_rss / MIB:.0f} MiB RSS"
    )
    return [
        Comparison(
            "import-notes",
            f"import_notes of {count:,} notes",
            command,
            f"insert_many() of the parsed documents, batches of {batch}",
            "throughput",
            subject_seconds=[imported.seconds],
            baseline_seconds=[raw],
            per=f"{count:,} notes",
            note=how + "; the raw side inserts the documents parsed beforehand",
        ),
        Comparison(
            "import-notes-parsed",
            f"import_notes of {count:,} notes vs a raw import that also reads the file",
            command,
            f"json_util.loads() per line + insert_many(), batches of {batch}",
            "throughput",
            subject_seconds=[imported.seconds],
            baseline_seconds=[parsed],
            per=f"{count:,} notes",
            note="the raw side streams the same file and parses each line as import_notes does, with no checks: "
            "the rest is import_notes' checks (full_clean per note, owner look-ups) and its second read of the file",
        ),
    ]
