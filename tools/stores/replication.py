"""Replicated stores on loopback: a PostgreSQL primary with a streaming replica, Redis with a replica and Sentinels.

Debian's own packages (postgresql-15, redis-server, redis-sentinel), nothing of ours in between:
the replica is a `pg_basebackup -R` of the primary that streams its WAL; Redis's replica follows
the master, and three Sentinels (quorum 2) promote it when the master stops answering.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis
from redis.sentinel import Sentinel

from tools.stores.postgres import BIN, PostgresCluster, ensure_installed
from tools.stores.processes import HOST, Daemon, apt_install, as_postgres, free_port, give_to_postgres, wait_until
from tools.stores.redis import RedisServer

# How fast the Sentinels act: a master silent for 1 s is down; a failover may take 5 s before another try.
SENTINEL_DOWN_AFTER_MS = 1000
SENTINEL_FAILOVER_TIMEOUT_MS = 5000
SENTINEL_QUORUM = 2


class PostgresReplica(PostgresCluster):
    """A hot standby made by `pg_basebackup -R` from `primary`, streaming its WAL; read-only queries only."""

    name = "PostgreSQL replica"

    def __init__(self, directory: Path, port: int, *, primary: PostgresCluster) -> None:
        super().__init__(directory, port, superuser=primary.superuser, settings=primary.settings)
        self.primary = primary

    def initialise(self) -> None:
        """Copy the running primary (its superuser's password too) and write the standby's settings (-R)."""
        ensure_installed()
        if self.directory.exists():
            shutil.rmtree(self.directory)
        self.directory.mkdir(parents=True)
        give_to_postgres(self.directory)
        password = self.directory / "superuser-password"
        password.write_text(self.primary.password)
        passfile = (self.directory / "pgpass").resolve()
        passfile.write_text(f"{HOST}:{self.primary.port}:*:{self.superuser}:{self.primary.password}\n")
        for path in (password, passfile):
            path.chmod(0o600)
            give_to_postgres(path)
        conninfo = f"host={HOST} port={self.primary.port} user={self.superuser} passfile={passfile}"
        as_postgres(
            [str(BIN / "pg_basebackup"), "-d", conninfo, "-D", str(self.data), "-R", "-X", "stream", "-c", "fast"]
        )

    def replay_paused(self) -> bool:
        return self._value("SELECT pg_is_wal_replay_paused()") is True

    def pause_replay(self) -> None:
        """Stop applying the primary's WAL (it is still received): the replica falls behind from now on."""
        self._value("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self._value("SELECT pg_wal_replay_resume()")

    def lag_seconds(self) -> float:
        """Seconds behind the primary: 0 when everything received is replayed, else since the last replayed commit."""
        return float(
            self._value(
                "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
            )
        )

    def wait_caught_up(self, timeout: float = 30.0) -> float:
        """Wait until the replica has replayed all the primary has written so far; return the seconds waited."""
        with psycopg.connect(self.primary.url(), autocommit=True, connect_timeout=5) as connection:
            target = connection.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        return wait_until(
            lambda: self._value("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]) is True,
            f"the replica on port {self.port} to catch up",
            timeout,
        )

    def _value(self, statement: str, params: list[object] | None = None) -> object:
        with psycopg.connect(self.url(), autocommit=True, connect_timeout=5) as connection:
            return connection.execute(statement, params).fetchone()[0]


@dataclass
class ReplicatedPostgres:
    """A primary and one streaming replica, each on a free loopback port, under `directory`."""

    primary: PostgresCluster
    replica: PostgresReplica

    @classmethod
    def in_directory(cls, directory: Path) -> ReplicatedPostgres:
        primary = PostgresCluster(directory / "primary", free_port())
        return cls(primary, PostgresReplica(directory / "replica", free_port(), primary=primary))

    @property
    def directory(self) -> Path:
        return self.primary.directory.parent

    def start(self) -> float:
        """Start the primary, make the replica from it if there is none, start it; return the seconds taken."""
        started = time.monotonic()
        self.primary.start()
        self.replica.start()
        return time.monotonic() - started

    def stop(self) -> None:
        self.replica.stop()
        self.primary.stop()


class SentinelServer:
    """One redis-sentinel watching the master called `master_name`; it rewrites its own config file as it learns."""

    name = "Redis Sentinel"

    def __init__(self, directory: Path, port: int, *, master_name: str, master_port: int) -> None:
        self.directory, self.port = directory, port
        self.master_name, self.master_port = master_name, master_port
        self.daemon = Daemon(directory / "sentinel.pid")

    def start(self) -> float:
        started = time.monotonic()
        if not shutil.which("redis-sentinel"):
            apt_install("redis-sentinel")
        self.directory.mkdir(parents=True, exist_ok=True)
        conf = self.directory / "sentinel.conf"
        if not conf.exists():
            conf.write_text(
                f"bind {HOST}\nport {self.port}\ndir {self.directory}\n"
                f"sentinel monitor {self.master_name} {HOST} {self.master_port} {SENTINEL_QUORUM}\n"
                f"sentinel down-after-milliseconds {self.master_name} {SENTINEL_DOWN_AFTER_MS}\n"
                f"sentinel failover-timeout {self.master_name} {SENTINEL_FAILOVER_TIMEOUT_MS}\n"
                f"sentinel parallel-syncs {self.master_name} 1\n"
            )
        log = self.directory / "sentinel.log"
        self.daemon.spawn([shutil.which("redis-sentinel") or "redis-sentinel", str(conf)], log=log)
        self.daemon.wait_for(self.answers, f"redis-sentinel on port {self.port}", log=log)
        return time.monotonic() - started

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(host=HOST, port=self.port, socket_connect_timeout=0.2, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        self.daemon.stop()


@dataclass
class SentinelRedis:
    """A Redis master, its replica, and three Sentinels that fail over between them, all on loopback."""

    master: RedisServer
    replica: RedisServer
    sentinels: list[SentinelServer]
    master_name: str = "polystore"

    @classmethod
    def in_directory(cls, directory: Path, *, master_name: str = "polystore") -> SentinelRedis:
        master_port = free_port()
        return cls(
            master=RedisServer(directory / "redis-a", master_port),
            replica=RedisServer(directory / "redis-b", free_port(), replica_of=master_port),
            sentinels=[
                SentinelServer(
                    directory / f"sentinel-{n}", free_port(), master_name=master_name, master_port=master_port
                )
                for n in range(1, 4)
            ],
            master_name=master_name,
        )

    @property
    def name(self) -> str:
        return "Redis with Sentinels"

    @property
    def sentinel_hosts(self) -> str:
        """The Sentinels as REDIS_SENTINELS lists them: host:port,host:port,..."""
        return ",".join(f"{HOST}:{sentinel.port}" for sentinel in self.sentinels)

    def start(self) -> float:
        started = time.monotonic()
        self.master.start()
        self.replica.start()
        wait_until(self.replica_in_sync, "the Redis replica to sync")
        for sentinel in self.sentinels:
            sentinel.start()
        wait_until(lambda: self.sentinels_agree(2), "the Sentinels to find the replica and each other")
        return time.monotonic() - started

    def replica_in_sync(self) -> bool:
        try:
            info = redis.Redis(host=HOST, port=self.replica.port, socket_timeout=0.5).info("replication")
        except redis.RedisError:
            return False
        return info.get("master_link_status") == "up"

    def sentinels_agree(self, servers: int) -> bool:
        """Whether every Sentinel knows the master, `servers - 1` replicas and the other Sentinels."""
        try:
            for sentinel in self.sentinels:
                client = redis.Redis(host=HOST, port=sentinel.port, socket_timeout=0.5, decode_responses=True)
                state = client.sentinel_master(self.master_name)
                if (
                    int(state["num-slaves"]) < servers - 1
                    or int(state["num-other-sentinels"]) < len(self.sentinels) - 1
                ):
                    return False
        except (redis.RedisError, KeyError):
            return False
        return True

    def sentinel(self) -> Sentinel:
        return Sentinel([(HOST, s.port) for s in self.sentinels], socket_timeout=0.5, socket_connect_timeout=0.5)

    def master_port(self) -> int | None:
        """The port of the master the Sentinels name now (None when none of them answers)."""
        try:
            return self.sentinel().discover_master(self.master_name)[1]
        except redis.RedisError:
            return None

    def server_on(self, port: int) -> RedisServer:
        return self.master if self.master.port == port else self.replica

    def stop(self) -> None:
        for server in [*self.sentinels, self.replica, self.master]:
            server.stop()
