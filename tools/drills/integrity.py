"""Drill 3: member deletions and note writes while the document store fails at random moments.

Through the services, in this process: 1,000 random operations (create, edit and delete notes,
delete members with users.services.user_delete) while a second thread stops the MongoDB-wire
server (SIGTERM) and starts it again at random moments. A member deleted while the store is
down leaves notes behind. Afterwards, with raw pymongo and the relational rows as the truth:
`check_integrity` must report exactly those orphans, `check_integrity --fix` must leave none,
and every note of a living member must be as its last acknowledged write left it.
"""

from __future__ import annotations

import logging
import os
import random
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pymongo.collection import Collection

from tools.drills.ledger import Ledger
from tools.drills.report import DrillResult, say, status_counts
from tools.drills.site import Site, prepare
from tools.drills.stores import DrillStores

# Fail fast while the store is down, so that 1,000 operations fit in a minute or two.
MONGO_OPTIONS = {"serverSelectionTimeoutMS": 400, "connectTimeoutMS": 400, "socketTimeoutMS": 3000}
UP_SECONDS = (0.5, 2.5)
DOWN_SECONDS = (0.3, 1.5)
ORPHANS_LINE = re.compile(r"orphan notes:\s+(\d+) \(of (\d+) deleted members?\)")


class CountingHandler(logging.Handler):
    """Count the app's log records instead of printing a thousand JSON lines."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            gist = re.sub(r"\d+", "N", message.split(" (")[0].split(":")[0])[:80]
            self.counts[f"{record.levelname} {record.name}: {gist}"] += 1


class Chaos(threading.Thread):
    """Stop and start the drills' MongoDB-wire server at random moments until told to finish."""

    def __init__(self, stores: DrillStores, rng: random.Random) -> None:
        super().__init__(name="chaos", daemon=True)
        self.mongo, self.rng = stores.mongo, rng
        self.finish = threading.Event()
        self.outages: list[float] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.finish.wait(self.rng.uniform(*UP_SECONDS)):
                stopped = time.monotonic()
                self.mongo.stop()
                self.finish.wait(self.rng.uniform(*DOWN_SECONDS))
                self.mongo.start()
                self.outages.append(time.monotonic() - stopped)
        except BaseException as error:  # noqa: BLE001 - reported by the drill
            self.error = error


@dataclass
class Workload:
    """What the drill wrote, for whom, and how each operation ended."""

    rng: random.Random
    ledger: Ledger
    members: list[int]
    notes_of: dict[int, list[str]]
    outcomes: Counter[str] = field(default_factory=Counter)
    deleted_members: list[int] = field(default_factory=list)


def run_integrity(stores: DrillStores, site: Site, *, operations: int, seed: int = 30) -> DrillResult:
    """Write at random while the document store fails, then hold check_integrity to the raw truth."""
    result = DrillResult("integrity")
    prepare(site, members=300, notes_per_member=3)
    os.environ.update(site.env)
    import django

    django.setup()
    counting = _count_log_records()
    mongo = stores.mongo.client()
    collection = mongo[site.mongo_database]["notes_note"]
    work = _workload(collection, random.Random(seed))
    result.tried.append(
        f"{operations:,} random operations through the services (note_create, note_update, note_delete, "
        f"user_delete) on {len(work.members)} members with {sum(map(len, work.notes_of.values()))} notes, "
        f"relational store on {site.relational}, while the MongoDB-wire server is stopped (SIGTERM) and started "
        f"again at random moments (up {UP_SECONDS[0]}–{UP_SECONDS[1]} s, down {DOWN_SECONDS[0]}–{DOWN_SECONDS[1]} s "
        "+ its restart)"
    )
    result.tried.append("then `check_integrity`, `check_integrity --fix`, `check_integrity` again, and a raw read-back")

    chaos = Chaos(stores, random.Random(seed + 1))
    say(f"integrity: {operations} operations while the MongoDB-wire server fails at random moments")
    started = time.monotonic()
    chaos.start()
    for number in range(operations):
        _operate(work, number)
    chaos.finish.set()
    chaos.join(timeout=60)
    seconds = time.monotonic() - started
    if not stores.mongo.answers():
        stores.mongo.start()

    result.figures["operations"] = f"{operations:,} in {seconds:.0f} s"
    result.figures["outcomes"] = status_counts(list(work.outcomes.elements()))
    result.figures["document store outages"] = (
        f"{len(chaos.outages)}, {sum(chaos.outages):.0f} s in all (stop + down + restart)"
    )
    result.figures["warnings the app logged"] = dict(counting.counts.most_common(6))
    if chaos.error is not None:
        result.findings.append(f"the chaos thread stopped early: {chaos.error!r}")
    _check_repairs(result, site, collection, work)
    mongo.close()
    return result


def _count_log_records() -> CountingHandler:
    """Send the app's log records to a counter instead of the terminal."""
    counting = CountingHandler()
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(counting)
    return counting


def _workload(collection: Collection, rng: random.Random) -> Workload:
    """Start the ledger from the seeded notes, read raw."""
    from users.models import User

    ledger = Ledger()
    notes_of: dict[int, list[str]] = defaultdict(list)
    for document in collection.find({}, {"owner_id": 1, "title": 1}):
        ledger.known(str(document["_id"]), document["owner_id"], title=document["title"])
        notes_of[document["owner_id"]].append(str(document["_id"]))
    members = sorted(User.objects.filter(is_staff=False).values_list("pk", flat=True))
    return Workload(rng, ledger, members, notes_of)


def _operate(work: Workload, number: int) -> None:
    """Run one random operation through the services and record how it ended."""
    kind = work.rng.choices(["create", "edit", "delete note", "delete member"], [35, 30, 15, 20])[0]
    if kind == "delete member" and len(work.members) > 20:
        _delete_member(work, work.members.pop(work.rng.randrange(len(work.members))))
        return
    owner = work.rng.choice(work.members)
    if kind == "create" or not work.notes_of[owner]:
        _create_note(work, owner, number)
    else:
        _change_note(work, kind, owner, number)


def _delete_member(work: Workload, owner: int) -> None:
    from users.models import User
    from users.services import user_delete

    try:
        user_delete(user=User.objects.get(pk=owner))
    except Exception as error:  # noqa: BLE001 - an operation that fails is recorded, not fatal
        work.members.append(owner)
        work.outcomes[f"delete member: {type(error).__name__}"] += 1
        return
    work.deleted_members.append(owner)
    work.outcomes["delete member: acknowledged"] += 1


def _create_note(work: Workload, owner: int, number: int) -> None:
    from notes.services import note_create

    title = f"integrity drill {number}"
    try:
        note = note_create(owner_id=owner, title=title, body=f"operation {number}")
    except Exception as error:  # noqa: BLE001
        work.ledger.create_unacknowledged(title)
        work.outcomes[f"create: {type(error).__name__}"] += 1
        return
    work.ledger.created(str(note.pk), owner, title)
    work.notes_of[owner].append(str(note.pk))
    work.outcomes["create: acknowledged"] += 1


def _change_note(work: Workload, kind: str, owner: int, number: int) -> None:
    """Edit or delete one of the owner's notes."""
    from bson import ObjectId

    from notes.models import Note
    from notes.services import note_delete, note_update

    note_id = work.rng.choice(work.notes_of[owner])
    try:
        note = Note.objects.get(pk=ObjectId(note_id))
    except Exception as error:  # noqa: BLE001 - nothing was written
        work.outcomes[f"{kind}: read failed ({type(error).__name__})"] += 1
        return
    title = f"integrity drill {number} edit"
    try:
        if kind == "edit":
            note_update(
                note=note,
                title=title,
                body=note.body,
                visibility=note.visibility,
                pinned=note.pinned,
                tags=note.tags,
                checklist=note.checklist,
                attributes=note.attributes,
            )
        else:
            work.notes_of[owner].remove(note_id)
            note_delete(note=note)
    except Exception as error:  # noqa: BLE001
        if kind == "edit":
            work.ledger.edited(note_id, title, acknowledged=False)
        else:
            work.ledger.removed(note_id, acknowledged=False)
        work.outcomes[f"{kind}: {type(error).__name__}"] += 1
        return
    if kind == "edit":
        work.ledger.edited(note_id, title, acknowledged=True)
    else:
        work.ledger.removed(note_id, acknowledged=True)
    work.outcomes[f"{kind}: acknowledged"] += 1


def _check_repairs(result: DrillResult, site: Site, collection: Collection, work: Workload) -> None:
    """Hold check_integrity, its --fix and the notes of living members to the truth read without the app."""
    from users.models import User

    living = set(User.objects.values_list("pk", flat=True))
    orphans = [d for d in collection.find({}, {"owner_id": 1}) if d["owner_id"] not in living]
    orphan_owners = {d["owner_id"] for d in orphans}
    result.figures["members deleted"] = len(work.deleted_members)
    result.figures["orphan notes (raw read)"] = f"{len(orphans)} of {len(orphan_owners)} deleted members"
    result.check(
        "the drill produced orphans to find (a member deleted while the document store was down)",
        bool(orphans),
        f"{len(orphans)} orphan notes",
    )

    check = site.manage("check_integrity", check=False)
    reported = ORPHANS_LINE.search(check.stdout)
    found = (int(reported.group(1)), int(reported.group(2))) if reported else None
    result.figures["check_integrity"] = f"exit {check.returncode}: {' / '.join(check.stdout.strip().splitlines())}"
    result.check(
        "check_integrity finds every orphan (and exits 1)",
        found == (len(orphans), len(orphan_owners)) and check.returncode == (1 if orphans else 0),
        f"reported {found}, raw truth {(len(orphans), len(orphan_owners))}, exit {check.returncode}",
    )
    fix = site.manage("check_integrity", "--fix", check=False)
    result.figures["check_integrity --fix"] = f"exit {fix.returncode}: {fix.stdout.strip().splitlines()[-1:]}"
    again = site.manage("check_integrity", check=False)
    left = [d for d in collection.find({}, {"owner_id": 1}) if d["owner_id"] not in living]
    result.check(
        "check_integrity --fix leaves no orphan (raw read), and a second check agrees",
        fix.returncode == 0 and not left and again.returncode == 0 and "The stores agree" in again.stdout,
        f"--fix exit {fix.returncode}, orphans left {len(left)}, second check exit {again.returncode}",
    )
    verification = work.ledger.verify(collection, owners_alive=living)
    result.figures["writes acknowledged"] = dict(work.ledger.acknowledged)
    result.figures["writes not acknowledged"] = dict(work.ledger.unacknowledged)
    result.check(
        "no note of a living member lost: each as its last acknowledged write left it (raw pymongo)",
        not verification.lost,
        f"{len(verification.lost)} lost of {verification.checked} notes checked",
    )
    for lost in verification.lost[:10]:
        result.findings.append(f"lost {lost.what} of note {lost.note_id}: {lost.detail}")
