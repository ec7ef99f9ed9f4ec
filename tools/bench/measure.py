"""One benchmark run, with Django set up on the benchmark's environment: load, overheads, transfer, peer, memory."""

from __future__ import annotations

import argparse
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from django.conf import settings as django_settings
from django.db import connections
from django.urls import reverse
from django_redis import get_redis_connection

from demo.services import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, demo_username
from health.probes import all_statuses
from tools.bench.browser import Browser
from tools.bench.djongo_peer import djongo_peer
from tools.bench.environment import (
    ROOT,
    SMALLER_DATASETS,
    VAR,
    Dataset,
    SeedRecord,
    other_document_server_environment,
    say,
)
from tools.bench.growth import GrowthPoint, measure_growth
from tools.bench.load import LoadSettings, measure_pages
from tools.bench.machine import cpu_busy_share, facts, load_average
from tools.bench.memory import process_age_seconds, resident_bytes
from tools.bench.middleware import PROFILE_DIRECTORY_VARIABLE
from tools.bench.overheads import (
    cache_hit,
    engine_replaces_reads,
    list_fetch,
    notes_collection,
    orm_full_read,
    seed_users,
    stock_full_read,
    stock_get_by_pk,
)
from tools.bench.queries import count_page_queries
from tools.bench.report import Run, WorkerMemory
from tools.bench.scenarios import (
    BENCH_NOTE_TITLE,
    FLOOR,
    MAIN_SERVER,
    OTHER_DOCUMENT_SERVER,
    SCENARIOS,
    UNCACHED_SERVER,
    Subjects,
)
from tools.bench.server import HOST, Server, gunicorn
from tools.bench.transfer import TransferResult, measure_transfer
from tools.bench.views import CACHED_PAGE_KEY
from tools.stores import document_server_kind, other_document_server_kind
from tools.stores.document import document_server_title
from users.models import User

COPY_KEPT_SECONDS = 6 * 3600  # longer than any run
GROWTH_SECONDS = {False: 5.0, True: 2.0}  # each page's one round on each dataset (full run, --quick)


def copy_public_notes_page(browser: Browser) -> None:
    """Keep a copy of the anonymous public notes' first page where the cached-page ceilings read it."""
    page = browser.get(reverse("notes:public") + "?page=1")
    get_redis_connection("default").set(CACHED_PAGE_KEY, page.body.encode(), ex=COPY_KEPT_SECONDS)


def find_subjects() -> Subjects:
    """The first two demo members, and a public note of the first (found with one indexed-free raw query)."""
    reader, writer = demo_username(1), demo_username(2)
    member = User.objects.get(username=reader)
    note = notes_collection().find_one({"owner_id": member.pk, "visibility": "public"}, {"_id": 1})
    if note is None:
        raise SystemExit(f"bench: {reader} has no public note; reseed with --reset")
    return Subjects(member_id=member.pk, public_note_id=str(note["_id"]), reader=reader, writer=writer)


def dataset_counts() -> dict[str, int]:
    collection = notes_collection()
    database = collection.database
    return {
        "members": User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").count(),
        "notes": database.command("count", collection.name)["n"],
        "public": database.command("count", collection.name, query={"visibility": "public"})["n"],
    }


def server_versions() -> dict[str, str]:
    """What each store's server reports (health.probes), with the MongoDB-wire servers named for what they are."""
    versions = {}
    for status in all_statuses():
        reported = status.version if status.ok else f"down: {status.error}"
        if status.kind == "mongodb":
            versions["MongoDB-wire server"] = (
                f"{document_server_title(document_server_kind())} (reports MongoDB {reported})"
            )
            versions["the other MongoDB-wire server (side by side)"] = document_server_title(
                other_document_server_kind()
            )
        else:
            versions[f"{status.store} server ({status.kind})"] = reported
    return versions


def everything(
    *,
    args: argparse.Namespace,
    dataset: Dataset,
    env: dict[str, str],
    wrk: str,
    wrk_label: str,
    seed: SeedRecord | None,
) -> Run:
    quick = args.quick
    subjects = find_subjects()
    writer_id = User.objects.get(username=subjects.writer).pk
    scenarios = [s for s in SCENARIOS if not args.only or s.key in args.only or s.key == FLOOR.key]
    settings = LoadSettings(
        threads=args.threads,
        connections=args.connections,
        duration=args.duration or (3.0 if quick else 10.0),
        warmup=1.0 if quick else 2.0,
        rounds=args.rounds or (1 if quick else 3),
    )
    repeats = 3 if quick else 5
    machine = facts(server_versions=server_versions(), wrk=wrk_label)
    counts = dataset_counts()
    say(f"dataset: {counts['members']:,} members, {counts['notes']:,} notes ({counts['public']:,} public)")

    def collect_writes() -> int:
        return notes_collection().delete_many({"owner_id": writer_id, "title": BENCH_NOTE_TITLE}).deleted_count

    idle_check = (cpu_busy_share(), load_average())
    say(
        f"before the load: {idle_check[0] * 100:.0f} % of the CPUs busy with other work, "
        f"load average {idle_check[1]:.2f}"
    )
    profiles = VAR / "profiles"
    with ExitStack() as stack:
        servers: dict[str, Server] = {}
        for name in sorted({scenario.server for scenario in scenarios}, key=lambda name: name != MAIN_SERVER):
            server_env = {
                MAIN_SERVER: env,
                UNCACHED_SERVER: {**env, "PAGE_CACHE_SECONDS": "0"},
                OTHER_DOCUMENT_SERVER: other_document_server_environment(env),
            }[name] | {PROFILE_DIRECTORY_VARIABLE: str(profiles)}
            log = VAR / ("gunicorn.log" if name == MAIN_SERVER else f"gunicorn-{name}.log")
            servers[name] = stack.enter_context(
                gunicorn(server_env, workers=args.workers, log=log, extra_args=args.gunicorn_arg)
            )
            say(f"gunicorn {servers[name].pid} on {servers[name].base_url} ({name})")
        server = servers[MAIN_SERVER]
        browsers = {"reader": Browser(HOST, server.port), "writer": Browser(HOST, server.port)}
        for login, browser in browsers.items():
            browser.log_in(getattr(subjects, login), DEMO_PASSWORD)
        copy_public_notes_page(Browser(HOST, server.port))
        say(f"loading {len(scenarios)} scenarios")
        pages = measure_pages(
            servers=servers,
            wrk=wrk,
            scenarios=scenarios,
            subjects=subjects,
            browsers=browsers,
            settings=settings,
            scripts=VAR / "scripts",
            collect_writes=collect_writes,
            profiles=profiles,
        )
        workers = [
            WorkerMemory(pid, resident_bytes(pid), process_age_seconds(pid), name)
            for name, running in servers.items()
            for pid in running.worker_pids()
        ]
        restarts = sum(running.worker_restarts() for running in servers.values())
    growth: list[GrowthPoint] = []
    if not args.skip_growth:
        growth = measure_growth(
            [*SMALLER_DATASETS[dataset.name], dataset],
            postgres=args.postgres,
            wrk=wrk,
            settings=replace(settings, duration=GROWTH_SECONDS[quick], warmup=1.0, rounds=1),
            workers=args.workers,
        )
    after_load = load_average()
    say("counting queries per page (in-process)")
    queries = count_page_queries(scenarios, subjects)
    collect_writes()

    overheads = []
    if not args.skip_overheads:
        say("overheads, in-process")
        overheads.append(orm_full_read(repeats=repeats))
        if engine_replaces_reads():
            overheads.append(stock_full_read(repeats=3))
            overheads.append(stock_get_by_pk(repeats=3))
        overheads += list_fetch(repeats=repeats)
        overheads += seed_users(count=500 if quick else 5000, seed=dataset.seed, repeats=1 if quick else 3)
        overheads += cache_hit(gets=2000, repeats=3 if quick else 7)
    transfer = TransferResult(status="skipped", reason="--skip-transfer")
    if not args.skip_transfer:
        say("import_notes and export_notes, on a scratch database")
        transfer = measure_transfer(
            env=env, bench_database=connections["mongodb"].settings_dict["NAME"], total=counts["notes"]
        )
        overheads += transfer.comparisons
    peer = None
    if not args.skip_djongo:
        say("djongo peer")
        peer = djongo_peer(
            mongodb_uri=env["MONGODB_URI"],
            database=connections["mongodb"].settings_dict["NAME"],
            count=1000,
            repeats=3 if quick else 5,
        )
        say(f"djongo: {peer.status} ({peer.step}) {peer.detail}")
    relational = connections["default"]
    return Run(
        command="",
        mode="quick" if quick else "full",
        started_at="",
        seconds=0.0,
        facts=machine,
        dataset=dataset,
        counts=counts,
        relational=(
            f"PostgreSQL database `{relational.settings_dict['NAME']}`"
            if relational.vendor == "postgresql"
            else f"SQLite file `{Path(relational.settings_dict['NAME']).relative_to(ROOT)}`"
        ),
        document_database=connections["mongodb"].settings_dict["NAME"],
        document_server=document_server_title(document_server_kind()),
        other_document_server=document_server_title(other_document_server_kind()),
        seed=seed,
        load=settings,
        gunicorn_args=args.gunicorn_arg,
        gunicorn_workers=args.workers,
        pages=pages,
        queries=queries,
        overheads=overheads,
        peer=peer,
        workers=workers,
        worker_restarts=restarts,
        transfer=transfer,
        growth=growth,
        page_cache_seconds=django_settings.PAGE_CACHE_SECONDS,
        repeats=repeats,
        busy_before=idle_check[0],
        load_before=idle_check[1],
        load_after=after_load,
    )
