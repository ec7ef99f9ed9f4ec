"""The drills' own store servers: Redis, the document server and a PostgreSQL cluster, from the stores library.

Each listens on a free loopback port of its own and keeps its data under var/drills/, so that
stopping one for a fault drill never touches the shared stores that other runs use. A store is
stopped and started again on the same port and data; only the process it started is signalled.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from tools.drills.report import say
from tools.stores.document import DocumentServer, document_server
from tools.stores.postgres import PostgresCluster
from tools.stores.processes import HOST, ROOT, free_port
from tools.stores.redis import RedisServer

VAR = ROOT / "var" / "drills"


def fresh_directory(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


@dataclass
class DrillStores:
    """The three servers the drills own, started fresh (empty data) and stopped whatever happens."""

    redis: RedisServer
    mongo: DocumentServer
    postgres: PostgresCluster | None

    @classmethod
    def start(cls, *, postgres: bool) -> DrillStores:
        VAR.mkdir(parents=True, exist_ok=True)
        stores = cls(
            redis=RedisServer(VAR / "redis", free_port()),
            mongo=document_server(VAR / "mongodb", free_port()),
            postgres=PostgresCluster(VAR / "postgres", free_port()) if postgres else None,
        )
        stores.stop()  # what an interrupted earlier run left behind
        for store in stores.all():
            fresh_directory(store.directory)
        try:
            for store in stores.all():
                seconds = store.start()
                say(f"started the drills' own {store.name} on {HOST}:{store.port} ({seconds:.1f} s)")
        except BaseException:
            stores.stop()
            raise
        return stores

    def all(self) -> list[RedisServer | DocumentServer | PostgresCluster]:
        return [store for store in (self.redis, self.mongo, self.postgres) if store is not None]

    def stop(self) -> None:
        for store in self.all():
            try:
                store.stop()
            except Exception as error:  # noqa: BLE001 - stop the others anyway, and say so
                say(f"could not stop the drills' {store.name}: {error}")
