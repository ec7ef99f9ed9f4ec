"""The figures of /work/shared/TARGETS.md, checked against what a run measured."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tools.bench.profiles import ProfileSummary

Direction = Literal["at least", "at most"]


@dataclass(frozen=True)
class Check:
    figure: str
    target: str  # as TARGETS.md words it
    direction: Direction
    limit: float
    measured: float | None  # None: not measured (the reason says why)
    shown: str  # the measured value as the report prints it
    reason: str = ""
    why: str = ""  # what the figure is made of (queries, start-up, …), for the report's closing section
    profile: ProfileSummary | None = None  # where its time goes, when it was profiled
    ceiling: float | None = None  # the most this server allows the figure, when a ceiling was measured

    @property
    def above_ceiling(self) -> bool:
        """Whether the target asks for more than this server's ceiling allows (an "at least" figure)."""
        return self.ceiling is not None and self.direction == "at least" and self.ceiling < self.limit

    @property
    def met(self) -> bool | None:
        if self.measured is None:
            return None
        return self.measured >= self.limit if self.direction == "at least" else self.measured <= self.limit

    @property
    def gap(self) -> float:
        """How many times too far the figure is from its target: 1.0 or less when met."""
        if self.measured is None:
            return 0.0
        if self.direction == "at least":
            return float("inf") if self.measured <= 0 else self.limit / self.measured
        return self.measured / self.limit


def furthest(checks: list[Check]) -> Check | None:
    """The missed target with the largest gap, or None when every measured target is met."""
    missed = [check for check in checks if check.met is False]
    return max(missed, key=lambda check: check.gap) if missed else None
