"""wrk, the load generator: install it when missing, run it, and read its report."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TIME_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_TIME = r"([\d.]+)(us|ms|s|m|h)"


class WrkOutputError(ValueError):
    """wrk's report lacks a figure the benchmark needs."""


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50: float  # seconds
    p99: float  # seconds
    requests: int
    duration: float  # seconds
    non_2xx_3xx: int = 0
    socket_errors: int = 0

    @property
    def failures(self) -> int:
        """Responses that were not 2xx/3xx, and requests lost to socket errors or timeouts."""
        return self.non_2xx_3xx + self.socket_errors


def seconds(amount: str, unit: str) -> float:
    return float(amount) * TIME_UNITS[unit]


def parse_wrk_output(text: str) -> WrkResult:
    """Read requests/s, the 50th and 99th latency percentiles and the error counts from `wrk --latency`."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.MULTILINE)
    p50 = re.search(rf"^\s*50(?:\.0+)?%\s+{_TIME}", text, re.MULTILINE)
    p99 = re.search(rf"^\s*99(?:\.0+)?%\s+{_TIME}", text, re.MULTILINE)
    total = re.search(rf"^\s*(\d+) requests in {_TIME}", text, re.MULTILINE)
    missing = [
        name
        for name, match in (("Requests/sec", rate), ("50%", p50), ("99%", p99), ("requests in", total))
        if not match
    ]
    if missing:
        raise WrkOutputError(f"wrk output has no {', '.join(missing)} line (was --latency given?):\n{text}")
    non_2xx = re.search(r"^\s*Non-2xx or 3xx responses:\s+(\d+)", text, re.MULTILINE)
    sockets = re.search(r"^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text, re.MULTILINE)
    return WrkResult(
        requests_per_second=float(rate.group(1)),
        p50=seconds(*p50.groups()),
        p99=seconds(*p99.groups()),
        requests=int(total.group(1)),
        duration=seconds(total.group(2), total.group(3)),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def lua_string(text: str) -> str:
    """Quote `text` as a Lua string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def post_script(body: str, content_type: str = "application/x-www-form-urlencoded") -> str:
    """A wrk Lua script that sends every request as a POST of `body`."""
    return (
        'wrk.method = "POST"\n'
        f"wrk.body = {lua_string(body)}\n"
        f'wrk.headers["Content-Type"] = {lua_string(content_type)}\n'
    )


def ensure_wrk() -> str:
    """Return wrk's path, installing Debian's package first when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("bench: installing wrk (apt-get)", file=sys.stderr, flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("bench: apt-get installed wrk but it is not on PATH")
    return found


def wrk_version(wrk: str) -> str:
    """wrk prints its version in the usage text, on stderr with exit status 1."""
    result = subprocess.run([wrk, "--version"], check=False, capture_output=True, text=True)
    first = (result.stdout or result.stderr).strip().splitlines()
    return first[0] if first else "wrk (version unknown)"


def whole_seconds(seconds: float) -> int:
    """wrk takes whole seconds only ("-d0.5s" is a usage error)."""
    return max(1, round(seconds))


def run_wrk(
    wrk: str,
    url: str,
    *,
    threads: int,
    connections: int,
    duration: float,
    headers: dict[str, str],
    script: Path | None = None,
    timeout: float = 10.0,
) -> WrkResult:
    """Load `url` for `duration` seconds and return the parsed report."""
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{whole_seconds(duration)}s",
        f"--timeout={whole_seconds(timeout)}s",
        "--latency",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    command.append(url)
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=duration + timeout + 30)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
    return parse_wrk_output(result.stdout)
