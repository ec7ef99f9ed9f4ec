"""The store status page's figures: whether each store answers, what it holds and its size, notes written per day."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError
from django.template.defaultfilters import filesizeformat
from pymongo.errors import PyMongoError

from health.charts import DayChart, day_chart
from health.probes import StoreStatus, all_statuses
from health.statistics import cache_statistics, document_statistics, relational_statistics
from notes.figures import notes_written_per_day

logger = logging.getLogger(__name__)

CHART_DAYS = 30
STATISTICS = {"relational": relational_statistics, "mongodb": document_statistics, "redis": cache_statistics}

# Per store, the figures shown and how: (label, key in health.statistics' figures, "count" | "size" | "ratio").
SHOWN_FIGURES = {
    "relational": [
        ("Members", "users", "count"),
        ("Active sessions", "active_sessions", "count"),
        ("Size", "size_bytes", "size"),
    ],
    "mongodb": [
        ("Notes", "notes", "count"),
        ("Public notes", "public_notes", "count"),
        ("Data size", "data_size_bytes", "size"),
        ("Storage size", "storage_size_bytes", "size"),
    ],
    "redis": [
        ("Memory used", "used_memory_bytes", "size"),
        ("Hit ratio", "hit_ratio", "ratio"),
        ("Cached sessions", "cached_sessions", "count"),
    ],
}


def _shown(value: Any, form: str) -> str:
    if value is None:
        return "not measured"
    if form == "size":
        return str(filesizeformat(value))
    if form == "ratio":
        return f"{value:.1%}"
    return f"{value:,}"


@dataclass(frozen=True)
class StoreReport:
    """One store on the status page: its answer to the probe, and its figures (or why there are none)."""

    status: StoreStatus
    figures: list[tuple[str, str]]
    error: str


def _report(status: StoreStatus) -> StoreReport:
    """Gather the figures of a store that answered; one that did not is not asked again (each ask waits its timeout)."""
    if not status.ok:
        return StoreReport(status, [], status.error)
    figures = STATISTICS[status.store]()
    if "error" in figures:
        return StoreReport(status, [], figures["error"])
    return StoreReport(
        status, [(label, _shown(figures.get(key), form)) for label, key, form in SHOWN_FIGURES[status.store]], ""
    )


def _notes_per_day_chart() -> DayChart | None:
    try:
        counts = notes_written_per_day(days=CHART_DAYS)
    except (DatabaseError, PyMongoError) as error:
        logger.warning("Status page: notes per day unavailable: %s", error)
        return None
    return day_chart(counts, title=f"Notes written per day, last {CHART_DAYS} days", unit="notes")


def store_status() -> dict[str, Any]:
    """Return each store's report, and the chart of notes written per day (None when MongoDB does not answer)."""
    reports = [_report(status) for status in all_statuses()]
    mongodb_answers = any(report.status.store == "mongodb" and report.status.ok for report in reports)
    return {"reports": reports, "chart": _notes_per_day_chart() if mongodb_answers else None}
