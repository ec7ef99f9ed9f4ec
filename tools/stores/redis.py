"""redis-server on a loopback port, with its data in a directory of its own."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import redis

from tools.stores.processes import HOST, Daemon, apt_install


class RedisServer:
    """redis-server with the append-only file on (as in production) unless `durable` is off; a replica of a port if asked."""

    name = "Redis"

    def __init__(self, directory: Path, port: int, *, durable: bool = True, replica_of: int | None = None) -> None:
        self.directory, self.port, self.durable, self.replica_of = directory, port, durable, replica_of
        self.daemon = Daemon(directory / "redis.pid")

    def url(self, database: int = 0) -> str:
        return f"redis://{HOST}:{self.port}/{database}"

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(host=HOST, port=self.port, socket_connect_timeout=0.2, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def start(self) -> float:
        """Start the server (installing it if missing); return the seconds it took to answer."""
        started = time.monotonic()
        if not shutil.which("redis-server"):
            apt_install("redis-server")
        self.directory.mkdir(parents=True, exist_ok=True)
        persistence = ["--appendonly", "yes", "--save", ""] if self.durable else ["--appendonly", "no", "--save", ""]
        command = [
            shutil.which("redis-server") or "redis-server",
            "--bind",
            HOST,
            "--port",
            str(self.port),
            "--dir",
            str(self.directory),
            *persistence,
            *(["--replicaof", HOST, str(self.replica_of)] if self.replica_of else []),
            "--daemonize",
            "no",
        ]
        log = self.directory / "redis.log"
        self.daemon.spawn(command, log=log)
        self.daemon.wait_for(self.answers, f"redis-server on port {self.port}", log=log)
        return time.monotonic() - started

    def stop(self) -> None:
        self.daemon.stop()

    def kill(self) -> None:
        self.daemon.kill()
