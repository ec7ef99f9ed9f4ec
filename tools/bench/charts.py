"""docs/benchmarks.md's pictures, drawn from one run's figures as SVG with pygal.

Each function takes the figures it plots and returns the SVG text; report.py chooses the figures,
writes the files beside the report and links them. No script is loaded from anywhere: pygal's
own JavaScript is left out (`js=[]`), so the charts are still images, read offline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygal
from pygal.style import Style

STYLE = Style(
    font_family="DejaVu Sans, Helvetica, Arial, sans-serif",
    background="white",
    plot_background="white",
    foreground="#333",
    foreground_strong="#111",
    foreground_subtle="#ccc",
    colors=("#3465a4", "#cc6633", "#4e9a06", "#75507b", "#c4a000", "#555753"),
    title_font_size=16,
    label_font_size=11,
    legend_font_size=12,
    value_font_size=10,
)
WIDTH = 900
ROW_HEIGHT = 34  # per bar group of a horizontal bar chart


def decades(values: Sequence[float]) -> tuple[float, float]:
    """The powers of ten around `values`: a logarithmic axis from there starts its bars at a round number."""
    positive = [value for value in values if value > 0]
    if not positive:
        return (1.0, 10.0)
    return (10 ** math.floor(math.log10(min(positive))), 10 ** math.ceil(math.log10(max(positive))))


def logarithmic_axis(values: Sequence[float]) -> dict[str, object]:
    """A logarithmic value axis labelled at each power of ten around `values`, bars standing on the lowest."""
    lower, upper = decades(values)
    powers = range(round(math.log10(lower)), round(math.log10(upper)) + 1)
    return {"logarithmic": True, "range": (lower, upper), "zero": lower, "y_labels": [10.0**power for power in powers]}


def rate_label(rate: float) -> str:
    return f"{rate:,.0f}" if rate >= 10 else f"{rate:,.2g}"


def _config(**options: object) -> dict[str, object]:
    return {
        "style": STYLE,
        "js": [],
        "width": WIDTH,
        "truncate_label": -1,
        "truncate_legend": -1,
        "legend_at_bottom": True,
        "print_values": False,
        **options,
    }


def share_chart(figures: Sequence[tuple[str, float, float, float | None]], *, title: str) -> str:
    """Horizontal bars: each page's req/s as a share of the floor's (label, share, target, ceiling or None), in %."""
    shares = [share for figure in figures for share in figure[1:] if share is not None]
    # To 100 %, or further when a bar passes it (a cached page's ceiling answers before middleware the floor pays).
    top = max(100, 10 * math.ceil(max(shares, default=0) * 10))
    chart = pygal.HorizontalBar(
        **_config(
            title=title,
            height=160 + ROW_HEIGHT * len(figures),
            range=(0, top),
            value_formatter=lambda share: f"{share:.3g} %",
            x_title="% of the floor view's req/s",
        )
    )
    top_down = list(reversed(figures))  # pygal draws the first label at the bottom
    chart.x_labels = [label for label, *_ in top_down]
    chart.add("measured", [share * 100 for _, share, _, _ in top_down])
    chart.add("target", [target * 100 for _, _, target, _ in top_down])
    if any(ceiling is not None for *_, ceiling in top_down):
        chart.add("this server's ceiling", [None if ceiling is None else ceiling * 100 for *_, ceiling in top_down])
    return chart.render(is_unicode=True)


def side_by_side_chart(pages: Sequence[tuple[str, float, float]], *, names: tuple[str, str], title: str) -> str:
    """Grouped bars on a logarithmic axis: each page's req/s on two servers (label, first, second)."""
    chart = pygal.Bar(
        **_config(
            title=title,
            height=460,
            **logarithmic_axis([rate for _, first, second in pages for rate in (first, second)]),
            value_formatter=rate_label,
            y_title="req/s (logarithmic)",
            legend_at_bottom_columns=1,
        )
    )
    chart.x_labels = [label for label, _, _ in pages]
    chart.add(names[0], [first for _, first, _ in pages])
    chart.add(names[1], [second for _, _, second in pages])
    return chart.render(is_unicode=True)


def growth_chart(sizes: Sequence[int], series: dict[str, Sequence[float | None]], *, title: str) -> str:
    """Lines on a logarithmic axis: each page's req/s at each dataset size (None: not measured there)."""
    chart = pygal.Line(
        **_config(
            title=title,
            height=520,
            **logarithmic_axis([rate for rates in series.values() for rate in rates if rate is not None]),
            value_formatter=rate_label,
            y_title="req/s (logarithmic)",
            x_title="notes in the dataset",
            legend_at_bottom_columns=2,
        )
    )
    chart.x_labels = [f"{size:,}" for size in sizes]
    for label, rates in series.items():
        chart.add(label, list(rates))
    return chart.render(is_unicode=True)
