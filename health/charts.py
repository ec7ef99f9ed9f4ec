"""A bar chart of one figure per day, laid out here and drawn as inline SVG by templates/health/_day_chart.html.

No plotting library: thirty rectangles and four labels are less code than configuring one, and
the page stays free of a dependency, scripts and anything fetched from elsewhere.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

WIDTH, HEIGHT = 600, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 4, 14, 30  # room for the figures' axis and the days under the bars
GAP = 2


@dataclass(frozen=True)
class DayBar:
    """One day's bar, in the SVG's own units."""

    day: datetime.date
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class DayChart:
    """The bars of a run of days, scaled so that the busiest day reaches the top."""

    title: str
    unit: str  # what is counted, plural: "notes"
    bars: list[DayBar]
    peak: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    baseline: int = HEIGHT - BOTTOM
    right_edge: int = WIDTH - RIGHT

    @property
    def figure_x(self) -> int:
        """Where the figures of the vertical axis end, just left of the bars."""
        return self.left - 6

    @property
    def day_labels(self) -> list[tuple[float, str, datetime.date]]:
        """(x, text-anchor, day) of the days named under the bars: the first, the middle one and the last."""
        if not self.bars:
            return []
        first, middle, last = self.bars[0], self.bars[len(self.bars) // 2], self.bars[-1]
        return [
            (first.x, "start", first.day),
            (middle.x + middle.width / 2, "middle", middle.day),
            (last.x + last.width, "end", last.day),
        ]

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def busiest(self) -> DayBar | None:
        """The first of the days with the most, or None when every day counted nothing."""
        return max(self.bars, key=lambda bar: bar.count) if self.peak else None


def day_chart(counts: list[tuple[datetime.date, int]], *, title: str, unit: str) -> DayChart:
    """Lay out one bar per (day, count), oldest first, on a scale from 0 to the largest count."""
    peak = max((count for _, count in counts), default=0)
    slot = (WIDTH - LEFT - RIGHT) / max(len(counts), 1)
    plot_height = HEIGHT - TOP - BOTTOM
    bars = []
    for position, (day, count) in enumerate(counts):
        height = round(plot_height * count / peak, 2) if peak else 0
        x = round(LEFT + position * slot + GAP / 2, 2)
        bars.append(DayBar(day, count, x, round(HEIGHT - BOTTOM - height, 2), round(slot - GAP, 2), height))
    return DayChart(title=title, unit=unit, bars=bars, peak=peak)
