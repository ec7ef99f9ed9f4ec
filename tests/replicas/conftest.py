"""A real PostgreSQL primary with a streaming replica (the stores library), migrated once, and the replica as an alias."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest
from django.db import connections

from config.scale_out import relational_replicas, replica_alias
from replicas import health
from tests.conftest import ROOT
from tools.stores.postgres import PostgresCluster
from tools.stores.replication import ReplicatedPostgres

DATABASE = "polystore_replicas"
ROLE = ("polystore", "polystore")
ALIAS = replica_alias(1)


@pytest.fixture(scope="session")
def replicated_postgres() -> Iterator[ReplicatedPostgres]:
    """Primary + replica on free ports under var/, Polystore's schema migrated with the replica configured."""
    directory = ROOT / "var" / "test-replication"
    cluster = ReplicatedPostgres.in_directory(directory)
    for leftover in ("replica", "primary"):  # what an interrupted run left running
        PostgresCluster(directory / leftover, 0).stop()
    shutil.rmtree(directory, ignore_errors=True)
    cluster.primary.start()
    cluster.primary.ensure_database(DATABASE, role=ROLE[0], password=ROLE[1])
    cluster.replica.start()
    try:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": cluster.primary.url(DATABASE, role=ROLE[0], password=ROLE[1]),
            "DATABASE_REPLICA_URLS": cluster.replica.url(DATABASE, role=ROLE[0], password=ROLE[1]),
        }
        migrated = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert migrated.returncode == 0, migrated.stderr
        cluster.replica.wait_caught_up()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def replica(
    replicated_postgres, django_db_setup, django_db_blocker, settings, monkeypatch
) -> Iterator[ReplicatedPostgres]:
    """DATABASES gains `replica1` as DATABASE_REPLICA_URLS makes it: the real replica, then the cluster's primary."""
    cluster = replicated_postgres
    if not cluster.replica.running():
        cluster.replica.start()
    if cluster.replica.replay_paused():
        cluster.replica.resume_replay()
    cluster.replica.wait_caught_up()
    primary = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE,
        "HOST": "127.0.0.1",
        "PORT": cluster.primary.port,
        "USER": ROLE[0],
        "PASSWORD": ROLE[1],
        "OPTIONS": {"connect_timeout": 3},
    }
    monkeypatch.setenv("DATABASE_REPLICA_URLS", cluster.replica.url(DATABASE, role=ROLE[0], password=ROLE[1]))
    config = relational_replicas(primary)[ALIAS]
    connections.settings[ALIAS] = connections.configure_settings({"default": primary, ALIAS: config})[ALIAS]
    settings.DATABASE_REPLICA_MAX_LAG = 1.0
    health._probes.clear()
    try:
        with django_db_blocker.unblock():
            yield cluster
    finally:
        connections[ALIAS].close()
        del connections.settings[ALIAS]
        if hasattr(connections._connections, ALIAS):
            delattr(connections._connections, ALIAS)
        health._probes.clear()


def on_primary(cluster: ReplicatedPostgres, statement: str, params: list[object] | None = None) -> None:
    """Run one statement on the cluster's primary, outside Django."""
    with psycopg.connect(cluster.primary.url(DATABASE), autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement, params)


def add_member(cluster: ReplicatedPostgres, username: str) -> None:
    """Insert a member row on the primary, as another web replica would."""
    on_primary(
        cluster,
        "INSERT INTO users_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
        "is_active, date_joined, display_name, bio) VALUES ('!', false, %s, '', '', %s, false, true, now(), '', '')",
        [username, f"{username}@replicas.test"],
    )


def seconds_until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> float:
    """Poll until the condition holds; return how long it took."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"{what} did not happen within {timeout} s"
        time.sleep(0.02)
    return time.monotonic() - started
