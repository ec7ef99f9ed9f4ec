"""What a drill tried and what held: its checks, figures, and the lines it prints."""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


def say(message: str) -> None:
    print(f"drills: {message}", file=sys.stderr, flush=True)


@dataclass
class Check:
    """One invariant: what must hold, whether it did, and the evidence either way."""

    invariant: str
    held: bool
    evidence: str = ""


@dataclass
class DrillResult:
    name: str
    tried: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return all(check.held for check in self.checks)

    def check(self, invariant: str, held: bool, evidence: str = "") -> bool:
        self.checks.append(Check(invariant, bool(held), evidence))
        return bool(held)

    def lines(self) -> list[str]:
        lines = [f"== drill {self.name}: {'HELD' if self.held else 'BROKE'}"]
        lines += [f"   tried: {line}" for line in self.tried]
        for name, value in self.figures.items():
            lines.append(f"   {name}: {format_figure(value)}")
        for check in self.checks:
            mark = "held " if check.held else "BROKE"
            lines.append(f"   [{mark}] {check.invariant}" + (f" — {check.evidence}" if check.evidence else ""))
        lines += [f"   finding: {finding}" for finding in self.findings]
        return lines


def format_figure(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, Counter | dict):
        return ", ".join(f"{key}: {format_figure(count)}" for key, count in value.items()) or "none"
    return str(value)


def status_counts(statuses: list[str]) -> dict[str, int]:
    """Count outcomes by status, the busiest first ("503": 12, "connection error": 1)."""
    return dict(Counter(statuses).most_common())


def write_results(results: list[DrillResult], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(result) | {"held": result.held} for result in results], indent=2, default=str))
