"""Memory figures read from /proc and from the kernel's accounting of finished children."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024


def status_field_kib(status_text: str, field: str) -> int:
    """Read one `Name:   123 kB` line of /proc/<pid>/status; return the kibibytes."""
    for line in status_text.splitlines():
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0])
    raise KeyError(field)


def resident_bytes(pid: int) -> int:
    """The process's resident set size now (VmRSS)."""
    return status_field_kib(Path(f"/proc/{pid}/status").read_text(), "VmRSS") * 1024


def child_pids(pid: int) -> list[int]:
    """The direct children of `pid` (gunicorn's workers, for its master)."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(n) for n in (task / "children").read_text().split()]
    return sorted(children)


def process_age_seconds(pid: int) -> float:
    """Seconds since `pid` started (field 22 of /proc/<pid>/stat, in clock ticks since boot)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()
    started_ticks = int(fields[19])
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return uptime - started_ticks / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class MeasuredRun:
    returncode: int
    seconds: float
    peak_rss: int  # bytes; the kernel's high-water mark of the process (ru_maxrss)


def run_measured(command: list[str], *, env: dict[str, str], cwd: Path, log: Path) -> MeasuredRun:
    """Run a command to completion with its output in `log`; return its exit status, time and peak RSS."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.kill()
            process.wait()
            raise
    process.returncode = os.waitstatus_to_exitcode(status)
    return MeasuredRun(process.returncode, time.perf_counter() - started, usage.ru_maxrss * 1024)
