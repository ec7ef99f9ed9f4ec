"""The benchmark's own stores and production-like settings, so that it never touches dev data.

- relational: var/bench/full.sqlite3 (quick.sqlite3 with --quick), or the PostgreSQL databases
  polystore_bench / polystore_bench_quick on $POSTGRES_URL's server with --postgres;
- document: the MongoDB databases polystore_bench / polystore_bench_quick (with a _pg suffix
  when the relational store is PostgreSQL: notes point at members by id);
- Redis: logical databases 10 (cache) and 11 (sessions), flushed at the start of every run.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
import redis
from psycopg import sql
from pymongo import MongoClient

from tools.bench.memory import MIB, run_measured
from tools.stores import local_url

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "bench"
REDIS_DATABASE = 10


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Dataset:
    name: str
    users: int
    notes_per_user: int
    seed: int = 20261126

    @property
    def notes(self) -> int:
        return self.users * self.notes_per_user

    @property
    def database_name(self) -> str:
        return "polystore_bench" if self.name == "full" else f"polystore_bench_{self.name}"


FULL = Dataset("full", users=10_000, notes_per_user=10)
QUICK = Dataset("quick", users=500, notes_per_user=10)
# Smaller datasets, each in its own stores, loaded briefly after a run to show how the pages scale
# with the notes (bench/growth.py); the run's own dataset is the last point.
SMALLER_DATASETS = {
    FULL.name: (Dataset("1k", users=100, notes_per_user=10), Dataset("10k", users=1_000, notes_per_user=10)),
    QUICK.name: (Dataset("1k", users=100, notes_per_user=10),),
}


def _with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path, query=""))


def with_database(url: str, name: str) -> str:
    """The same store URL naming another database."""
    return _with_path(url, f"/{name}")


def bench_environment(dataset: Dataset, *, postgres: bool) -> dict[str, str]:
    """The environment gunicorn, manage.py and the in-process measurements all run with."""
    if postgres:
        database_url = _with_path(local_url("POSTGRES_URL"), f"/{dataset.database_name}")
    else:
        database_url = f"sqlite:///{VAR / f'{dataset.name}.sqlite3'}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tools.bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        # Notes point at members by id: each relational store gets its own notes.
        "MONGODB_URI": _with_path(local_url("MONGODB_URI"), f"/{dataset.database_name}{'_pg' if postgres else ''}"),
        "REDIS_URL": _with_path(local_url("REDIS_URL"), f"/{REDIS_DATABASE}"),
        "PYTHONUNBUFFERED": "1",
    }


def stores_up(*, postgres: bool) -> None:
    """Start the local stores that are not running, the other document server too (python -m tools.stores)."""
    command = [sys.executable, "-m", "tools.stores", "up", *(["--with-postgres"] if postgres else [])]
    subprocess.run(command, cwd=ROOT, check=True)
    subprocess.run([sys.executable, "-m", "tools.stores", "up", "--other-document-server"], cwd=ROOT, check=True)


def other_document_server_environment(env: dict[str, str]) -> dict[str, str]:
    """The bench environment with the notes on the other document server, and the page cache off."""
    database = urlsplit(env["MONGODB_URI"]).path
    return {**env, "MONGODB_URI": _with_path(local_url("OTHER_MONGODB_URI"), database), "PAGE_CACHE_SECONDS": "0"}


def prepare_other_document_server(env: dict[str, str], other_env: dict[str, str], batch: int = 2000) -> None:
    """Give the other document server the same notes, document for document (a no-op once copied)."""
    manage(other_env, "migrate", "--database", "mongodb", "--noinput")
    source = MongoClient(env["MONGODB_URI"]).get_default_database()["notes_note"]
    target = MongoClient(other_env["MONGODB_URI"]).get_default_database()["notes_note"]
    if target.count_documents({}) == source.count_documents({}):
        return
    say(f"copying the notes to the other document server ({other_env['MONGODB_URI']})")
    target.delete_many({})
    documents = []
    for document in source.find().batch_size(batch):
        documents.append(document)
        if len(documents) == batch:
            target.insert_many(documents, ordered=False)
            documents = []
    if documents:
        target.insert_many(documents, ordered=False)


def create_postgres_database(database_url: str) -> None:
    """Create the benchmark's PostgreSQL database when it does not exist (the role may CREATEDB)."""
    name = dj_database_url.parse(database_url)["NAME"]
    with psycopg.connect(local_url("POSTGRES_URL"), autocommit=True, connect_timeout=5) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            say(f"created PostgreSQL database {name}")


def flush_bench_redis(env: dict[str, str]) -> None:
    """Empty the benchmark's cache and sessions databases: a cold, known start (and only those two)."""
    base = env["REDIS_URL"]
    for database in (REDIS_DATABASE, REDIS_DATABASE + 1):
        redis.Redis.from_url(_with_path(base, f"/{database}")).flushdb()


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=False, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"bench: manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


@dataclass
class SeedRecord:
    """What seeding the dataset cost, kept beside it: later runs reuse the data and cite this."""

    dataset: str
    users: int
    notes_per_user: int
    seed: int
    relational: str
    seconds: float
    peak_rss_mib: float
    output: str
    measured_at: str


def seed_record_path(dataset: Dataset, env: dict[str, str]) -> Path:
    vendor = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    return VAR / f"seed-{dataset.name}-{vendor}.json"


def forget_orphan_notes(env: dict[str, str]) -> None:
    """Empty the dataset's notes when its relational store has no members (a new SQLite file beside old notes).

    seed_demo keeps members that exist and writes notes for the ones it creates: over notes whose
    members are gone it would write every note a second time. The notes collection is the
    benchmark's own (bench_environment names it).
    """
    relational = dj_database_url.parse(env["DATABASE_URL"])
    if relational["ENGINE"].endswith("sqlite3"):
        path = Path(relational["NAME"])
        members = 0
        if path.exists():
            with sqlite3.connect(path) as connection:
                members = connection.execute("SELECT count(*) FROM users_user").fetchone()[0]
    else:
        with psycopg.connect(env["DATABASE_URL"], connect_timeout=5) as connection:
            members = connection.execute("SELECT count(*) FROM users_user").fetchone()[0]
    notes = MongoClient(env["MONGODB_URI"]).get_default_database()["notes_note"]
    if members == 0 and notes.estimated_document_count():
        say(f"{env['MONGODB_URI']}: notes without members (a new relational store); starting them afresh")
        notes.delete_many({})


def prepare(dataset: Dataset, env: dict[str, str]) -> SeedRecord | None:
    """Migrate both databases, collect static files and seed the dataset (a no-op once seeded).

    Returns the record of the run that created the data, if there is one.
    """
    VAR.mkdir(parents=True, exist_ok=True)
    if env["DATABASE_URL"].startswith("postgres"):
        create_postgres_database(env["DATABASE_URL"])
    say("migrating both databases, collecting static files")
    manage(env, "migrate", "--noinput")
    manage(env, "migrate", "--database", "mongodb", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    forget_orphan_notes(env)
    say(
        f"seeding {dataset.users:,} members × {dataset.notes_per_user} notes "
        f"(seed {dataset.seed}; kept from an earlier run when present)"
    )
    log = VAR / f"seed-{dataset.name}.log"
    command = [
        sys.executable,
        "manage.py",
        "seed_demo",
        "--users",
        str(dataset.users),
        "--notes-per-user",
        str(dataset.notes_per_user),
        "--seed",
        str(dataset.seed),
        "--no-progress",
    ]
    offset = log.stat().st_size if log.exists() else 0
    run = run_measured(command, env=env, cwd=ROOT, log=log)
    output = log.read_bytes()[offset:].decode(errors="replace").strip()
    if run.returncode != 0:
        raise SystemExit(f"bench: seed_demo failed ({run.returncode}); see {log}:\n{output[-2000:]}")
    say(f"seed_demo: {output.splitlines()[-1] if output else '(no output)'} in {run.seconds:.0f} s")
    record_path = seed_record_path(dataset, env)
    if "Created 0 demo members" not in output:
        record = SeedRecord(
            dataset=dataset.name,
            users=dataset.users,
            notes_per_user=dataset.notes_per_user,
            seed=dataset.seed,
            relational=record_path.stem.rsplit("-", 1)[1],
            seconds=round(run.seconds, 1),
            peak_rss_mib=round(run.peak_rss / MIB, 1),
            output=output.splitlines()[-1],
            measured_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
        record_path.write_text(json.dumps(asdict(record), indent=2))
    if record_path.exists():
        return SeedRecord(**json.loads(record_path.read_text()))
    return None
