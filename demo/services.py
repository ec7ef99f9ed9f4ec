"""Realistic demo members and notes, written to both stores in batches."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db.models import QuerySet
from django.utils import timezone
from faker import Faker

from demo.members import members_insert
from notes.models import ChecklistItem, Note
from users.models import User

DEMO_PREFIX = "demo"
DEMO_EMAIL_DOMAIN = "demo.polystore.test"
DEMO_PASSWORD = "polystore-demo"
TAG_WORDS = [
    "work",
    "home",
    "ideas",
    "reading",
    "travel",
    "recipes",
    "music",
    "garden",
    "health",
    "money",
    "projects",
    "family",
    "learning",
    "urgent",
    "someday",
    "meetings",
    "books",
    "films",
    "code",
    "sport",
]


@dataclass
class SeedResult:
    users_created: int = 0
    users_existing: int = 0
    notes_created: int = 0
    users_deleted: int = 0
    notes_deleted: int = 0


def demo_username(number: int) -> str:
    return f"{DEMO_PREFIX}{number:06d}"


def demo_users() -> QuerySet[User]:
    """The members seed_demo made (told apart by their email domain, which sign-up cannot claim)."""
    return User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")


def demo_reset() -> SeedResult:
    """Delete every demo member and their notes (notes first: nothing is left orphaned)."""
    result = SeedResult()
    ids = list(demo_users().values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        result.notes_deleted += Note.everything.filter(owner_id__in=ids[start : start + 1000]).delete()[0]
    result.users_deleted = demo_users().delete()[1].get(User._meta.label, 0)
    return result


def demo_member(number: int, fake: Faker, password: str, joined: datetime.datetime) -> User:
    """Make demo member `number` (not saved), with `password` already hashed."""
    first, last = fake.first_name(), fake.last_name()
    return User(
        username=demo_username(number),
        email=f"{demo_username(number)}@{DEMO_EMAIL_DOMAIN}",
        first_name=first,
        last_name=last,
        display_name=f"{first} {last}",
        age=fake.random_int(16, 90),
        bio=fake.paragraph(nb_sentences=3),
        password=password,
        date_joined=joined,
    )


def demo_members(numbers: Iterable[int], *, base_seed: int, password: str, fake: Faker) -> list[User]:
    """Make the demo members of `numbers` (not saved): each the same for the same seed, whatever the batch.

    Members made together joined together: one date_joined, prepared once when they are written.
    """
    joined = timezone.now()
    members = []
    for number in numbers:
        fake.seed_instance(base_seed * 1_000_003 + number)
        members.append(demo_member(number, fake, password, joined))
    return members


def _notes_for(owner: User, count: int, fake: Faker, rng: random.Random) -> Iterator[Note]:
    for _ in range(count):
        yield Note(
            owner_id=owner.pk,
            title=fake.sentence(nb_words=rng.randint(2, 7)).rstrip("."),
            body="\n\n".join(fake.paragraphs(nb=rng.randint(1, 4))),
            tags=rng.sample(TAG_WORDS, rng.randint(0, 4)),
            checklist=[
                ChecklistItem(text=fake.sentence(nb_words=4), done=rng.random() < 0.4) for _ in range(rng.randint(0, 4))
            ],
            attributes={"mood": rng.choice(["calm", "busy", "curious"])} if rng.random() < 0.3 else {},
            visibility=rng.choice([Note.Visibility.PUBLIC, Note.Visibility.PRIVATE]),
            pinned=rng.random() < 0.1,
        )


def demo_seed(
    *,
    users: int,
    notes_per_user: int,
    seed: int | None = None,
    batch_size: int = 500,
    on_batch: Callable[[int], object] = lambda done: None,
) -> SeedResult:
    """Create demo members demo000001…, each with notes; members that exist already are kept.

    Works a batch of members at a time, so memory stays flat however many are asked for: makes the
    batch's members (Faker, the password hashed once), writes them in one transaction
    (demo/members.py), then their notes.
    With a seed, every member and note is the same on every run.
    """
    result = SeedResult()
    base_seed = seed if seed is not None else random.SystemRandom().randrange(2**32)
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing per member would dominate
    fake = Faker()
    for start in range(1, users + 1, batch_size):
        numbers = range(start, min(start + batch_size, users + 1))
        existing = set(
            User.objects.filter(username__in=[demo_username(n) for n in numbers]).values_list("username", flat=True)
        )
        created = demo_members(
            (n for n in numbers if demo_username(n) not in existing), base_seed=base_seed, password=password, fake=fake
        )
        members_insert(created)
        notes: list[Note] = []
        for member in created:
            number = int(member.username.removeprefix(DEMO_PREFIX))
            rng = random.Random(base_seed * 7_919 + number)
            fake.seed_instance(base_seed * 2_000_003 + number)
            notes.extend(_notes_for(member, notes_per_user, fake, rng))
        Note.objects.bulk_create(notes, batch_size=1000)
        result.users_created += len(created)
        result.users_existing += len(existing)
        result.notes_created += len(notes)
        on_batch(len(numbers))
    return result
