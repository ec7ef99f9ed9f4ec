"""Memory figures read from /proc and from the kernel's accounting of finished children."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
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


# Linux starts a child's ru_maxrss from its parent's high-water mark (exec saves the old address
# space's peak, and a forked or vforked child's old address space is the parent's), so a command
# started by the benchmark process itself reports the benchmark's peak whenever that is higher
# (export_notes of 500 notes "peaked" at 102 MiB, the notes the benchmark held, and 5,000 at 90).
# A small Python process in between starts the command and writes its figures, measured from
# there, to a file.
PEAK_REPORTER = """\
import os, subprocess, sys, time
report, command = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
process = subprocess.Popen(command)
_, status, usage = os.wait4(process.pid, 0)
seconds = time.perf_counter() - started
with open(report, "w") as output:
    output.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss} {seconds!r}\\n")
"""


def parse_peak_report(text: str) -> MeasuredRun:
    """Read PEAK_REPORTER's line: exit status, ru_maxrss in KiB, seconds."""
    returncode, peak_kib, seconds = text.split()
    return MeasuredRun(int(returncode), float(seconds), int(peak_kib) * 1024)


def run_measured(command: list[str], *, env: dict[str, str], cwd: Path, log: Path) -> MeasuredRun:
    """Run a command to completion with its output in `log`; return its exit status, time and peak RSS."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-peak-") as scratch, log.open("ab") as output:
        report = Path(scratch) / "report"
        process = subprocess.Popen(
            [sys.executable, "-c", PEAK_REPORTER, str(report), *command],
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: interrupted, the command goes with it
        )
        try:
            process.wait()
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        if process.returncode != 0 or not report.exists():
            raise RuntimeError(f"the peak-RSS reporter for {command[:3]} exited {process.returncode}; see {log}")
        return parse_peak_report(report.read_text())
