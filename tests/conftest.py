"""Shared fixtures: personas, raw clients for each store, and fast test-only settings."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test import Client
from pymongo import MongoClient

from tests import production
from tests.factories import UserFactory, logged_in
from tools.stores.processes import free_port
from tools.stores.redis import RedisServer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start each test with an empty `default` cache: no page, name or counter left by an earlier test."""
    cache.clear()


@pytest.fixture
def alice(db):
    """A member who owns notes."""
    return UserFactory(username="alice")


@pytest.fixture
def bob(db):
    """Another member."""
    return UserFactory(username="bob")


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def alice_client(alice) -> Client:
    """Alice, logged in: the owner of what is under test."""
    return logged_in(alice)


@pytest.fixture
def bob_client(bob) -> Client:
    """Bob, logged in: another member."""
    return logged_in(bob)


@pytest.fixture
def staff_client(staff) -> Client:
    """A staff superuser, logged in."""
    return logged_in(staff)


@pytest.fixture
def mongo_db():
    """The raw pymongo Database behind the `mongodb` alias (the test database)."""
    return connections["mongodb"].database


@pytest.fixture
def cache_redis():
    """A raw redis-py client on the cache's logical database."""
    return redis.Redis.from_url(settings.CACHE_URL)


@pytest.fixture
def sessions_redis():
    """A raw redis-py client on the sessions' logical database."""
    return redis.Redis.from_url(settings.SESSION_CACHE_URL)


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    return free_port()


@pytest.fixture
def manage():
    """Run manage.py in a fresh process with extra environment; return the CompletedProcess."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            check=False,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


@pytest.fixture
def own_redis(tmp_path, settings) -> Iterator[RedisServer]:
    """Point both cache aliases (and so sessions) at a redis-server this test owns (no persistence)."""
    server = RedisServer(tmp_path, free_port(), durable=False)
    server.start()
    settings.CACHES = {
        alias: {**config, "LOCATION": server.url(index)}
        for index, (alias, config) in enumerate(settings.CACHES.items())
    }
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def production_static(tmp_path_factory) -> None:
    """Collect the static files once as production does: pages rendered with production settings need their manifest."""
    result = production.manage(
        production.production_env(tmp_path_factory.mktemp("static")), "collectstatic", "--noinput"
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[int]:
    """gunicorn with gunicorn.conf.py on a loopback port, like the Dockerfile's CMD."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = production.production_env(tmp_path)
    for args in (
        ["collectstatic", "--noinput"],
        ["migrate", "--noinput"],
        ["migrate", "--database", "mongodb", "--noinput"],
    ):
        result = production.manage(env, *args)
        assert result.returncode == 0, result.stderr
    port = free_port()
    env |= {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if production.fetch(port, "/healthz", https=False, host="127.0.0.1").status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer /healthz within 30 s")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        MongoClient(env["MONGODB_URI"]).drop_database(production.MONGODB_DATABASE)
