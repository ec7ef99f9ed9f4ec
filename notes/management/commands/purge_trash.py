from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone
from pymongo.errors import PyMongoError

from config.command_arguments import whole_number
from notes.management.commands.fold_view_counts import counted
from notes.models import TRASH_DAYS, Note
from notes.services import notes_trash_purge

MAX_DAYS = 36_500  # a century: more is a typo (and past a few million days, beyond datetime's range)


class Command(BaseCommand):
    help = f"""Delete for good the notes that have been in the trash for more than --days days (default {TRASH_DAYS}).

    Their view counters and most-viewed entries in Redis go with them. Run it daily (README,
    "Scheduled jobs"); the trash page tells members the same {TRASH_DAYS} days. Safe to run while
    the site serves traffic and to run twice: a note restored meanwhile is kept. If Redis is
    unavailable the notes are still deleted and their counters are left to `check_integrity --fix`.
    """

    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=whole_number(minimum=1, maximum=MAX_DAYS),
            default=TRASH_DAYS,
            help=f"delete the notes trashed more than this many days ago (default {TRASH_DAYS})",
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would be deleted; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        cutoff = timezone.now() - datetime.timedelta(days=days)
        age = f"trashed more than {counted(days, 'day')} ago"
        try:
            if options["dry_run"]:
                expired = Note.everything.trashed_before(cutoff).count()
                self.stdout.write(f"Would delete {counted(expired, 'note')} {age}.")
                return
            result = notes_trash_purge(trashed_before=cutoff)
        except (DatabaseError, PyMongoError) as error:
            raise CommandError(f"MongoDB is unavailable: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Deleted {counted(result.notes, 'note')} {age}."))
        if result.counters is None:
            self.stderr.write(
                "Redis is unavailable: their view counters stay until `manage.py check_integrity --fix` removes them."
            )
        elif result.counters:
            self.stdout.write(f"Dropped {counted(result.counters, 'view counter')} with them.")
