"""Bring the local stores up or down: `python -m stores up [--with-postgres]`, `python -m stores down`.

Idempotent: a store that already answers is left alone, and a store whose URL points at
another host is not started at all. What this starts is recorded under var/run/ so that
`down` stops only that. Missing servers are installed (apt-get) and builds are cached under
$POLYSTORE_CACHE (default ~/.cache/polystore), so a second `up` takes seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import psycopg
import redis
from pymongo import MongoClient
from pymongo.uri_parser import parse_uri

from stores import local_url

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
RUN = VAR / "run"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def say(message: str) -> None:
    print(f"stores: {message}", file=sys.stderr, flush=True)



def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, **kwargs)


def apt_install(*packages: str) -> None:
    say(f"installing {' '.join(packages)} (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env, stdout=subprocess.DEVNULL)
    run("apt-get", "install", "-y", "-qq", *packages, env=env, stdout=subprocess.DEVNULL)


def wait_until(answers: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answers():
            return
        time.sleep(0.2)
    raise SystemExit(f"stores: {what} did not answer within {timeout:.0f} s")


def mark_started(store: str, **facts: str) -> None:
    RUN.mkdir(parents=True, exist_ok=True)
    (RUN / f"{store}.started").write_text("".join(f"{k}={v}\n" for k, v in facts.items()))


def started_facts(store: str) -> dict[str, str] | None:
    marker = RUN / f"{store}.started"
    if not marker.exists():
        return None
    return dict(line.split("=", 1) for line in marker.read_text().splitlines() if "=" in line)


# ----------------------------------------------------------------------------- Redis
def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


def redis_up() -> None:
    url = local_url("REDIS_URL")
    parts = urlsplit(url)
    if redis_answers(url):
        say(f"redis already answers at {parts.hostname}:{parts.port or 6379}")
        return
    if parts.hostname not in LOOPBACK:
        raise SystemExit(f"stores: REDIS_URL points at {parts.hostname}, which does not answer; not starting one")
    if not shutil.which("redis-server"):
        apt_install("redis-server")
    port = str(parts.port or 6379)
    data = VAR / "redis"
    data.mkdir(parents=True, exist_ok=True)
    pidfile = data / "redis.pid"
    run(
        "redis-server", "--bind", "127.0.0.1", "--port", port, "--daemonize", "yes",
        "--dir", str(data), "--pidfile", str(pidfile), "--logfile", str(data / "redis.log"),
        "--appendonly", "yes", "--save", "60 1000",
    )  # fmt: skip
    wait_until(lambda: redis_answers(url), "redis")
    mark_started("redis", pidfile=str(pidfile))
    say(f"redis started on 127.0.0.1:{port} (data in {data})")


# ----------------------------------------------------------------------------- MongoDB-wire server
def mongodb_answers(uri: str) -> bool:
    client = MongoClient(uri, serverSelectionTimeoutMS=500, connectTimeoutMS=500)
    try:
        client.admin.command("ping")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not up yet"
        return False
    finally:
        client.close()


def mongo_java_server_jar() -> str:
    if not shutil.which("java") or not shutil.which("mvn"):
        apt_install("default-jdk-headless", "maven")
    build = ROOT / "stores" / "mongo-java-server" / "build.sh"
    result = run("bash", str(build), stdout=subprocess.PIPE, text=True)
    return result.stdout.strip().splitlines()[-1]


def mongodb_up() -> None:
    uri = local_url("MONGODB_URI")
    host, port = parse_uri(uri)["nodelist"][0]
    if mongodb_answers(uri):
        say(f"MongoDB-wire server already answers at {host}:{port}")
        return
    if host not in LOOPBACK:
        raise SystemExit(f"stores: MONGODB_URI points at {host}, which does not answer; not starting one")
    jar = mongo_java_server_jar()
    data = VAR / "mongodb"
    data.mkdir(parents=True, exist_ok=True)
    log = open(data / "server.log", "ab")  # noqa: SIM115 - handed to the server process
    process = subprocess.Popen(
        ["java", "-Xmx512m", "-jar", jar, "--host", "127.0.0.1", "--port", str(port), "--data", str(data / "polystore.mv.db")],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    wait_until(lambda: process.poll() is None and mongodb_answers(uri), "the MongoDB-wire server")
    mark_started("mongodb", pid=str(process.pid))
    say(f"MongoDB-wire server (mongo-java-server) started on 127.0.0.1:{port} (data in {data})")


# ----------------------------------------------------------------------------- PostgreSQL
def postgres_answers(url: str) -> bool:
    try:
        psycopg.connect(url, connect_timeout=2).close()
        return True
    except psycopg.Error:
        return False


def postgres_version() -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parent.parent.name))
    if not versions:
        apt_install("postgresql")
        return postgres_version()
    return versions[-1].parent.parent.name


def as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    return run("runuser", "-u", "postgres", "--", *command, **kwargs)


def postgres_up(url: str) -> None:
    config = dj_database_url.parse(url)
    host, port = config["HOST"], int(config["PORT"] or 5432)
    if postgres_answers(url):
        say(f"PostgreSQL already answers at {host}:{port} for database {config['NAME']}")
        return
    if host not in LOOPBACK:
        raise SystemExit(f"stores: the PostgreSQL URL points at {host}, which does not answer; not starting one")
    version = postgres_version()
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout
    cluster = next((line.split() for line in clusters.splitlines() if line.split()[:2] == [version, "main"]), None)
    if cluster is None:
        run("pg_createcluster", "--port", str(port), version, "main", stdout=subprocess.DEVNULL)
    elif int(cluster[2]) != port:
        raise SystemExit(f"stores: PostgreSQL cluster {version}/main listens on {cluster[2]}, not {port}")
    if cluster is None or cluster[3] != "online":
        run("pg_ctlcluster", version, "main", "start")
        mark_started("postgres", cluster=f"{version}/main")
    wait_until(lambda: subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)]).returncode == 0, "PostgreSQL")
    role, password, database = config["USER"], config["PASSWORD"], config["NAME"]
    exists = as_postgres("psql", "-p", str(port), "-tAc", f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'", capture_output=True, text=True)
    if not exists.stdout.strip():
        as_postgres("psql", "-p", str(port), "-q", "-c", f"CREATE ROLE \"{role}\" LOGIN CREATEDB PASSWORD '{password}'")
    has_db = as_postgres("psql", "-p", str(port), "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{database}'", capture_output=True, text=True)
    if not has_db.stdout.strip():
        as_postgres("createdb", "-p", str(port), "-O", role, database)
    wait_until(lambda: postgres_answers(url), "PostgreSQL")
    say(f"PostgreSQL {version} serves {database} to {role} on 127.0.0.1:{port}")


# ----------------------------------------------------------------------------- down
def down() -> None:
    if facts := started_facts("redis"):
        pidfile = Path(facts["pidfile"])
        if pidfile.exists():
            subprocess.run(["kill", pidfile.read_text().strip()], check=False)
        say("redis stopped")
    if facts := started_facts("mongodb"):
        subprocess.run(["kill", facts["pid"]], check=False)
        say("MongoDB-wire server stopped")
    if facts := started_facts("postgres"):
        version, name = facts["cluster"].split("/")
        subprocess.run(["pg_ctlcluster", version, name, "stop"], check=False)
        say("PostgreSQL stopped")
    for marker in RUN.glob("*.started"):
        marker.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m stores", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "down"])
    parser.add_argument("--with-postgres", action="store_true", help="also bring up PostgreSQL at $POSTGRES_URL")
    args = parser.parse_args()
    if args.action == "down":
        down()
        return
    redis_up()
    mongodb_up()
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        postgres_up(database_url)
    if args.with_postgres:
        postgres_up(local_url("POSTGRES_URL"))


if __name__ == "__main__":
    main()
