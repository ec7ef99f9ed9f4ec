"""The day chart's layout: one bar per day, scaled to the busiest day, inside the drawing."""

from __future__ import annotations

import datetime

from health.charts import HEIGHT, WIDTH, day_chart

DAYS = [datetime.date(2026, 11, 1) + datetime.timedelta(days=n) for n in range(30)]


def test_the_busiest_day_reaches_the_top_and_the_others_scale_with_it():
    chart = day_chart([(day, n % 5) for n, day in enumerate(DAYS)], title="Notes", unit="notes")

    assert chart.peak == 4
    assert chart.busiest.day == DAYS[4]
    assert chart.total == sum(n % 5 for n in range(30))
    tallest = max(bar.height for bar in chart.bars)
    assert {bar.y for bar in chart.bars if bar.height == tallest} == {chart.top}
    assert all(bar.y + bar.height == chart.baseline for bar in chart.bars)
    assert chart.bars[1].height * 4 == tallest


def test_the_bars_sit_side_by_side_inside_the_drawing():
    chart = day_chart([(day, 1) for day in DAYS], title="Notes", unit="notes")

    assert chart.bars[0].x >= chart.left
    assert chart.bars[-1].x + chart.bars[-1].width <= chart.right_edge <= WIDTH
    assert all(left.x + left.width < right.x for left, right in zip(chart.bars, chart.bars[1:], strict=False))
    assert chart.baseline < HEIGHT
    assert [anchor for _, anchor, _ in chart.day_labels] == ["start", "middle", "end"]


def test_days_without_notes_draw_empty_bars_and_name_no_busiest_day():
    chart = day_chart([(day, 0) for day in DAYS], title="Notes", unit="notes")

    assert chart.peak == 0
    assert chart.busiest is None
    assert {bar.height for bar in chart.bars} == {0}
