"""Start, find and stop the store servers' processes: pid files, waiting, installing what is missing."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HOST = "127.0.0.1"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
ROOT = Path(__file__).resolve().parents[2]


def say(message: str) -> None:
    print(f"stores: {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    """Return a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def port_taken(port: int) -> bool:
    """Whether something accepts connections on the loopback port."""
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) == 0


def wait_until(answers: Callable[[], bool], what: str, timeout: float = 60.0) -> float:
    """Poll `answers()` until it is true; return the seconds waited."""
    started = time.monotonic()
    while not answers():
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"{what} did not answer within {timeout:.0f} s")
        time.sleep(0.05)
    return time.monotonic() - started


def apt_install(*packages: str) -> None:
    """Install Debian packages that are missing."""
    missing = [
        package
        for package in packages
        if "ok installed"
        not in subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
        ).stdout
    ]
    if not missing:
        return
    say(f"installing {' '.join(missing)} (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, stdout=subprocess.DEVNULL, check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], env=env, stdout=subprocess.DEVNULL, check=True)


def as_postgres(command: Sequence[str], *, check: bool = True) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the postgres user (the server refuses root), or as ourselves when not root."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    result = subprocess.run(list(command), capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {result.stdout}{result.stderr}")
    return result


def give_to_postgres(path: Path) -> None:
    """Let the postgres user own a directory or file we made as root."""
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


class Daemon:
    """A server process recorded in a pid file, so that any later process can find and stop it.

    The pid file also holds a string of the server's command line: a stop signals the pid only
    while it still runs that command, never a process that reused the number.
    """

    def __init__(self, pidfile: Path) -> None:
        self.pidfile = pidfile
        self.process: subprocess.Popen | None = None

    def spawn(self, command: Sequence[str], *, log: Path, env: dict[str, str] | None = None) -> None:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                list(command),
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env=env,
            )
        self.pidfile.write_text(f"{self.process.pid}\n{command[0]}\n")

    def wait_for(self, answers: Callable[[], bool], what: str, *, log: Path, timeout: float = 60.0) -> None:
        """Wait until the server answers; fail at once, with its log's end, if it exits instead."""

        def ready() -> bool:
            if answers():
                return True
            if not self.running():
                lines = log.read_text(errors="replace").splitlines()[-15:] if log.exists() else []
                raise RuntimeError("\n".join([f"{what} exited while starting; the end of {log}:", *lines]))
            return False

        wait_until(ready, what, timeout)

    def pid(self) -> int | None:
        """The recorded pid while that process still runs the recorded command."""
        if self.process is not None:
            return self.process.pid if self.process.poll() is None else None
        try:
            pid_text, program = self.pidfile.read_text().split("\n")[:2]
            command_line = Path(f"/proc/{int(pid_text)}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (FileNotFoundError, ValueError):
            return None
        return int(pid_text) if Path(program).name in command_line else None

    def running(self) -> bool:
        return self.pid() is not None

    def stop(self, timeout: float = 30.0) -> None:
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            if self.process is not None:
                try:
                    self.process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            else:
                wait_until(lambda: self.pid() is None, f"pid {pid} to stop", timeout=timeout)
        self.process = None
        self.pidfile.unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL the server, as a crash would: no shutdown, no goodbye to its clients."""
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            if self.process is not None:
                self.process.wait()
            else:
                wait_until(lambda: self.pid() is None, f"pid {pid} to die")
        self.process = None
        self.pidfile.unlink(missing_ok=True)
