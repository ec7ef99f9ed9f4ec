"""A PostgreSQL 15 cluster of its own (initdb into a directory), started and stopped with pg_ctl."""

from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path

import psycopg
from psycopg import sql

from tools.stores.processes import HOST, apt_install, as_postgres, give_to_postgres, wait_until

VERSION = "15"  # DocumentDB 0.107 is built for it; Debian 12's PostgreSQL
BIN = Path("/usr/lib/postgresql") / VERSION / "bin"


def postgres_answers(url: str) -> bool:
    """Whether the server at `url` lets its role into its database."""
    try:
        psycopg.connect(url, connect_timeout=2).close()
    except psycopg.Error:
        return False
    return True


def ensure_installed() -> None:
    if not (BIN / "postgres").exists():
        apt_install(f"postgresql-{VERSION}")


class PostgresCluster:
    """A cluster listening on one loopback port only (no Unix socket), password logins for everyone.

    `settings` go to the cluster's own `polystore.conf`, rewritten at every start, so a changed
    setting reaches a cluster made earlier.
    """

    name = "PostgreSQL"

    def __init__(
        self, directory: Path, port: int, *, superuser: str = "postgres", settings: dict[str, str] | None = None
    ) -> None:
        self.directory, self.port, self.superuser = directory, port, superuser
        self.settings = settings or {}

    @staticmethod
    def recorded_port(directory: Path) -> int | None:
        """The port a cluster in `directory` was last started on, if any."""
        conf = directory / "data" / "polystore.conf"
        if not conf.exists():
            return None
        for line in conf.read_text().splitlines():
            name, _, value = line.partition(" = ")
            if name == "port":
                return int(value)
        return None

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def log(self) -> Path:
        return self.directory / "postgres.log"

    @property
    def password(self) -> str:
        return (self.directory / "superuser-password").read_text().strip()

    def url(self, database: str = "postgres", *, role: str | None = None, password: str | None = None) -> str:
        role, password = (role, password) if role else (self.superuser, self.password)
        return f"postgres://{role}:{password}@{HOST}:{self.port}/{database}"

    def answers(self) -> bool:
        try:
            psycopg.connect(self.url(), connect_timeout=1).close()
            return True
        except (psycopg.Error, FileNotFoundError):
            return False

    def running(self) -> bool:
        if not (self.data / "postmaster.pid").exists():
            return False
        return as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "status"], check=False).returncode == 0

    def initialise(self) -> None:
        """Make a new cluster in the directory, whose superuser logs in with a generated password."""
        ensure_installed()
        if self.directory.exists():
            shutil.rmtree(self.directory)
        self.directory.mkdir(parents=True)
        give_to_postgres(self.directory)
        password_file = self.directory / "superuser-password"
        password_file.write_text(secrets.token_urlsafe(24))
        password_file.chmod(0o600)
        give_to_postgres(password_file)
        as_postgres(
            [
                str(BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                self.superuser,
                "-E",
                "UTF8",
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                f"--pwfile={password_file}",
                "--no-sync",
            ]
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("include_if_exists = 'polystore.conf'\n")

    def check_version(self) -> None:
        made_by = (self.data / "PG_VERSION").read_text().strip()
        if made_by != VERSION:
            raise SystemExit(
                f"stores: {self.data} was made by PostgreSQL {made_by}; this is {VERSION}. "
                f"Move it away (its data is kept there) and start again for a new cluster."
            )

    def start(self) -> float:
        """Start the cluster (making it first if there is none); return the seconds it took to answer."""
        started = time.monotonic()
        ensure_installed()
        if not (self.data / "PG_VERSION").exists():
            self.initialise()
        self.check_version()
        settings = {
            "port": str(self.port),
            "listen_addresses": f"'{HOST}'",
            "unix_socket_directories": "''",
            **self.settings,
        }
        conf = self.data / "polystore.conf"
        conf.write_text("".join(f"{name} = {value}\n" for name, value in settings.items()))
        give_to_postgres(conf)
        as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start"])
        wait_until(self.answers, f"PostgreSQL on port {self.port}")
        return time.monotonic() - started

    def stop(self, mode: str = "fast") -> None:
        if self.running():
            as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop"])

    def ensure_database(self, database: str, *, role: str, password: str) -> None:
        """Create the login role (allowed to create databases, for the tests) and its database if missing."""
        with psycopg.connect(self.url(), autocommit=True, connect_timeout=5) as connection:
            if connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone() is None:
                connection.execute(
                    sql.SQL("CREATE ROLE {} LOGIN CREATEDB PASSWORD {}").format(
                        sql.Identifier(role), sql.Literal(password)
                    )
                )
            if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone() is None:
                connection.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database), sql.Identifier(role))
                )

    def create_database(self, name: str) -> str:
        """Create an empty database (dropping one of that name); return its URL."""
        with psycopg.connect(self.url(), autocommit=True, connect_timeout=5) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)
