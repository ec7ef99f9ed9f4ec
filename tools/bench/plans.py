"""Explain every notes query the pages send: `python -m tools.bench.plans [--write docs/query-plans.md]`.

Requests each page that lists or counts notes through Django's test client (as the member who
owns the most notes, and as staff for the admin), records the commands the engine sends to the
document server, and asks the server to `explain` each one. Run it with the environment
(DATABASE_URL, MONGODB_URI, REDIS_URL) of a seeded dataset, e.g. `seed_demo --users 10000
--notes-per-user 10 --seed 20261126`, the benchmark's 100,000 notes, and PAGE_CACHE_SECONDS=0.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pymongo import monitoring

EXPLAINED = ("find", "aggregate", "count")
ROOT = Path(__file__).resolve().parents[2]


class Recorder(monitoring.CommandListener):
    """Keep the notes collection's read commands, as sent."""

    def __init__(self) -> None:
        self.commands: list[dict[str, Any]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in EXPLAINED and event.command.get(event.command_name) == "notes_note":
            keep = {key: value for key, value in event.command.items() if key not in ("lsid", "$db", "$readPreference")}
            self.commands.append(keep)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@dataclass
class Plan:
    page: str
    command: dict[str, Any]
    nodes: list[str]
    milliseconds: float

    @property
    def indexes(self) -> list[str]:
        return [node.split(" on ", 1)[1] for node in self.nodes if " on " in node]


def plan_nodes(plan: dict[str, Any], depth: int = 0) -> list[str]:
    """Flatten a PostgreSQL JSON plan into one line per node: its type, and the index it reads."""
    line = plan.get("Node Type", "?")
    if plan.get("Sort Key") and line == "Sort":
        line += f" ({len(plan['Sort Key'])} keys)"
    if "Index Name" in plan:
        line += f" on {plan['Index Name']}"
    lines = [("  " * depth) + line]
    for child in plan.get("Plans", []):
        lines += plan_nodes(child, depth + 1)
    return lines


def explain(database: Any, command: dict[str, Any]) -> list[str]:
    answer = database.command({"explain": command, "verbosity": "queryPlanner"})
    planner = answer.get("queryPlanner", {})
    if "Plan" in planner:  # FerretDB + DocumentDB: PostgreSQL's plan
        return plan_nodes(planner["Plan"])
    return [json.dumps(planner.get("winningPlan", planner), default=str)[:300]]


def run_time(database: Any, command: dict[str, Any], runs: int = 5) -> float:
    """The median milliseconds the server takes to answer the command (with its first batch)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = database.command(command)
        times.append((time.perf_counter() - started) * 1000)
        cursor = answer.get("cursor", {})
        if cursor.get("id"):  # more than the first batch: close it (FerretDB holds a connection per open cursor)
            collection = cursor["ns"].split(".", 1)[1]
            database.command({"killCursors": collection, "cursors": [cursor["id"]]})
    return statistics.median(times)


def pages(owner_id: int, tag: str, word: str) -> list[tuple[str, str, bool]]:
    """(what, URL, as staff) for each page that lists or counts notes."""
    return [
        ("my notes", "/notes/", False),
        ("my notes, a tag", f"/notes/?tag={tag}", False),
        ("my notes, a search", f"/notes/?q={word}", False),
        ("public notes, page 1", "/notes/public/", False),
        ("public notes, page 50", "/notes/public/?page=50", False),
        ("public notes, a tag", f"/notes/public/?tag={tag}", False),
        ("public notes, a search", f"/notes/public/?q={word}", False),
        ("a profile", f"/users/{owner_id}/", False),
        ("home (counts)", "/", False),
        ("admin: notes", "/admin/notes/note/", True),
        ("admin: public notes", "/admin/notes/note/?visibility__exact=public", True),
        ("admin: search", f"/admin/notes/note/?q={word}", True),
        ("admin: a member's profile", f"/admin/users/user/{owner_id}/change/", True),
    ]


def collect() -> list[Plan]:
    recorder = Recorder()
    monitoring.register(recorder)
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connections
    from django.test import Client

    from notes.models import Note
    from users.models import User

    notes = connections["mongodb"].database["notes_note"]
    busiest = next(
        notes.aggregate([{"$group": {"_id": "$owner_id", "n": {"$sum": 1}}}, {"$sort": {"n": -1}}, {"$limit": 1}])
    )
    owner = User.objects.get(pk=busiest["_id"])
    sample = Note.objects.owned_by(owner.pk).exclude(tags=[]).first() or Note.objects.owned_by(owner.pk).first()
    tag = sample.tags[0] if sample.tags else "work"
    word = sample.title.split()[0].lower()
    staff, _ = User.objects.get_or_create(username="plans-staff", defaults={"is_staff": True, "is_superuser": True})

    member, admin = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    member.force_login(owner)
    admin.force_login(staff)
    plans: list[Plan] = []
    for what, url, as_staff in pages(owner.pk, tag, word):
        caches["default"].clear()  # no page, list count or name from an earlier request
        recorder.commands = []
        response = (admin if as_staff else member).get(url)
        if response.status_code != 200:
            raise SystemExit(f"plans: {url} answered {response.status_code}")
        sent, recorder.commands = recorder.commands, []  # explain and run_time send commands too
        database = connections["mongodb"].database
        for command in sent:
            plans.append(Plan(what, command, explain(database, command), run_time(database, command)))
    return plans


def markdown(plans: list[Plan], server: str, notes: int) -> str:
    lines = [
        "# Query plans of the notes pages",
        "",
        f"Written by `python -m tools.bench.plans` against {server} with {notes:,} notes: every command the",
        "pages below send to the notes collection, as the engine sends it, and the plan the server",
        "chose for it (`explain`, verbosity queryPlanner). Indented lines are a node's inputs; the time",
        "is the median of five runs of the command as sent, from this machine's client.",
        "",
        "| page | command | ms | index |",
        "|---|---|---:|---|",
    ]
    for plan in plans:
        kind = next(iter(plan.command))
        lines.append(
            f"| {plan.page} | {kind} | {plan.milliseconds:.1f} | {', '.join(f'`{name}`' for name in plan.indexes) or '**none**'} |"
        )
    lines += [
        "",
        "Reading it: every list and count a member or visitor sees filters through an index. The",
        "sorts do not use one: DocumentDB 0.107's default operator class filters but does not deliver",
        "order, so each page is a top-N Sort over the filtered rows (tens for a member, all public notes",
        "for the public list, which is why its pages and later pages cost more). Nothing in this build",
        "turns that on: its composite operator class (`documentdb.defaultUseCompositeOpClass`) builds",
        "these indexes, but its catalog registers no ordering operator for that class (`pg_amop` lists",
        "search operators only), so `documentdb.enableIndexOrderbyPushdown` fails every sorted find",
        'with "operator … is not a member of opfamily bson_rum_composite_path_ops", and',
        "`documentdb.enableIndexOnlyScan` leaves the counts' plan as it is. The admin's commands that",
        "read no index do so by their nature: the changelist lists and counts every live note with no",
        "filter to narrow it, its tag filter tallies every note's tags (kept in Redis for ten minutes,",
        "`notes/admin.py`), and its search is an unanchored, case-insensitive `$regex` over title and",
        "body. On MongoDB 7",
        "the same indexes also serve the sorts: `note_owner_pinned_updated` (owner_id, -pinned,",
        "-updated_at, -_id), `note_public_updated` (visibility, -updated_at, -_id) and",
        "`note_owner_public_updated` (owner_id, visibility, -updated_at, -_id: a profile's notes) hold",
        "the lists' equality keys and then their whole sort, the id that breaks ties included, and `tags`",
        "is a multikey index for the tag filters.",
        "",
    ]
    for plan in plans:
        shown = {key: value for key, value in plan.command.items() if key not in ("maxTimeMS",)}
        lines += [
            f"## {plan.page}",
            "",
            "```",
            json.dumps(shown, default=str),
            f"-- {plan.milliseconds:.1f} ms (median of 5)",
            "",
            *plan.nodes,
            "```",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.bench.plans", description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="write the plans as Markdown to this file")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    plans = collect()
    from django.db import connections

    database = connections["mongodb"].database
    version = database.client.server_info()
    server = (
        f"FerretDB {version['ferretdb']['version']}"
        if "ferretdb" in version
        else f"MongoDB-wire server {version['version']}"
    )
    text = markdown(plans, server, database["notes_note"].estimated_document_count())
    unindexed = [plan for plan in plans if not plan.indexes]
    for plan in plans:
        print(f"{plan.page:28} {plan.milliseconds:8.1f} ms  {', '.join(plan.indexes) or 'NO INDEX'}")
    if args.write:
        args.write.write_text(text)
    if unindexed:
        print(f"{len(unindexed)} commands read no index", file=sys.stderr)


if __name__ == "__main__":
    main()
