from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pymongo.errors import PyMongoError
from redis.exceptions import RedisError

from config.command_arguments import whole_number
from notes.counters import FOLD_BATCH_SIZE, FoldInterrupted, view_counts_fold


class Command(BaseCommand):
    help = """Fold the view counters kept in Redis into the notes' documents (`view_count`).

    Run it every few minutes (README, "Scheduled jobs"): a Redis flush then loses at most the
    views counted since the last fold. Safe to run at any time and concurrently with traffic:
    each counter is taken atomically, and views counted meanwhile wait for the next fold.
    Counters of deleted notes are dropped. If MongoDB fails mid-fold, the views not written are
    put back in Redis and the command exits with status 1.
    """

    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="report what would be folded; change nothing")
        parser.add_argument(
            "--batch-size",
            type=whole_number(minimum=1),
            default=FOLD_BATCH_SIZE,
            help=f"counters taken and written per round trip (default {FOLD_BATCH_SIZE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        try:
            result = view_counts_fold(dry_run=dry_run, batch_size=options["batch_size"])
        except FoldInterrupted as error:
            raise CommandError(
                f"MongoDB failed after folding {counted(error.result.views, 'view')} into "
                f"{counted(error.result.notes, 'note')}; {counted(error.put_back, 'view')} went back to Redis "
                f"for the next fold ({error.__cause__})."
            ) from None
        except RedisError as error:
            raise CommandError(f"Redis is unavailable: {error}") from None
        except PyMongoError as error:
            raise CommandError(f"MongoDB is unavailable: {error}") from None
        verb = "Would fold" if dry_run else "Folded"
        self.stdout.write(f"{verb} {counted(result.views, 'view')} into {counted(result.notes, 'note')}.")
        if result.gone:
            verb = "Would drop" if dry_run else "Dropped"
            self.stdout.write(f"{verb} the counters of {counted(result.gone, 'deleted note')}.")


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
