"""The arithmetic every figure goes through: medians, ratios, timed repeats and their formatting."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def median(values: Sequence[float]) -> float:
    """Return the median; a figure with no measurement is an error, never zero."""
    if not values:
        raise ValueError("median of no values")
    return float(statistics.median(values))


def ratio(measured: float, reference: float) -> float:
    """Return measured / reference (a share of the floor, or an overhead factor)."""
    if reference <= 0:
        raise ValueError(f"reference must be positive, got {reference}")
    return measured / reference


def median_ratio(measured: Sequence[float], reference: Sequence[float]) -> float:
    """Return the median of the per-round ratios: each round's figure over the same round's reference.

    Pairing rounds keeps a slow moment of the machine out of the ratio: it slows both sides.
    """
    if len(measured) != len(reference):
        raise ValueError(f"{len(measured)} measurements but {len(reference)} references")
    return median([ratio(m, r) for m, r in zip(measured, reference, strict=True)])


def timed_repeats(action: Callable[[], object], *, repeats: int, warmup: int = 1) -> list[float]:
    """Run `action` warmup + repeats times; return the wall-clock seconds of the timed repeats."""
    for _ in range(warmup):
        action()
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return seconds


def time_once(action: Callable[[], T]) -> tuple[float, T]:
    """Run `action` once; return its wall-clock seconds and its result."""
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def format_rate(per_second: float) -> str:
    return f"{per_second:,.0f}"


def format_ms(seconds: float) -> str:
    """Milliseconds with the precision a reader can use: 0.412 ms, 12.3 ms, 1,234 ms."""
    ms = seconds * 1000
    if ms < 10:
        return f"{ms:.3f} ms"
    if ms < 100:
        return f"{ms:.1f} ms"
    return f"{ms:,.0f} ms"


def format_percent(share: float) -> str:
    """A share in whole percents, or to two decimals under 1 %, where whole percents would read 0."""
    return f"{share * 100:.0f} %" if share >= 0.01 or share == 0 else f"{share * 100:.2f} %"


def format_factor(factor: float) -> str:
    return f"{factor:.2f}×"


def format_change(ratio: float) -> str:
    """A ratio as a signed change: 1.03 → "+3 %", 0.95 → "−5 %", 1.0 → "±0 %"."""
    change = round((ratio - 1) * 100)
    if change == 0:
        return "±0 %"
    return f"+{change} %" if change > 0 else f"−{-change} %"
