"""The peer row: the same ORM read through djongo, the first connector considered (DESIGN.md).

djongo 1.3.7 pins django<=3.1.12 and pymongo<=3.11.4, so it gets a virtualenv of its own under
var/bench/, made once and reused. Whatever stops it is recorded as it happened.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from dataclasses import dataclass, field
from pathlib import Path

from tools.bench.environment import VAR, say

PROBE = Path(__file__).with_name("djongo_probe.py")
VENV = VAR / "djongo-venv"
REQUIREMENT = "djongo==1.3.7"


@dataclass
class PeerResult:
    status: str  # "measured", "failed"
    step: str  # where it stopped: install, import, configure, read, done
    detail: str = ""
    installed: dict[str, str] = field(default_factory=dict)
    orm: float | None = None
    raw: float | None = None
    traceback: list[str] = field(default_factory=list)

    @property
    def factor(self) -> float | None:
        return self.orm / self.raw if self.orm and self.raw else None


def _installed(python: Path) -> dict[str, str]:
    listing = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"], check=False, capture_output=True, text=True
    )
    if listing.returncode != 0:
        return {}
    wanted = {"djongo", "django", "pymongo", "sqlparse"}
    return {p["name"]: p["version"] for p in json.loads(listing.stdout) if p["name"].lower() in wanted}


def djongo_peer(*, mongodb_uri: str, database: str, count: int, repeats: int) -> PeerResult:
    python = VENV / "bin" / "python"
    if not python.exists():
        say(f"creating the djongo virtualenv under {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    installed = _installed(python)
    if "djongo" not in installed:
        say(f"pip install {REQUIREMENT} (its own virtualenv)")
        pip = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", REQUIREMENT],
            check=False,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if pip.returncode != 0:
            lines = (pip.stderr or pip.stdout).strip().splitlines()
            return PeerResult("failed", "install", detail=" ".join(lines[-3:]), traceback=lines[-12:])
        installed = _installed(python)
    probe = subprocess.run(
        [str(python), str(PROBE)],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        env={
            "PEER_MONGODB_URI": mongodb_uri,
            "PEER_MONGODB_NAME": database,
            "PEER_READ_COUNT": str(count),
            "PEER_REPEATS": str(repeats),
            "PATH": "/usr/bin:/bin",
        },
    )
    try:
        report = json.loads(probe.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        lines = (probe.stderr or probe.stdout).strip().splitlines()
        return PeerResult(
            "failed",
            "start",
            detail=lines[-1] if lines else f"exit {probe.returncode}",
            installed=installed,
            traceback=lines[-12:],
        )
    if "error" in report:
        return PeerResult(
            "failed", report["step"], detail=report["error"], installed=installed, traceback=report.get("traceback", [])
        )
    return PeerResult(
        "measured",
        "done",
        installed=installed,
        orm=report["orm"],
        raw=report["raw"],
        detail=f"first note: {report['sample']['title']!r}",
    )


if __name__ == "__main__":  # a manual check: python -m tools.bench.djongo_peer URI DATABASE
    print(djongo_peer(mongodb_uri=sys.argv[1], database=sys.argv[2], count=1000, repeats=3))
