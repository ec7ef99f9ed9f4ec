"""gunicorn with the production config (gunicorn.conf.py) on a loopback port, stopped whatever happens."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tools.bench.memory import child_pids

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def answers_healthz(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@dataclass(frozen=True)
class Server:
    pid: int
    port: int
    workers: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def worker_pids(self) -> list[int]:
        return child_pids(self.pid)

    def worker_restarts(self) -> int:
        """Workers recycled so far (gunicorn's max_requests), counted from its log."""
        return self.log.read_text(errors="replace").count("Autorestarting worker after current request")


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int, log: Path, extra_args: list[str], port: int | None = None
) -> Iterator[Server]:
    """Serve the app with gunicorn.conf.py on a free loopback port (or `port`, shared with --reuse-port); stop it on the way out."""
    port = port or free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    server_env = {**env, "GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_WORKERS": str(workers)}
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", *extra_args]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=server_env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        deadline = time.monotonic() + 60
        while not answers_healthz(port):
            if process.poll() is not None:
                raise SystemExit(f"bench: gunicorn exited ({process.returncode}); see {log}")
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: gunicorn did not answer /healthz within 60 s; see {log}")
            time.sleep(0.2)
        while len(child_pids(process.pid)) < workers and time.monotonic() < deadline:
            time.sleep(0.2)
        yield Server(pid=process.pid, port=port, workers=workers, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


SERVER_SIDE_BUSY_STATES = {"01", "03", "08"}  # ESTABLISHED, SYN_RECV, CLOSE_WAIT (/proc/net/tcp "st")


def open_connections(port: int, tables: tuple[str, ...] = ("/proc/net/tcp", "/proc/net/tcp6")) -> int:
    """Connections to `port` that the server has not finished with: accepted or queued, answered or not.

    A sync worker keeps serving a request whose client (wrk, at the end of its run) has gone: until
    this is zero, the next measurement would share the machine with the last one's backlog.
    """
    busy = 0
    for table in tables:
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] in SERVER_SIDE_BUSY_STATES:
                busy += 1
    return busy


def wait_until_idle(port: int, *, timeout: float = 180.0) -> float:
    """Wait until gunicorn has no connection left to serve; return the seconds waited."""
    started = time.monotonic()
    while open_connections(port) and time.monotonic() - started < timeout:
        time.sleep(0.1)
    return time.monotonic() - started
