from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import pluralize
from tqdm import tqdm

from config.command_arguments import whole_number
from demo.services import demo_reset, demo_seed

count = whole_number(minimum=0)


class Command(BaseCommand):
    help = """Fill both stores with realistic demo data.

    Creates members demo000001, demo000002, … in the relational store (password
    "polystore-demo") and NOTES-PER-USER notes for each in MongoDB, in batches. Members that
    exist already are left as they are, so running it twice adds nothing; --reset deletes every
    demo member and their notes first. --seed makes the data the same on every run.
    """

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=count, default=50, help="how many demo members (default 50)")
        parser.add_argument("--notes-per-user", type=count, default=10, help="notes per new member (default 10)")
        parser.add_argument("--seed", type=count, help="random seed, for the same data on every run")
        parser.add_argument("--reset", action="store_true", help="delete all demo members and their notes first")
        parser.add_argument("--batch-size", type=count, default=500, help="members written per batch (default 500)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (also off when not a terminal)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] == 0:
            raise CommandError("--batch-size must be at least 1")
        if options["reset"]:
            removed = demo_reset()
            self.stdout.write(
                f"Removed {removed.users_deleted} demo member{pluralize(removed.users_deleted)} "
                f"and {removed.notes_deleted} note{pluralize(removed.notes_deleted)}."
            )
        show = not options["no_progress"] and sys.stderr.isatty()
        with tqdm(total=options["users"], unit=" members", disable=not show, file=sys.stderr) as bar:
            result = demo_seed(
                users=options["users"],
                notes_per_user=options["notes_per_user"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                on_batch=bar.update,
            )
        existing = result.users_existing
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {result.users_created} demo member{pluralize(result.users_created)} and "
                f"{result.notes_created} note{pluralize(result.notes_created)} "
                f"({existing} member{pluralize(existing)} {'was' if existing == 1 else 'were'} there already)."
            )
        )
