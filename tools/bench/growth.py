"""How the pages that read notes scale: a short load of each on smaller datasets and on the run's own.

Each dataset has its own stores (bench/environment.py); each is served by its own gunicorn with
the page cache off, so the lists are rendered afresh, and loaded for one short round, floor
included, after the main run's servers have stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pymongo import MongoClient

from demo.services import DEMO_PASSWORD, demo_username
from tools.bench.browser import Browser
from tools.bench.environment import VAR, Dataset, bench_environment, prepare, say
from tools.bench.load import LoadSettings, ScenarioResult, measure_pages
from tools.bench.scenarios import FLOOR, MAIN_SERVER, SCENARIOS, UNCACHED_SERVER, Subjects
from tools.bench.server import HOST, gunicorn

# The list pages and a note's page, as the main run measures them without the page cache.
GROWTH_SCENARIOS = ("public-p1-uncached", "public-p50-uncached", "my-notes", "detail")


@dataclass
class GrowthPoint:
    """One dataset's short load: its size and each page's result."""

    dataset: str
    notes: int
    seconds: float  # each page's one round
    pages: dict[str, ScenarioResult] = field(default_factory=dict)


def growth_subjects(env: dict[str, str]) -> Subjects:
    """The first demo members, and the oldest public note of the dataset (any note's page is the same page)."""
    notes = MongoClient(env["MONGODB_URI"]).get_default_database()["notes_note"]
    note = notes.find_one({"visibility": "public"}, {"owner_id": 1}, sort=[("_id", 1)])
    if note is None:
        raise SystemExit(f"bench: {env['MONGODB_URI']} has no public note")
    return Subjects(
        member_id=note["owner_id"],
        public_note_id=str(note["_id"]),
        reader=demo_username(1),
        writer=demo_username(2),
    )


def measure_growth(
    datasets: list[Dataset], *, postgres: bool, wrk: str, settings: LoadSettings, workers: int
) -> list[GrowthPoint]:
    """Seed (once) and load each dataset's pages for one short round; smallest first."""
    scenarios = [scenario for scenario in SCENARIOS if scenario.key in (FLOOR.key, *GROWTH_SCENARIOS)]
    points = []
    for dataset in datasets:
        env = bench_environment(dataset, postgres=postgres) | {"PAGE_CACHE_SECONDS": "0"}
        prepare(dataset, env)
        notes = MongoClient(env["MONGODB_URI"]).get_default_database().command("count", "notes_note")["n"]
        say(f"growth: {notes:,} notes ({dataset.name}), {len(scenarios)} scenarios")
        log = VAR / f"gunicorn-growth-{dataset.name}.log"
        with gunicorn(env, workers=workers, log=log, extra_args=[]) as server:
            reader = Browser(HOST, server.port)
            subjects = growth_subjects(env)
            reader.log_in(subjects.reader, DEMO_PASSWORD)
            pages = measure_pages(
                servers={MAIN_SERVER: server, UNCACHED_SERVER: server},
                wrk=wrk,
                scenarios=scenarios,
                subjects=subjects,
                browsers={"reader": reader, "writer": reader},
                settings=settings,
                scripts=VAR / "scripts",
                collect_writes=lambda: 0,
            )
        points.append(GrowthPoint(dataset.name, notes, settings.duration, pages))
    return points
