from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from health.probes import all_statuses
from replicas.health import replica_statuses


class Command(BaseCommand):
    help = """Check that every store answers.

    Prints one line per store: its role, kind, server version and round-trip latency, and one
    per relational replica with its lag. Exits with status 1 if any store is unreachable, naming
    it; a replica that is down or behind is a warning (reads go to the primary meanwhile).
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
        for replica in replica_statuses(fresh=True):
            if replica.ok:
                line = f"{replica.alias:<11} {'replica':<11} {replica.version:<10} {replica.latency_ms:>8.2f} ms, {replica.lag_seconds:.3f} s behind"
                self.stdout.write(self.style.SUCCESS(line))
            else:
                self.stdout.write(self.style.WARNING(f"{replica.alias:<11} {'replica':<11} skipped: {replica.error}"))
        failing = [status.store for status in statuses if not status.ok]
        if failing:
            raise CommandError(f"unreachable: {', '.join(failing)}", returncode=1)
