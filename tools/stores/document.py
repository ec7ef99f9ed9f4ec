"""The MongoDB-wire servers built here: FerretDB v2 over PostgreSQL with DocumentDB, and mongo-java-server.

MongoDB's own server cannot be installed from the registries these machines reach (DESIGN.md).
FerretDB turns `createIndexes` into real PostgreSQL indexes; mongo-java-server needs nothing but
Maven and keeps the engine honest on a second, independent implementation.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import time
from pathlib import Path

import psycopg
from pymongo import MongoClient

from tools.stores import document_server_kind
from tools.stores.postgres import PostgresCluster
from tools.stores.processes import HOST, ROOT, Daemon, apt_install, free_port, give_to_postgres, say

DOCUMENTDB_VERSION = "0.107-0"  # what FerretDB v2.7.0 expects
FERRETDB_VERSION = "v2.7.0"  # ferretdb/build.sh builds it
# The settings FerretDB's own PostgreSQL image sets for DocumentDB, and pg_cron in the same database.
DOCUMENTDB_SETTINGS = {
    "shared_preload_libraries": "'pg_cron,pg_documentdb_core,pg_documentdb'",
    "cron.database_name": "'postgres'",
    "documentdb.enableCompact": "true",
    "documentdb.enableLetAndCollationForQueryMatch": "true",
    "documentdb.enableNowSystemVariable": "true",
    "documentdb.enableSortbyIdPushDownToPrimaryKey": "true",
    "documentdb.enableSchemaValidation": "true",
    "documentdb.enableBypassDocumentValidation": "true",
    "documentdb.enableUserCrud": "true",
    "documentdb.maxUserLimit": "100",
    # A development cluster: small WAL, no fsync wait on commit (a crash may lose the last commits).
    "max_wal_size": "'256MB'",
    "min_wal_size": "'64MB'",
    "synchronous_commit": "off",
}


def mongodb_answers(port: int, timeout_ms: int = 300) -> bool:
    """Whether a server on the port serves data: FerretDB answers `ping` even while its PostgreSQL is down."""
    client = MongoClient(HOST, port, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms)
    try:
        client.admin.command("listDatabases", nameOnly=True)
        return True
    except Exception:  # noqa: BLE001 - any failure means "not up yet"
        return False
    finally:
        client.close()


def document_server_title(kind: str) -> str:
    """Name the server of this kind with its version, for reports."""
    if kind == FerretDB.kind:
        return f"FerretDB {FERRETDB_VERSION} over PostgreSQL 15 with DocumentDB {DOCUMENTDB_VERSION}"
    pom = (ROOT / "tools" / "stores" / "mongo-java-server" / "pom.xml").read_text()
    version = re.search(r"<mongo-java-server.version>([^<]+)<", pom)
    return f"mongo-java-server {version.group(1) if version else ''}, H2 file backend".replace("  ", " ")


@functools.cache
def _build(script: str) -> str:
    """Run a build script of ours once per process; return the last line it prints (the built artefact's path).

    A fault drill stops and starts a server many times: the build is checked on the first start only.
    """
    result = subprocess.run(
        ["bash", str(ROOT / "tools" / "stores" / script)], stdout=subprocess.PIPE, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"stores: stores/{script} failed (its output is above)")
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


class DocumentServer:
    """What both servers share: a port, a directory, a client."""

    name = "MongoDB-wire server"
    kind = ""

    def __init__(self, directory: Path, port: int) -> None:
        self.directory, self.port = directory, port

    def uri(self, database: str, **options: int) -> str:
        query = "&".join(f"{name}={value}" for name, value in options.items())
        return f"mongodb://{HOST}:{self.port}/{database}" + (f"?{query}" if query else "")

    def client(self) -> MongoClient:
        return MongoClient(HOST, self.port, serverSelectionTimeoutMS=2000, connectTimeoutMS=1000)

    def answers(self) -> bool:
        return mongodb_answers(self.port)

    def start(self) -> float:
        raise NotImplementedError

    def refuse_taken_port(self) -> None:
        if self.answers():
            raise RuntimeError(f"another server already answers on {HOST}:{self.port}")

    def stop(self) -> None:
        raise NotImplementedError

    def running(self) -> bool:
        """Whether a process of this server, recorded under its directory, runs."""
        raise NotImplementedError


class MongoJavaServer(DocumentServer):
    """mongo-java-server with its H2 file store: SIGTERM closes the file cleanly, data survives a restart."""

    kind = "mongo-java-server"

    def __init__(self, directory: Path, port: int) -> None:
        super().__init__(directory, port)
        self.daemon = Daemon(directory / "server.pid")

    def start(self) -> float:
        started = time.monotonic()
        if not os.path.exists("/usr/bin/java") or not os.path.exists("/usr/bin/mvn"):
            apt_install("default-jdk-headless", "maven")
        jar = _build("mongo-java-server/build.sh")
        self.refuse_taken_port()
        self.directory.mkdir(parents=True, exist_ok=True)
        log = self.directory / "server.log"
        self.daemon.spawn(
            [
                "java",
                "-Xmx512m",
                "-jar",
                jar,
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--data",
                str(self.directory / "polystore.mv.db"),
            ],
            log=log,
        )
        self.daemon.wait_for(self.answers, f"mongo-java-server on port {self.port}", log=log)
        return time.monotonic() - started

    def stop(self) -> None:
        self.daemon.stop()

    def running(self) -> bool:
        return self.daemon.running()


class FerretDB(DocumentServer):
    """FerretDB v2 on a PostgreSQL 15 cluster of its own (under `directory`/postgres) with DocumentDB."""

    kind = "ferretdb"

    def __init__(self, directory: Path, port: int) -> None:
        super().__init__(directory, port)
        self.daemon = Daemon(directory / "ferretdb.pid")
        cluster = directory / "postgres"
        # DocumentDB opens libpq connections to its own server (index builds, background jobs): they
        # log in as the superuser with the password from a file only the postgres user reads.
        internal_connections = f"'host={HOST} passfile={cluster / 'pgpass'}'"
        self.postgres = PostgresCluster(
            cluster,
            PostgresCluster.recorded_port(cluster) or free_port(),
            settings={**DOCUMENTDB_SETTINGS, "documentdb.localhost_connection_string": internal_connections},
        )

    def start(self) -> float:
        started = time.monotonic()
        _build("documentdb/build.sh")
        binary = _build("ferretdb/build.sh")
        self.daemon.stop()  # ours, left without its PostgreSQL
        self.refuse_taken_port()
        if not self.postgres.running():
            self.postgres.start()
            pgpass = self.postgres.directory / "pgpass"
            pgpass.write_text(f"{HOST}:*:*:{self.postgres.superuser}:{self.postgres.password}\n")
            pgpass.chmod(0o600)
            give_to_postgres(pgpass)
        self._ensure_documentdb()
        url_file = self.directory / "postgresql-url"
        url_file.write_text(self.postgres.url())
        url_file.chmod(0o600)
        log = self.directory / "ferretdb.log"
        self.daemon.spawn(
            [
                binary,
                f"--listen-addr={HOST}:{self.port}",
                f"--postgresql-url-file={url_file}",
                "--no-auth",
                "--telemetry=disable",
                "--debug-addr=-",
                f"--state-dir={self.directory}",
                "--log-level=WARN",
            ],
            log=log,
        )
        self.daemon.wait_for(self.answers, f"FerretDB on port {self.port}", log=log)
        return time.monotonic() - started

    def _ensure_documentdb(self) -> None:
        """Create the extension in a new cluster; update it in one an older build made; refuse a newer one."""
        version = self._query("SELECT extversion FROM pg_extension WHERE extname = 'documentdb'")
        if not version:
            say("creating the DocumentDB extension (first start of this cluster)")
            self._query("CREATE EXTENSION documentdb CASCADE")
        elif version != DOCUMENTDB_VERSION:
            available = self._query("SELECT default_version FROM pg_available_extensions WHERE name = 'documentdb'")
            if version > available:
                raise SystemExit(
                    f"stores: {self.postgres.data} holds DocumentDB {version}, newer than this build's {available}. "
                    "Move that directory away (its data stays there) to start a new cluster."
                )
            say(f"updating DocumentDB {version} -> {available} in {self.postgres.data}")
            self._query("ALTER EXTENSION documentdb UPDATE")

    def _query(self, statement: str) -> str:
        """Run one statement in the cluster's `postgres` database; return the first value it gives, if any."""
        with psycopg.connect(self.postgres.url(), autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(statement)
            row = cursor.fetchone() if cursor.description else None
        return str(row[0]) if row else ""

    def stop(self) -> None:
        self.daemon.stop()
        self.postgres.stop()

    def running(self) -> bool:
        return self.daemon.running() or self.postgres.running()


def document_server(directory: Path, port: int, kind: str | None = None) -> DocumentServer:
    """The server of the given kind ($POLYSTORE_DOCUMENT_SERVER by default) in `directory`."""
    kind = kind or document_server_kind()
    server_class = FerretDB if kind == FerretDB.kind else MongoJavaServer
    return server_class(directory, port)
