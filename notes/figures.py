"""Figures about notes that the document store sums up itself: a member's totals and tags, notes written per day.

Each is one `aggregate` command whatever the number of notes. Its first stage is the `$match`
the ORM sends for the queryset it starts from, so the manager's rules for which notes exist hold
here as they do on every page. Every form used here is served alike by MongoDB, FerretDB v2 and
mongo-java-server (`tests/notes/test_mongodb_compatibility.py`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.utils import timezone

from notes.models import Note, NoteQuerySet

TAGS_SHOWN = 30


def _aggregate(notes: NoteQuerySet, stages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run `stages` over the notes `notes` selects; logged in the query log like the ORM's own commands."""
    compiler = notes.query.get_compiler(using=notes.db)
    try:
        match = compiler.build_query().match_mql
    except EmptyResultSet:
        return []
    collection = compiler.connection.get_collection(Note._meta.db_table)
    return list(collection.aggregate([{"$match": match}, *stages]))


@dataclass(frozen=True)
class MemberFigures:
    """A member's notes at a glance: how many, public, pinned, checklist items still open, and their tags."""

    notes: int = 0
    public: int = 0
    pinned: int = 0
    open_items: int = 0
    tags: list[tuple[str, int]] = field(default_factory=list)  # (tag, notes carrying it), most used first


def _counted(condition: Any) -> dict[str, Any]:
    return {"$sum": {"$cond": [condition, 1, 0]}}


_OPEN_ITEMS = {"$size": {"$filter": {"input": {"$ifNull": ["$checklist", []]}, "cond": {"$ne": ["$$this.done", True]}}}}


def member_figures(member_id: int) -> MemberFigures:
    """Return the totals of a member's notes and their `TAGS_SHOWN` most used tags, in one command."""
    [result] = _aggregate(
        Note.objects.owned_by(member_id),
        [
            {
                "$facet": {
                    "totals": [
                        {
                            "$group": {
                                "_id": None,
                                "notes": {"$sum": 1},
                                "public": _counted({"$eq": ["$visibility", Note.Visibility.PUBLIC.value]}),
                                "pinned": _counted({"$eq": ["$pinned", True]}),
                                "open_items": {"$sum": _OPEN_ITEMS},
                            }
                        }
                    ],
                    "tags": [
                        {"$unwind": "$tags"},
                        {"$group": {"_id": "$tags", "notes": {"$sum": 1}}},
                        {"$sort": {"notes": -1, "_id": 1}},
                        {"$limit": TAGS_SHOWN},
                    ],
                }
            }
        ],
    ) or [{"totals": [], "tags": []}]
    totals = result["totals"][0] if result["totals"] else {}
    return MemberFigures(
        notes=int(totals.get("notes", 0)),
        public=int(totals.get("public", 0)),
        pinned=int(totals.get("pinned", 0)),
        open_items=int(totals.get("open_items", 0)),
        tags=[(tag["_id"], int(tag["notes"])) for tag in result["tags"]],
    )


def notes_written_per_day(*, days: int, today: datetime.date | None = None) -> list[tuple[datetime.date, int]]:
    """Return (day, notes created that day) for the `days` days up to `today`, oldest first, days without notes too.

    Days are the site's (TIME_ZONE): the server groups each note by its creation date there.
    """
    zone = timezone.get_default_timezone()
    today = today or timezone.localdate(timezone=zone)
    first = today - datetime.timedelta(days=days - 1)
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    creation_day = {"$dateToString": {"format": "%Y-%m-%d", "date": "$created_at", "timezone": str(zone)}}
    rows = _aggregate(
        Note.objects.filter(created_at__gte=start, created_at__lt=end),
        [{"$group": {"_id": creation_day, "notes": {"$sum": 1}}}],
    )
    counts = {datetime.date.fromisoformat(row["_id"]): int(row["notes"]) for row in rows}
    shown = [first + datetime.timedelta(days=n) for n in range(days)]
    return [(day, counts.get(day, 0)) for day in shown]
