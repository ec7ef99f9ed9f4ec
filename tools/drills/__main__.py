"""Run the drills: `python -m tools.drills [--only load|faults|scaleout|integrity] [--postgres]` (`make drills`).

Starts the drills' own Redis, MongoDB-wire server and PostgreSQL cluster on free loopback ports
(data under var/drills/), runs each drill against a site of its own, prints what it tried and
what held, writes var/drills/results.json, stops its servers, and exits 1 if an invariant broke.
The shared stores on 6379, 27017 and 5432 are never touched.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

from tools.drills.faults import run_faults
from tools.drills.integrity import MONGO_OPTIONS, run_integrity
from tools.drills.load import run_load
from tools.drills.report import DrillResult, say, write_results
from tools.drills.scaleout import run_scaleout
from tools.drills.site import collect_static, site_environment
from tools.drills.stores import VAR, DrillStores

DRILLS = ("load", "faults", "scaleout", "integrity")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.drills", description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=DRILLS, default=[], help="run only this drill (repeatable)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent members in drills 1 and 2 (default 32)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load in drill 1 (default 60)")
    parser.add_argument("--outage", type=float, default=10.0, help="seconds each store is down in drill 2 (default 10)")
    parser.add_argument("--operations", type=int, default=1000, help="operations in drill 3 (default 1,000)")
    parser.add_argument(
        "--pairs", type=int, default=1000, help="write-then-read pairs in the scale-out drill (default 1,000)"
    )
    parser.add_argument(
        "--postgres", action="store_true", help="drills 1 and 3 on PostgreSQL too (drill 2 always runs on it)"
    )
    parser.add_argument(
        "--no-postgres",
        action="store_true",
        help="no PostgreSQL at all: drill 2 on SQLite, without its PostgreSQL fault",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    # A SIGTERM (make interrupted, a CI timeout) unwinds like Ctrl-C, so the servers are stopped.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    drills = [drill for drill in DRILLS if drill in (args.only or DRILLS)]  # integrity sets Django up: last
    postgres_needed = not args.no_postgres and ("faults" in drills or args.postgres)
    started = time.monotonic()
    VAR.mkdir(parents=True, exist_ok=True)
    results: list[DrillResult] = []
    stores = DrillStores.start(postgres=postgres_needed)
    try:
        first = True
        for drill in drills:
            if drill == "scaleout":  # on replicated stores of its own (tools/drills/scaleout.py)
                result = run_scaleout(stores, clients=args.clients, outage=args.outage, pairs=args.pairs)
                results.append(result)
                print("\n".join(result.lines()), flush=True)
                continue
            if drill == "load":
                site = site_environment(stores, "load", redis_database=0, postgres=args.postgres and postgres_needed)
            elif drill == "faults":
                site = site_environment(stores, "faults", redis_database=2, postgres=postgres_needed)
            else:
                site = site_environment(
                    stores,
                    "integrity",
                    redis_database=4,
                    postgres=args.postgres and postgres_needed,
                    mongo_options=MONGO_OPTIONS,
                )
            if first:
                collect_static(site)
                first = False
            if drill == "load":
                result = run_load(stores, site, clients=args.clients, seconds=args.duration)
            elif drill == "faults":
                result = run_faults(stores, site, clients=args.clients, outage=args.outage)
            else:
                result = run_integrity(stores, site, operations=args.operations)
            results.append(result)
            print("\n".join(result.lines()), flush=True)
    finally:
        stores.stop()
        write_results(results, VAR / "results.json")
    held = all(result.held for result in results) and len(results) == len(drills)
    say(
        f"{len(results)} drills in {(time.monotonic() - started) / 60:.1f} min: {'every invariant held' if held else 'AN INVARIANT BROKE'}"
    )
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
