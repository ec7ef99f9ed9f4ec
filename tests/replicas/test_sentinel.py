"""Both cache aliases through Redis Sentinel (django-redis's SentinelClient): a failover needs no restart and loses no session."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django_redis import get_redis_connection

from config import scale_out as environment
from tests.conftest import ROOT
from tools.stores.replication import SentinelRedis


@pytest.fixture(scope="module")
def sentinel_redis() -> Iterator[SentinelRedis]:
    """A master, its replica and three Sentinels on free loopback ports under var/."""
    group = SentinelRedis.in_directory(ROOT / "var" / "test-sentinel")
    group.stop()  # what an interrupted run left running
    shutil.rmtree(group.master.directory.parent, ignore_errors=True)
    group.start()
    try:
        yield group
    finally:
        group.stop()


@pytest.fixture
def through_sentinel(sentinel_redis, settings, monkeypatch) -> SentinelRedis:
    """Point both cache aliases at the Sentinels, as REDIS_SENTINELS and REDIS_SENTINEL_MASTER do."""
    monkeypatch.setenv("REDIS_SENTINELS", sentinel_redis.sentinel_hosts)
    locations = environment.sentinel_cache_locations("redis://x:6379/8", "redis://x:6379/9", sentinel_redis.master_name)
    options = environment.sentinel_options(environment.redis_sentinels())
    settings.CACHES = {
        alias: {**config, "LOCATION": [location], "OPTIONS": {**config["OPTIONS"], **options}}
        for (alias, config), location in zip(settings.CACHES.items(), locations, strict=True)
    }
    return sentinel_redis


def test_the_caches_write_to_the_master_the_sentinels_name(through_sentinel):
    caches["default"].set("sentinel:probe", 1)

    connection = get_redis_connection("default")
    assert connection.connection_pool.connection_kwargs.get("db") == 8
    assert through_sentinel.master_port() == through_sentinel.master.port
    assert caches["default"].get("sentinel:probe") == 1


def test_after_the_master_is_killed_writes_resume_on_the_promoted_replica_without_a_restart(through_sentinel):
    sessions = caches["sessions"]
    sessions.set("session:before", "kept", timeout=300)
    old_master, new_master = through_sentinel.master, through_sentinel.replica
    time.sleep(0.2)  # let the replica receive it

    killed = time.monotonic()
    old_master.kill()
    while True:  # the app keeps writing as requests would, errors ignored (IGNORE_EXCEPTIONS)
        caches["default"].set("sentinel:after", "written", timeout=300)
        if caches["default"].get("sentinel:after") == "written":
            break
        assert time.monotonic() - killed < 10, "cache writes did not resume within 10 s"
        time.sleep(0.1)

    assert time.monotonic() - killed <= 10
    assert through_sentinel.master_port() == new_master.port
    assert sessions.get("session:before") == "kept"  # replicated before the kill
    old_master.start()  # back as a replica of the new master, as the Sentinels tell it
