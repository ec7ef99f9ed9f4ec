"""Whether each relational replica may serve reads: it answers, and is at most DATABASE_REPLICA_MAX_LAG seconds behind.

Each process asks every replica at most once per CHECK_SECONDS, on a connection of its own (not
Django's, which may have fallen back to the primary), so a replica that stops or falls behind is
skipped within a second and one that comes back is used again as soon.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connections

if TYPE_CHECKING:
    import psycopg

logger = logging.getLogger(__name__)

CHECK_SECONDS = 0.5
CONNECT_TIMEOUT_SECONDS = 2  # libpq's least; a refused connection on the same network fails at once
# Behind by how long: 0 when the replica has replayed all the primary had written when asked just before
# (%s, or its own received WAL when the primary does not answer), else the age of the last commit it replayed.
LAG_QUERY = (
    "SELECT pg_is_in_recovery(), "
    "CASE WHEN pg_last_wal_replay_lsn() >= COALESCE(%s::pg_lsn, pg_last_wal_receive_lsn()) THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8, "
    "current_setting('server_version')"
)


@dataclass(frozen=True)
class ReplicaStatus:
    alias: str
    ok: bool  # may serve reads
    answers: bool
    lag_seconds: float | None = None
    version: str = ""
    latency_ms: float | None = None
    error: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class ReplicaProbe:
    """One replica's last known status, asked again once it is CHECK_SECONDS old."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self._lock = threading.Lock()
        self._connection: psycopg.Connection | None = None
        self._primary: psycopg.Connection | None = None
        self._status: ReplicaStatus | None = None
        self._checked_at = float("-inf")

    def status(self, *, fresh: bool = False) -> ReplicaStatus:
        with self._lock:
            if self._status is None or fresh or time.monotonic() - self._checked_at >= CHECK_SECONDS:
                self._status = self._ask()
                self._checked_at = time.monotonic()
            return self._status

    def _connect(self, server: int) -> psycopg.Connection:
        """Connect to the replica (0) or the primary (1) behind the alias."""
        # psycopg is imported where a replica is asked: replicas need a PostgreSQL primary (which
        # loads it anyway), and a worker on SQLite then never maps it and its libraries (~10 MiB RSS, #18).
        import psycopg  # noqa: PLC0415

        config = connections.settings[self.alias]
        return psycopg.connect(
            host=config["HOST"].split(",")[server],
            port=str(config["PORT"]).split(",")[server],
            dbname=config["NAME"],
            user=config["USER"],
            password=config["PASSWORD"],
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            autocommit=True,
        )

    def _primary_position(self) -> str | None:
        """The primary's current WAL position, or None when it does not answer."""
        import psycopg  # noqa: PLC0415  # see _connect()

        try:
            if self._primary is None or self._primary.closed:
                self._primary = self._connect(1)
            row = self._primary.execute("SELECT pg_current_wal_lsn()").fetchone()
            return str(row[0]) if row else None
        except psycopg.Error:
            if self._primary is not None:
                self._primary.close()
                self._primary = None
            return None

    def _ask(self) -> ReplicaStatus:
        import psycopg  # noqa: PLC0415  # see _connect()

        started = time.perf_counter()
        position = self._primary_position()
        try:
            if self._connection is None or self._connection.closed:
                self._connection = self._connect(0)
            row = self._connection.execute(LAG_QUERY, [position]).fetchone()
            if row is None:
                raise psycopg.DataError("the lag query answered no row")
            in_recovery, lag, version = row
        except psycopg.Error as error:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            if self._status is None or self._status.answers:
                logger.warning("replica %s does not answer; reads go to the primary: %s", self.alias, error)
            message = f"{type(error).__name__}: {error}".splitlines()[0]
            return ReplicaStatus(self.alias, ok=False, answers=False, error=message)
        latency = round((time.perf_counter() - started) * 1000, 2)
        lag = round(float(lag), 3)
        max_lag = settings.DATABASE_REPLICA_MAX_LAG
        problem = ""
        if not in_recovery:
            problem = "not a standby (promoted?): it takes no reads meant for replicas"
        elif lag > max_lag:
            problem = f"{lag:.1f} s behind (more than DATABASE_REPLICA_MAX_LAG, {max_lag:g} s)"
        if problem and (self._status is None or self._status.ok):
            logger.warning("replica %s skipped: %s", self.alias, problem)
        return ReplicaStatus(
            self.alias,
            ok=not problem,
            answers=True,
            lag_seconds=lag,
            version=str(version).split()[0],
            latency_ms=latency,
            error=problem,
        )


_probes: dict[str, ReplicaProbe] = {}
_probes_lock = threading.Lock()


def probe(alias: str) -> ReplicaProbe:
    with _probes_lock:
        if alias not in _probes:
            _probes[alias] = ReplicaProbe(alias)
        return _probes[alias]


def replica_aliases() -> list[str]:
    """The DATABASES aliases that are replicas of the primary."""
    return [alias for alias, config in connections.settings.items() if config["ENGINE"] == "replicas.backend"]


def replica_statuses(*, fresh: bool = False) -> list[ReplicaStatus]:
    """Every replica's status (asked afresh with `fresh`, as /readyz and check_backends do)."""
    return [probe(alias).status(fresh=fresh) for alias in replica_aliases()]


def healthy_replicas() -> list[str]:
    return [status.alias for status in replica_statuses() if status.ok]
