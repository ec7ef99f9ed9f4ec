from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from health.probes import all_statuses


class Command(BaseCommand):
    help = """Check that every store answers.

    Prints one line per store: its role, kind, server version and round-trip latency.
    Exits with status 1 if any store is unreachable, naming it.
    """

    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        statuses = all_statuses()
        for status in statuses:
            if status.ok:
                line = f"{status.store:<11} {status.kind:<11} {status.version:<10} {status.latency_ms:>8.2f} ms"
                self.stdout.write(self.style.SUCCESS(line))
            else:
                self.stdout.write(self.style.ERROR(f"{status.store:<11} {status.kind:<11} unreachable: {status.error}"))
        failing = [status.store for status in statuses if not status.ok]
        if failing:
            raise CommandError(f"unreachable: {', '.join(failing)}", returncode=1)
