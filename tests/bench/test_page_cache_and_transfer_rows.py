"""The benchmark's cached/uncached pairs, import and export rows: fixed figures, no server, no timing."""

from __future__ import annotations

import datetime
import sys

import pytest
from bson import ObjectId

from tools.bench.environment import QUICK, Dataset
from tools.bench.figures import format_change
from tools.bench.load import LoadSettings, ScenarioResult
from tools.bench.machine import Facts
from tools.bench.memory import MIB, parse_peak_report, run_measured
from tools.bench.overheads import Comparison
from tools.bench.queries import PageQueries
from tools.bench.report import Run, cache_pairs, export_check, furthest_line, render, target_checks
from tools.bench.scenarios import (
    FLOOR,
    MAIN_SERVER,
    OTHER_DOCUMENT_SERVER,
    SCENARIOS,
    UNCACHED_SERVER,
    Scenario,
    cached_and_uncached,
)
from tools.bench.targets import furthest
from tools.bench.transfer import (
    ExportMemory,
    TransferResult,
    export_note_counts,
    parsed_documents,
    peak_spread,
    scratch_database_name,
)
from tools.bench.wrk import WrkResult


def loaded(scenario: Scenario, *rates: float, p50: float = 0.02) -> ScenarioResult:
    """A scenario measured in len(rates) rounds at these req/s."""
    runs = [
        WrkResult(requests_per_second=rate, p50=p50, p99=2 * p50, requests=int(rate * 10), duration=10.0)
        for rate in rates
    ]
    return ScenarioResult(scenario, path=f"/{scenario.key}/", connections=16, single_request=p50, runs=runs)


def bench_run(pages: dict[str, ScenarioResult], *, transfer: TransferResult | None = None, **fields) -> Run:
    return Run(
        command="python -m tools.bench --quick",
        mode="quick",
        started_at="2026-11-26 20:00 UTC",
        seconds=60.0,
        facts=Facts(cpus=2, cpu_model="test", memory_gib=1.0, kernel="6", versions={}),
        dataset=QUICK,
        counts={"members": 500, "notes": 5000, "public": 2500},
        relational="SQLite file `var/bench/quick.sqlite3`",
        document_database="polystore_bench_quick",
        seed=None,
        load=LoadSettings(threads=2, connections=16, duration=3.0, warmup=1.0, rounds=len(pages[FLOOR.key].runs)),
        gunicorn_args=[],
        gunicorn_workers=3,
        pages=pages,
        queries=fields.pop("queries", {}),
        overheads=[],
        peer=None,
        workers=[],
        worker_restarts=0,
        transfer=transfer or TransferResult(status="skipped", reason="--skip-transfer"),
        page_cache_seconds=300,
        repeats=3,
        busy_before=0.0,
        load_before=0.0,
        load_after=0.0,
    )


PUBLIC, PUBLIC_OFF = cached_and_uncached(
    "public-p1", "Public notes, page 1, anonymous", "notes:public", lambda subjects: "/notes/public/?page=1", "list"
)


def test_cached_and_uncached_variants_run_on_their_own_servers():
    assert (PUBLIC.key, PUBLIC.variant, PUBLIC.server) == ("public-p1", "cached", MAIN_SERVER)
    assert (PUBLIC_OFF.variant, PUBLIC_OFF.server) == ("uncached", UNCACHED_SERVER)
    assert PUBLIC_OFF.key == "public-p1-uncached"
    assert PUBLIC.title.endswith(", cached")
    assert PUBLIC_OFF.title.endswith(", page cache off")


def test_every_page_the_cache_serves_is_measured_both_ways_and_anonymously():
    by_key = {scenario.key: scenario for scenario in SCENARIOS}

    for key in ("directory", "profile", "public-p1", "public-p50"):
        assert by_key[key].variant == "cached"
        assert by_key[f"{key}-uncached"].variant == "uncached"
        assert by_key[key].login is None
        assert by_key[f"{key}-uncached"].login is None
    assert all(scenario.server in (MAIN_SERVER, OTHER_DOCUMENT_SERVER) for scenario in SCENARIOS if scenario.login)


def test_the_lists_run_again_on_the_other_document_server_uncached_and_reading_only():
    by_key = {scenario.key: scenario for scenario in SCENARIOS}

    others = [scenario for scenario in SCENARIOS if scenario.server == OTHER_DOCUMENT_SERVER]

    assert sorted(scenario.key for scenario in others) == [
        "my-notes-other-server",
        "public-p1-other-server",
        "public-p50-other-server",
    ]
    assert all(scenario.method == "GET" and scenario.variant != "cached" for scenario in others)
    assert by_key["public-p1-other-server"].path == by_key["public-p1-uncached"].path
    assert by_key["my-notes-other-server"].login == "reader"


def test_cache_pairs_match_each_cached_page_with_its_measured_twin():
    directory, directory_off = (s for s in SCENARIOS if s.key in ("directory", "directory-uncached"))
    pages = {
        "public-p1": loaded(PUBLIC, 900.0, 800.0),
        "public-p1-uncached": loaded(PUBLIC_OFF, 90.0, 100.0),
        "directory": loaded(directory, 700.0),
        "directory-uncached": ScenarioResult(directory_off, status="failed", reason="answered 500"),
    }

    pairs = cache_pairs(pages)

    assert [(cached.scenario.key, off.scenario.key) for cached, off in pairs] == [("public-p1", "public-p1-uncached")]
    cached, off = pairs[0]
    assert cached.share_of(off) == pytest.approx(9.0)  # median of the per-round ratios 10× and 8×


def test_cached_pages_are_held_to_75_percent_and_public_notes_with_the_page_cache_off_to_10():
    pages = {
        FLOOR.key: loaded(FLOOR, 1000.0),
        "public-p1": loaded(PUBLIC, 800.0),
        "public-p1-uncached": loaded(PUBLIC_OFF, 50.0, p50=0.3),
    }
    queries = {"public-p1-uncached": PageQueries(relational=0, document=2, seconds=0.3, status=200)}

    checks = {check.figure: check for check in target_checks(bench_run(pages, queries=queries))}

    cached = checks["Public notes, page 1, anonymous, cached: req/s share of the floor"]
    uncached = checks["Public notes, page 1, anonymous, page cache off: req/s share of the floor"]
    assert (cached.limit, cached.measured, cached.met) == (0.75, pytest.approx(0.8), True)
    assert (uncached.limit, uncached.measured, uncached.met) == (0.10, pytest.approx(0.05), False)
    assert "Cached anonymous page, share of the floor" not in checks
    worst = furthest(list(checks.values()))
    assert worst is uncached
    assert "0 relational and 2 document-store queries" in furthest_line(worst)
    assert "2.0× off" in furthest_line(worst)


def test_a_page_is_read_against_its_ceiling_and_a_target_above_it_is_named():
    by_key = {scenario.key: scenario for scenario in SCENARIOS}
    pages = {
        FLOOR.key: loaded(FLOOR, 1000.0),
        "create": loaded(by_key["create"], 150.0),
        "ceiling-create": loaded(by_key["ceiling-create"], 230.0),
        "detail-owner": loaded(by_key["detail-owner"], 120.0),
        "ceiling-note-page": loaded(by_key["ceiling-note-page"], 420.0),
    }

    checks = {check.figure: check for check in target_checks(bench_run(pages))}
    report = render(bench_run(pages), analysis="")

    create = checks["Create a note (POST /notes/new/), logged in: req/s share of the floor"]
    detail = checks["A public note's page (/notes/<id>/), its owner logged in: req/s share of the floor"]
    assert (create.ceiling, create.above_ceiling) == (pytest.approx(0.23), True)  # target 25 %
    assert (detail.ceiling, detail.above_ceiling) == (pytest.approx(0.42), False)  # target 35 %
    assert "| 15 % | **missed** (1.67× off); above this server's ceiling | ceiling 23 % |" in report
    assert "| 12 % | **missed** (2.9× off) | ceiling 42 % |" in report
    assert not any(check.figure.startswith("Ceiling") for check in checks.values())  # no target of their own


def test_a_run_without_cached_pages_says_so_instead_of_passing():
    checks = target_checks(bench_run({FLOOR.key: loaded(FLOOR, 1000.0)}))

    cached = next(check for check in checks if check.figure == "Cached anonymous page, share of the floor")
    assert cached.met is None
    assert "no cached variant" in cached.reason


def test_export_peak_rss_is_flat_within_ten_percent_either_way():
    def transfer(small_mib: float, large_mib: float) -> TransferResult:
        return TransferResult(
            exports=[
                ExportMemory(10_000, int(small_mib * MIB), 2.0, "polystore_bench_scratch"),
                ExportMemory(100_000, int(large_mib * MIB), 20.0, "polystore_bench"),
            ]
        )

    flat, grows, shrinks = (export_check(transfer(90, large)) for large in (93, 120, 75))

    assert flat.met is True
    assert flat.shown == "+3 % (93.0 vs 90.0 MiB)"
    assert flat.figure == "export_notes peak RSS, 100,000 vs 10,000 notes"
    assert grows.met is False
    assert grows.measured == pytest.approx(120 / 90)
    assert shrinks.met is False  # "the same ± 10 %": a large drop is as suspicious as growth
    missing = export_check(TransferResult(status="failed", reason="export_notes exited 1"))
    assert missing.met is None
    assert missing.reason == "failed: export_notes exited 1"


def test_peak_spread_and_signed_changes():
    assert peak_spread(100.0, 100.0) == 1.0
    assert peak_spread(100.0, 108.0) == pytest.approx(1.08)
    assert peak_spread(100.0, 92.0) == pytest.approx(1.08)
    with pytest.raises(ValueError):
        peak_spread(0.0, 1.0)
    assert [format_change(r) for r in (1.034, 0.95, 1.001)] == ["+3 %", "−5 %", "±0 %"]


def test_export_sizes_are_a_tenth_of_the_dataset_and_all_of_it():
    assert export_note_counts(100_000) == (10_000, 100_000)
    assert export_note_counts(QUICK.notes) == (500, 5_000)
    with pytest.raises(ValueError):
        export_note_counts(9)


def test_scratch_database_is_beside_the_benchmarks_own_and_never_another():
    assert scratch_database_name("polystore_bench") == "polystore_bench_scratch"
    assert scratch_database_name(Dataset("quick", 1, 1).database_name + "_pg") == "polystore_bench_quick_pg_scratch"
    for name in ("polystore", "test_polystore", "polystore_bench_scratch"):
        with pytest.raises(ValueError):
            scratch_database_name(name)


def test_json_lines_parse_as_import_notes_reads_them():
    line = (
        '{"_id": {"$oid": "6b0869a100130b29450b67d3"}, "owner_id": 1, "title": "A",'
        ' "created_at": {"$date": "2026-11-26T18:37:05.123Z"}}\n'
    )
    lines = [line, "\n"]

    [document] = parsed_documents(lines)

    assert document["_id"] == ObjectId("6b0869a100130b29450b67d3")
    assert document["created_at"] == datetime.datetime(2026, 11, 26, 18, 37, 5, 123000, tzinfo=datetime.UTC)


def test_peak_report_line_is_read():
    run = parse_peak_report("0 91234 12.5\n")

    assert (run.returncode, run.peak_rss, run.seconds) == (0, 91234 * 1024, 12.5)


def test_a_commands_peak_rss_is_its_own_not_the_benchmarks(tmp_path):
    held = bytearray(256 * MIB)
    held[::4096] = b"\x01" * len(held[::4096])  # touch every page: resident in this process

    run = run_measured([sys.executable, "-c", "pass"], env={}, cwd=tmp_path, log=tmp_path / "log")

    assert run.returncode == 0
    assert run.peak_rss < 128 * MIB  # a bare interpreter, not this process's 256 MiB and more
    del held


def test_report_shows_the_pairs_the_import_row_and_the_export_peaks():
    pages = {
        FLOOR.key: loaded(FLOOR, 1000.0),
        "public-p1": loaded(PUBLIC, 800.0),
        "public-p1-uncached": loaded(PUBLIC_OFF, 50.0, p50=0.3),
    }
    imported = Comparison(
        "import-notes",
        "import_notes of 5,000 notes",
        "manage.py import_notes notes.jsonl --batch-size 500",
        "insert_many() of the parsed documents, batches of 500",
        "throughput",
        subject_seconds=[4.0],
        baseline_seconds=[1.0],
        per="5,000 notes",
    )
    transfer = TransferResult(
        comparisons=[imported],
        exports=[
            ExportMemory(500, 64 * MIB, 1.7, "polystore_bench_quick_scratch"),
            ExportMemory(5_000, 66 * MIB, 1.9, "polystore_bench_quick"),
        ],
    )
    run = bench_run(pages, transfer=transfer)
    run.overheads = [imported]

    text = render(run, analysis="kept")

    assert "| Public notes, page 1, anonymous (`/public-p1/`) | 800 | 50 | 20.0 ms | 300 ms | 16.00× |" in text
    assert "| import_notes of 5,000 notes (per 5,000 notes; one run each) |" in text
    assert "| 25 % of raw throughput |" in text
    assert "| import_notes / raw insert_many (throughput) | ≥ 70 % | 25 % | **missed** (2.8× off) |" in text
    assert "| 5,000 notes | 66.0 MiB | 1.9 s | `polystore_bench_quick` |" in text
    assert "export_notes peak RSS, 5,000 vs 500 notes: +3 % (66.0 vs 64.0 MiB), target the same ± 10 %: met." in text
    assert text.index("## Furthest from its target") < text.index("## Analysis")
