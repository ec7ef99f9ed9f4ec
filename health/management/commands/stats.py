from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from health.statistics import store_statistics


def human_bytes(size: float | None) -> str:
    if size is None:
        return "n/a"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"


def percent(ratio: float | None) -> str:
    return "n/a" if ratio is None else f"{ratio:.1%}"


class Command(BaseCommand):
    help = """Print figures about each store.

    Relational: members, active sessions and database size. MongoDB: notes, public notes and
    the sizes the server reports. Redis: memory used, cache hit ratio and keys per logical
    database (sessions included). A store that does not answer shows its error.
    --json prints one JSON object, for scripts.
    """

    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")

    def handle(self, *args: Any, **options: Any) -> None:
        figures = store_statistics()
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))  # in the order the figures are gathered, db0 before db10
            return
        relational, document, cache = figures["relational"], figures["mongodb"], figures["redis"]
        self.stdout.write(self.style.MIGRATE_HEADING(f"Relational ({relational['kind']})"))
        self._lines(
            relational,
            lambda f: [
                f"  members          {f['users']}",
                f"  active sessions  {f['active_sessions']}",
                f"  size             {human_bytes(f['size_bytes'])}",
            ],
        )
        self.stdout.write(self.style.MIGRATE_HEADING("MongoDB"))
        self._lines(
            document,
            lambda f: [
                f"  notes            {f['notes']} ({f['public_notes']} public)",
                f"  data size        {human_bytes(f['data_size_bytes'])}",
                f"  storage size     {human_bytes(f['storage_size_bytes'])}",
            ],
        )
        self.stdout.write(self.style.MIGRATE_HEADING("Redis"))
        self._lines(
            cache,
            lambda f: [
                f"  memory           {f['used_memory_human']}",
                f"  hit ratio        {percent(f['hit_ratio'])}",
                *(f"  keys in {name:<8} {count}" for name, count in f["keys_per_database"].items()),
                f"  cached sessions  {f['cached_sessions']}",
            ],
        )

    def _lines(self, figures: dict[str, Any], render) -> None:
        if "error" in figures:
            self.stdout.write(self.style.ERROR(f"  unavailable: {figures['error']}"))
            return
        for line in render(figures):
            self.stdout.write(line)
