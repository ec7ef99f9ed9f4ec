"""The drills' own store servers: Redis, the MongoDB-wire server and a PostgreSQL cluster.

Each listens on a free loopback port of its own and keeps its data under var/drills/, so that
stopping one for a fault drill never touches the shared stores on 6379, 27017 and 5432 that
other test runs use. A store is stopped and started again on the same port and data; only the
process this object started is ever signalled.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
from pymongo import MongoClient

from bench.drills.report import say

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "drills"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until(answers, what: str, timeout: float = 60.0) -> float:
    """Poll `answers()` until it is true; return the seconds waited."""
    started = time.monotonic()
    while not answers():
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"{what} did not answer within {timeout:.0f} s")
        time.sleep(0.05)
    return time.monotonic() - started


def fresh_directory(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def ensure_installed(*, postgres: bool) -> str:
    """Install what is missing (Debian's packages, the cached jar) the way `python -m stores` does; return the jar."""
    from stores.__main__ import apt_install, mongo_java_server_jar, postgres_version

    if not shutil.which("redis-server"):
        apt_install("redis-server")
    if postgres:
        postgres_version()
    return mongo_java_server_jar()


def remember(process: subprocess.Popen, pidfile: Path, mark: str) -> None:
    """Note the server's pid, and a string its command line shows, for stop_leftover()."""
    pidfile.write_text(f"{process.pid}\n{mark}\n")


def stop_leftover(pidfile: Path) -> None:
    """Stop a server that an interrupted earlier run left behind: only the pid it recorded, if still ours."""
    if not pidfile.exists():
        return
    pid_text, _, mark = pidfile.read_text().partition("\n")
    pidfile.unlink()
    try:
        command_line = Path(f"/proc/{int(pid_text)}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ValueError):
        return
    if mark.strip() and mark.strip() in command_line:
        say(f"stopping a server an earlier drill run left behind (pid {pid_text})")
        os.kill(int(pid_text), signal.SIGTERM)
        wait_until(lambda: not Path(f"/proc/{int(pid_text)}").exists(), f"pid {pid_text} to stop", timeout=30)


def _stop_process(process: subprocess.Popen | None, timeout: float = 30.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class DrillRedis:
    """redis-server with the append-only file on, as in production: a restart brings the data back."""

    directory: Path = field(default_factory=lambda: VAR / "redis")
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    name = "Redis"

    def url(self, database: int) -> str:
        return f"redis://{HOST}:{self.port}/{database}"

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(host=HOST, port=self.port, socket_connect_timeout=0.2, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def start(self) -> float:
        self.directory.mkdir(parents=True, exist_ok=True)
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--bind", HOST, "--port", str(self.port), "--dir", str(self.directory),
             "--appendonly", "yes", "--save", "", "--daemonize", "no"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        log.close()
        remember(self.process, VAR / "redis.pid", f"{HOST}:{self.port}")
        return wait_until(self.answers, f"redis-server on port {self.port}")

    def stop(self) -> None:
        _stop_process(self.process)
        self.process = None


@dataclass
class DrillMongo:
    """mongo-java-server on its own port, with its own H2 file: SIGTERM closes the file cleanly."""

    jar: str
    directory: Path = field(default_factory=lambda: VAR / "mongodb")
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    name = "MongoDB-wire server"

    def uri(self, database: str, **options: int) -> str:
        query = "&".join(f"{name}={value}" for name, value in options.items())
        return f"mongodb://{HOST}:{self.port}/{database}" + (f"?{query}" if query else "")

    def client(self) -> MongoClient:
        return MongoClient(HOST, self.port, serverSelectionTimeoutMS=2000, connectTimeoutMS=1000)

    def answers(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            return False
        client = MongoClient(HOST, self.port, serverSelectionTimeoutMS=300, connectTimeoutMS=300)
        try:
            client.admin.command("ping")
            return True
        except Exception:  # noqa: BLE001 - any failure means "not up yet"
            return False
        finally:
            client.close()

    def start(self) -> float:
        self.directory.mkdir(parents=True, exist_ok=True)
        log = (self.directory / "server.log").open("ab")
        self.process = subprocess.Popen(
            ["java", "-Xmx256m", "-jar", self.jar, "--host", HOST, "--port", str(self.port),
             "--data", str(self.directory / "drills.mv.db")],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        log.close()
        remember(self.process, VAR / "mongodb.pid", str(self.directory))
        return wait_until(self.answers, f"the MongoDB-wire server on port {self.port}")

    def stop(self) -> None:
        _stop_process(self.process)
        self.process = None


def _as_postgres(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the postgres user (it refuses root), or as ourselves when we are not root."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


@dataclass
class DrillPostgres:
    """A PostgreSQL cluster of its own (initdb under var/drills/postgres), stopped and started with pg_ctl."""

    directory: Path = field(default_factory=lambda: VAR / "postgres")
    port: int = field(default_factory=free_port)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    role: str = "drills"
    initialised: bool = False

    name = "PostgreSQL"

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def bin(self) -> Path:
        from stores.__main__ import postgres_version

        return Path("/usr/lib/postgresql") / postgres_version() / "bin"

    def url(self, database: str) -> str:
        return f"postgres://{self.role}:{self.password}@{HOST}:{self.port}/{database}"

    def answers(self) -> bool:
        try:
            psycopg.connect(self.url("postgres"), connect_timeout=1).close()
            return True
        except psycopg.Error:
            return False

    def _initialise(self) -> None:
        if (self.data / "postmaster.pid").exists():  # left behind by an interrupted run
            say("stopping the PostgreSQL cluster an earlier drill run left behind")
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        fresh_directory(self.directory)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        password_file = self.directory / "superuser-password"
        password_file.write_text(self.password)
        if os.geteuid() == 0:
            shutil.chown(password_file, "postgres", "postgres")
        _as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-U", self.role, "-E", "UTF8",
                      "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", f"--pwfile={password_file}",
                      "--no-sync"])  # fmt: skip
        password_file.unlink()
        self.initialised = True

    def start(self) -> float:
        if not self.initialised:
            self._initialise()
        started = time.monotonic()
        options = f"-c port={self.port} -c listen_addresses={HOST} -c unix_socket_directories={self.directory}"
        _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "postgres.log"),
                      "-o", options, "-w", "-t", "60", "start"])  # fmt: skip
        wait_until(self.answers, f"PostgreSQL on port {self.port}")
        return time.monotonic() - started

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop"])

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url("postgres"), autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@dataclass
class DrillStores:
    """The three servers the drills own, started fresh (empty data) and stopped whatever happens."""

    redis: DrillRedis
    mongo: DrillMongo
    postgres: DrillPostgres | None

    @classmethod
    def start(cls, *, postgres: bool) -> DrillStores:
        jar = ensure_installed(postgres=postgres)
        VAR.mkdir(parents=True, exist_ok=True)
        stop_leftover(VAR / "redis.pid")
        stop_leftover(VAR / "mongodb.pid")
        stores = cls(
            redis=DrillRedis(directory=fresh_directory(VAR / "redis")),
            mongo=DrillMongo(jar=jar, directory=fresh_directory(VAR / "mongodb")),
            postgres=DrillPostgres() if postgres else None,
        )
        try:
            for store in stores.all():
                seconds = store.start()
                say(f"started the drills' own {store.name} on {HOST}:{store.port} ({seconds:.1f} s)")
        except BaseException:
            stores.stop()
            raise
        return stores

    def all(self) -> list[DrillRedis | DrillMongo | DrillPostgres]:
        return [store for store in (self.redis, self.mongo, self.postgres) if store is not None]

    def stop(self) -> None:
        for store in self.all():
            try:
                store.stop()
            except Exception as error:  # noqa: BLE001 - stop the others anyway, and say so
                say(f"could not stop the drills' {store.name}: {error}")
