"""Ask each store whether it answers: its kind, server version and round-trip latency."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connections
from django_redis import get_redis_connection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoreStatus:
    store: str
    kind: str
    ok: bool
    version: str = ""
    latency_ms: float | None = None
    error: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _timed(store: str, kind: str, ask: Callable[[], str]) -> StoreStatus:
    started = time.perf_counter()
    try:
        version = ask()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"; it is logged and reported
        logger.warning("store %s (%s) did not answer: %s", store, kind, error)
        return StoreStatus(store, kind, ok=False, error=f"{type(error).__name__}: {error}".splitlines()[0])
    latency = round((time.perf_counter() - started) * 1000, 2)
    return StoreStatus(store, kind, ok=True, version=version, latency_ms=latency)


def relational_status() -> StoreStatus:
    connection = connections["default"]

    def ask() -> str:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
            else:
                cursor.execute("SELECT sqlite_version()")
            return cursor.fetchone()[0].split()[0]

    return _timed("relational", connection.vendor, ask)


def document_status() -> StoreStatus:
    connection = connections["mongodb"]

    def ask() -> str:
        connection.ensure_connection()
        return connection.connection.admin.command("buildinfo")["version"]

    return _timed("mongodb", "mongodb", ask)


def cache_status() -> StoreStatus:
    def ask() -> str:
        return get_redis_connection("default").info("server")["redis_version"]

    return _timed("redis", "redis", ask)


def all_statuses() -> list[StoreStatus]:
    """Probe every store, one after another, each bounded by its client's short timeouts."""
    return [relational_status(), document_status(), cache_status()]
