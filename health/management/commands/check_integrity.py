from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import pluralize

from health.integrity import integrity_check, integrity_fix


class Command(BaseCommand):
    help = """Check that the stores agree with each other, and repair them with --fix.

    Finds notes whose owner no longer exists (left when MongoDB was down during a member's
    deletion), live sessions of deleted members, and view counters and leaderboard entries
    (Redis) of deleted notes. Prints a summary and exits with status 1
    when it finds any. --fix removes them; it is safe to run twice, and never removes a note
    whose owner exists.
    """

    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="remove what the check finds")

    def handle(self, *args: Any, **options: Any) -> None:
        report = integrity_check()
        members = len(report.orphan_owner_ids)
        self.stdout.write(f"orphan notes:   {report.orphan_notes} (of {members} deleted member{pluralize(members)})")
        self.stdout.write(f"stale sessions: {len(report.stale_sessions)}")
        counters = len(report.stale_counters)
        leaderboard = sum(len(entries) for entries in report.stale_leaderboard_entries.values())
        self.stdout.write(
            f"stale counters: {counters} view count{pluralize(counters)}, "
            f"{leaderboard} leaderboard entr{pluralize(leaderboard, 'y,ies')}"
        )
        if not report.problems:
            self.stdout.write(self.style.SUCCESS("The stores agree."))
            return
        problems = f"{report.problems} problem{pluralize(report.problems)}"
        if options["fix"]:
            integrity_fix(report)
            self.stdout.write(self.style.SUCCESS(f"Fixed {problems}."))
            return
        raise CommandError(
            f"{problems} found; run with --fix to repair {'it' if report.problems == 1 else 'them'}", returncode=1
        )
