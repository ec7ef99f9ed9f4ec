"""The machine and software the figures were measured on."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path


@dataclass(frozen=True)
class Facts:
    cpus: int
    cpu_model: str
    memory_gib: float
    kernel: str
    versions: dict[str, str]


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def _command_version(*command: str) -> str:
    try:
        result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def facts(*, server_versions: dict[str, str], wrk: str) -> Facts:
    """Gather the machine's facts; `server_versions` are what the stores report (health.probes)."""
    versions = {"Python": platform.python_version()}
    for package in ("Django", "django-mongodb-backend", "pymongo", "django-redis", "redis", "gunicorn", "psycopg"):
        versions[package] = version(package)
    versions |= server_versions
    versions["wrk"] = wrk
    versions["Java (runs mongo-java-server)"] = _command_version("java", "-version")
    return Facts(
        cpus=os.cpu_count() or 0,
        cpu_model=cpu_model(),
        memory_gib=memory_gib(),
        kernel=platform.release(),
        versions=versions,
    )


def cpu_busy_share(seconds: float = 2.0) -> float:
    """The share of all CPUs busy over the next `seconds` (from /proc/stat): other work on a shared machine."""

    def sample() -> tuple[int, int]:
        fields = [int(n) for n in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields) - idle, sum(fields)

    busy_before, total_before = sample()
    time.sleep(seconds)
    busy_after, total_after = sample()
    return (busy_after - busy_before) / max(1, total_after - total_before)


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])
