"""A Polystore site on the drills' own stores: its environment, its data, and gunicorn serving it.

Each drill gets its own databases on the drills' servers (a SQLite file under var/drills/ or a
database of the drills' PostgreSQL cluster, a MongoDB database, two Redis logical databases), the
production settings (DJANGO_DEBUG=false, a random secret, ALLOWED_HOSTS=127.0.0.1) and
gunicorn.conf.py with its own worker count, on a free loopback port.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tools.bench.server import Server, gunicorn
from tools.drills.report import say
from tools.drills.stores import VAR, DrillStores
from tools.stores.processes import ROOT

DEMO_PASSWORD = "polystore-demo"  # seed_demo's members (demo/services.py)
STAFF = ("drills-staff", secrets.token_urlsafe(16))
SETTINGS = "tools.drills.settings"
# gunicorn.conf.py's own default: 2 × CPUs + 1.
WORKERS = multiprocessing.cpu_count() * 2 + 1


@dataclass(frozen=True)
class Site:
    name: str
    env: dict[str, str]
    mongo_database: str
    relational: str  # sqlite or postgresql

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
            )
        return result


def site_environment(
    stores: DrillStores, name: str, *, redis_database: int, postgres: bool, mongo_options: dict[str, int] | None = None
) -> Site:
    """The environment of one drill's site; nothing is inherited that could point at the shared stores."""
    if postgres:
        database_url = stores.postgres.create_database(f"drills_{name}")
    else:
        sqlite = VAR / f"{name}.sqlite3"
        for leftover in VAR.glob(f"{name}.sqlite3*"):
            leftover.unlink()
        database_url = f"sqlite:///{sqlite}"
    mongo_database = f"drills_{name}"
    inherited = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    env = inherited | {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "MONGODB_URI": stores.mongo.uri(mongo_database, **(mongo_options or {})),
        "REDIS_URL": stores.redis.url(redis_database),
        "PYTHONUNBUFFERED": "1",
    }
    return Site(name, env, mongo_database, "postgresql" if postgres else "sqlite")


def collect_static(site: Site) -> None:
    site.manage("collectstatic", "--noinput", "--verbosity", "0")


def prepare(site: Site, *, members: int, notes_per_member: int, seed: int = 20261126) -> None:
    """Migrate both databases, seed demo members and their notes, and add one staff member."""
    say(f"{site.name}: migrating, seeding {members} members × {notes_per_member} notes ({site.relational})")
    site.manage("migrate", "--noinput")
    site.manage("migrate", "--database", "mongodb", "--noinput")
    site.manage(
        "seed_demo",
        "--users",
        str(members),
        "--notes-per-user",
        str(notes_per_member),
        "--seed",
        str(seed),
        "--no-progress",
    )
    username, password = STAFF
    staff_env = site.env | {"DJANGO_SUPERUSER_PASSWORD": password}
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "createsuperuser",
            "--noinput",
            "--username",
            username,
            "--email",
            f"{username}@drills.test",
        ],
        cwd=ROOT,
        env=staff_env,
        check=True,
        capture_output=True,
    )


def demo_usernames(count: int) -> list[str]:
    return [f"demo{number:06d}" for number in range(1, count + 1)]


@contextmanager
def serve(site: Site) -> Iterator[Server]:
    """gunicorn with gunicorn.conf.py on a free loopback port; stopped on the way out."""
    log = VAR / f"{site.name}-gunicorn.log"
    with gunicorn(site.env, workers=WORKERS, log=log, extra_args=[]) as server:
        say(
            f"{site.name}: gunicorn (pid {server.pid}, {WORKERS} workers) serves {server.base_url}; log {_relative(log)}"
        )
        yield server


def _relative(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def booted_workers(server: Server) -> int:
    """Worker processes gunicorn has booted so far (a worker that died is replaced by a new one)."""
    return server.log.read_text(errors="replace").count("Booting worker with pid")
