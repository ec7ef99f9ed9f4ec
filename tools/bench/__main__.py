"""Measure Polystore side by side: `python -m tools.bench [--quick] [--postgres]` writes docs/benchmarks.md.

Seeds a fixed dataset in the benchmark's own stores (bench/environment.py), serves the app with
gunicorn and the production config on 127.0.0.1, loads each page with wrk from its own process,
then profiles each page apart from the timed runs (bench/middleware.py), loads the notes pages
briefly on smaller datasets (bench/growth.py), times each layer against its raw driver in-process,
runs import_notes and export_notes on a scratch database, tries djongo as a peer, reads memory from
/proc and the kernel's accounting, and writes every figure with the targets it meets or misses,
where the time of each missed one goes, and charts (bench/charts.py). Stops gunicorn whatever happens.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from tools.bench.environment import (
    FULL,
    QUICK,
    ROOT,
    VAR,
    Dataset,
    bench_environment,
    flush_bench_redis,
    other_document_server_environment,
    prepare,
    prepare_other_document_server,
    say,
    stores_up,
)
from tools.bench.wrk import ensure_wrk, wrk_version


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 500 members × 10 notes, one 3 s round, fewer repeats (about 4 min once seeded)",
    )
    parser.add_argument(
        "--postgres", action="store_true", help="relational store on PostgreSQL ($POSTGRES_URL's server)"
    )
    parser.add_argument("--rounds", type=int, help="wrk rounds per scenario (default 3; 1 with --quick)")
    parser.add_argument(
        "--duration", type=float, help="seconds per wrk run (default 10; 3 with --quick; whole seconds)"
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="SCENARIO",
        help="load only these scenarios (the floor always runs); repeatable",
    )
    parser.add_argument("--skip-djongo", action="store_true", help="leave out the djongo peer row")
    parser.add_argument(
        "--skip-growth", action="store_true", help="leave out the short loads on smaller datasets (bench/growth.py)"
    )
    parser.add_argument("--skip-overheads", action="store_true", help="leave out the in-process overheads")
    parser.add_argument(
        "--skip-transfer", action="store_true", help="leave out import_notes/export_notes (throughput, peak RSS)"
    )
    parser.add_argument(
        "--gunicorn-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra gunicorn argument, e.g. --gunicorn-arg=--max-requests=0 (an experiment)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="report path (default docs/benchmarks.md; var/bench/benchmarks-quick.md with --quick)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_arguments(argv)
    started, started_at = time.monotonic(), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    dataset: Dataset = QUICK if args.quick else FULL
    output = args.output or (VAR / "benchmarks-quick.md" if args.quick else ROOT / "docs" / "benchmarks.md")
    env = bench_environment(dataset, postgres=args.postgres)
    stores_up(postgres=args.postgres)
    wrk = ensure_wrk()
    seed = prepare(dataset, env)
    prepare_other_document_server(env, other_document_server_environment(env))
    flush_bench_redis(env)

    os.environ.update(env)
    import django

    django.setup()
    from tools.bench import measure  # needs Django set up

    run = measure.everything(args=args, dataset=dataset, env=env, wrk=wrk, wrk_label=wrk_version(wrk), seed=seed)
    run.command = "python -m tools.bench" + "".join(
        f" {shlex.quote(a)}" for a in (argv if argv is not None else sys.argv[1:])
    )
    run.started_at = started_at
    run.seconds = time.monotonic() - started
    from tools.bench.report import write_report

    write_report(run, output)
    say(f"wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output} in {run.seconds / 60:.1f} min")


if __name__ == "__main__":
    main()
