"""What each layer costs over the raw driver on the same server and data, measured side by side in-process.

Run after django.setup() with the benchmark's environment (bench/environment.py).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal

import redis
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import caches
from django.db import connections, transaction
from faker import Faker
from pyinstrument import Profiler

import demo.services
from demo.members import members_insert
from demo.services import DEMO_PASSWORD, demo_members
from notes.collection import notes_collection
from notes.models import Note
from tools.bench.environment import say
from tools.bench.figures import median, time_once, timed_repeats
from tools.bench.middleware import SAMPLING_INTERVAL, round_trips
from tools.bench.profiles import ProfileSummary, summarise
from users.models import User

ROOT = Path(__file__).resolve().parents[2]
READ_COUNT = 1000
# The fields a note card shows (templates/notes/_note_card.html): title, excerpt of the body,
# owner, date, checklist progress, tags, and the pinned/public badges.
LIST_FIELDS = ("owner_id", "title", "body", "updated_at", "checklist", "tags", "pinned", "visibility")
CACHE_VALUE = ('<article class="note-card"><a href="/notes/0/">A cached fragment</a></article>\n' * 40)[:2048]
Kind = Literal["time", "throughput"]


@dataclass
class Comparison:
    """One layer against the raw driver doing the same work."""

    key: str
    title: str
    subject: str  # what is measured, e.g. "Note.objects.all()[:1000]"
    baseline: str  # the raw equivalent
    kind: Kind  # "time": subject/baseline is an overhead factor; "throughput": baseline/subject is a share
    subject_seconds: list[float] = field(default_factory=list)
    baseline_seconds: list[float] = field(default_factory=list)
    per: str = ""  # e.g. "1,000 notes" — what one timed repeat does
    status: str = "measured"  # or "not built yet", "failed"
    reason: str = ""
    note: str = ""
    profile: ProfileSummary | None = None  # where the layer's time goes
    baseline_profile: ProfileSummary | None = None  # and the raw driver's, for comparison

    @property
    def measured(self) -> bool:
        return self.status == "measured" and bool(self.subject_seconds) and bool(self.baseline_seconds)

    @property
    def subject_time(self) -> float:
        return median(self.subject_seconds)

    @property
    def baseline_time(self) -> float:
        return median(self.baseline_seconds)

    @property
    def factor(self) -> float:
        """Subject time over baseline time: 1.0 is no overhead."""
        return self.subject_time / self.baseline_time

    @property
    def share(self) -> float:
        """Subject throughput as a share of the baseline's (baseline time over subject time)."""
        return self.baseline_time / self.subject_time


def side_by_side(
    comparison: Comparison, subject: Callable[[], object], baseline: Callable[[], object], *, repeats: int
) -> Comparison:
    """Time subject and baseline alternately, repeat by repeat, so drift affects both alike."""
    subject(), baseline()  # warm connections and caches on both sides
    for _ in range(repeats):
        comparison.subject_seconds += timed_repeats(subject, repeats=1, warmup=0)
        comparison.baseline_seconds += timed_repeats(baseline, repeats=1, warmup=0)
    say(f"{comparison.key}: {comparison.subject_time * 1000:.1f} ms vs {comparison.baseline_time * 1000:.1f} ms")
    return comparison


PROFILE_REPEATS = 5


def profiled(key: str, action: Callable[[], object], *, unit: str, repeats: int = PROFILE_REPEATS) -> ProfileSummary:
    """Run `action` `repeats` times under pyinstrument, apart from the timed repeats: where its time goes."""
    records = []
    with round_trips() as counts:
        for _ in range(repeats):
            profiler = Profiler(interval=SAMPLING_INTERVAL, async_mode="disabled")
            profiler.start()
            action()
            records += profiler.stop().frame_records
    return summarise(key, records, samples=repeats, unit=unit, round_trips=dict(counts))


def with_profiles(comparison: Comparison, subject: Callable[[], object], baseline: Callable[[], object]) -> Comparison:
    """Add the profiles of both sides, one profiled repeat standing for what one timed repeat does."""
    comparison.profile = profiled(comparison.key, subject, unit=comparison.per)
    comparison.baseline_profile = profiled(f"{comparison.key}-raw", baseline, unit=comparison.per)
    return comparison


# ----------------------------------------------------------------------------- document store reads
def orm_full_read(*, repeats: int) -> Comparison:
    collection = notes_collection()

    def subject() -> object:
        return list(Note.objects.all()[:READ_COUNT])

    def baseline() -> object:
        return list(collection.find({}, limit=READ_COUNT))

    comparison = side_by_side(
        Comparison(
            "orm-read",
            f"Read {READ_COUNT:,} full notes",
            f"list(Note.objects.all()[:{READ_COUNT}])",
            f"list(collection.find({{}}, limit={READ_COUNT}))",
            "time",
            per=f"{READ_COUNT:,} notes",
            note="model instances with their embedded checklist items, against the raw documents",
        ),
        subject,
        baseline,
        repeats=repeats,
    )
    return with_profiles(comparison, subject, baseline)


def list_fetch(*, repeats: int) -> list[Comparison]:
    collection = notes_collection()
    projection = dict.fromkeys(LIST_FIELDS, 1)
    fields = ", ".join(f'"{name}"' for name in LIST_FIELDS)
    raw = f"list(collection.find({{}}, projection, limit={READ_COUNT}))"
    only = side_by_side(
        Comparison(
            "list-only",
            f"List-page fetch of {READ_COUNT:,} notes, .only()",
            f"list(Note.objects.only({fields})[:{READ_COUNT}])",
            raw,
            "time",
            per=f"{READ_COUNT:,} notes",
            note="model instances with only the fields a note card shows (what a ListView would use)",
        ),
        lambda: list(Note.objects.only(*LIST_FIELDS)[:READ_COUNT]),
        lambda: list(collection.find({}, projection, limit=READ_COUNT)),
        repeats=repeats,
    )
    with_profiles(
        only,
        lambda: list(Note.objects.only(*LIST_FIELDS)[:READ_COUNT]),
        lambda: list(collection.find({}, projection, limit=READ_COUNT)),
    )
    values = side_by_side(
        Comparison(
            "list-values",
            f"List-page fetch of {READ_COUNT:,} notes, .values()",
            f'list(Note.objects.values("pk", {fields})[:{READ_COUNT}])',
            raw,
            "time",
            per=f"{READ_COUNT:,} notes",
            note="dictionaries instead of model instances",
        ),
        lambda: list(Note.objects.values("pk", *LIST_FIELDS)[:READ_COUNT]),
        lambda: list(collection.find({}, projection, limit=READ_COUNT)),
        repeats=repeats,
    )
    return [only, values]


@contextmanager
def stock_backend_reads() -> Iterator[None]:
    """Read through django-mongodb-backend's own query path (every read an aggregate), if the engine replaces it."""
    from django_mongodb_backend.query import MongoQuery

    from mongodb_engine import compiler

    replaced = compiler.SQLCompiler.query_class
    compiler.SQLCompiler.query_class = MongoQuery
    try:
        yield
    finally:
        compiler.SQLCompiler.query_class = replaced


def engine_replaces_reads() -> bool:
    from django_mongodb_backend.query import MongoQuery

    from mongodb_engine import compiler

    return compiler.SQLCompiler.query_class is not MongoQuery


def stock_full_read(*, repeats: int) -> Comparison:
    """The same read through the backend's stock aggregate path, to show what the engine's find path saves."""
    collection = notes_collection()

    def stock() -> None:
        with stock_backend_reads():
            list(Note.objects.all()[:READ_COUNT])

    return side_by_side(
        Comparison(
            "orm-read-stock",
            f"Read {READ_COUNT:,} full notes, backend's stock aggregate path",
            f"list(Note.objects.all()[:{READ_COUNT}]) as aggregate([{{$limit: {READ_COUNT}}}])",
            f"list(collection.find({{}}, limit={READ_COUNT}))",
            "time",
            per=f"{READ_COUNT:,} notes",
            note="django-mongodb-backend 5.2.4 sends every read as an aggregate pipeline",
        ),
        stock,
        lambda: list(collection.find({}, limit=READ_COUNT)),
        repeats=repeats,
    )


def stock_get_by_pk(*, repeats: int) -> Comparison:
    """A note's page lookup, Note.objects.get(pk=…), through the stock aggregate path and the engine's find()."""
    pk = notes_collection().find_one({}, {"_id": 1})["_id"]

    def stock() -> None:
        with stock_backend_reads():
            Note.objects.get(pk=pk)

    return side_by_side(
        Comparison(
            "get-stock",
            "One note by pk: backend's aggregate vs the engine's find()",
            "Note.objects.get(pk=…) as aggregate([{$match: {_id: …}}, …])",
            "Note.objects.get(pk=…) as find({_id: …}) (mongodb_engine)",
            "time",
            per="1 note",
            note="mongo-java-server runs every aggregate over the whole collection, even behind a $match "
            "on _id; find() uses the _id index",
        ),
        stock,
        lambda: Note.objects.get(pk=pk),
        repeats=repeats,
    )


# ----------------------------------------------------------------------------- relational writes
@contextmanager
def demo_prefix(prefix: str) -> Iterator[None]:
    """Make seed_demo name its members `<prefix>000001…`, apart from every demo member of the dataset."""
    original = demo.services.DEMO_PREFIX
    demo.services.DEMO_PREFIX = prefix
    try:
        yield
    finally:
        demo.services.DEMO_PREFIX = original


SEED_PREFIX = "benchseed"
SEED_BATCH = 500  # seed_demo's default --batch-size


def delete_scratch_members() -> None:
    """Remove the members the seed measurement wrote (plain SQL: no signals, nothing else touched)."""
    table = connections["default"].ops.quote_name(User._meta.db_table)
    with connections["default"].cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE username LIKE %s", [f"{SEED_PREFIX}%"])


def built_members(count: int, *, seed: int) -> list[User]:
    """The members seed_demo makes for numbers 1..count, by its own code (Faker, the password hashed once)."""
    with demo_prefix(SEED_PREFIX):
        return demo_members(range(1, count + 1), base_seed=seed, password=make_password(DEMO_PASSWORD), fake=Faker())


def member_rows(members: list[User]) -> list[tuple]:
    """The DB-API rows of `members`: every value prepared by its field, as the ORM would send it."""
    connection = connections["default"]
    fields = [f for f in User._meta.concrete_fields if not f.primary_key]
    return [tuple(f.get_db_prep_save(f.pre_save(member, True), connection) for f in fields) for member in members]


def insert_member_rows(rows: list[tuple]) -> None:
    """executemany on the raw DB-API connection, one transaction per batch as seed_demo commits."""
    connection = connections["default"]
    connection.ensure_connection()
    fields = [f for f in User._meta.concrete_fields if not f.primary_key]
    marker = "?" if connection.vendor == "sqlite" else "%s"
    statement = (
        f"INSERT INTO {connection.ops.quote_name(User._meta.db_table)} "
        f"({', '.join(connection.ops.quote_name(f.column) for f in fields)}) "
        f"VALUES ({', '.join([marker] * len(fields))})"
    )
    for start in range(0, len(rows), SEED_BATCH):
        with transaction.atomic(using="default"):
            raw_cursor = connection.connection.cursor()
            raw_cursor.executemany(statement, rows[start : start + SEED_BATCH])
            raw_cursor.close()


def write_members(members: list[User]) -> None:
    """seed_demo's write path: its members_insert() per batch, each batch its own transaction."""
    for start in range(0, len(members), SEED_BATCH):
        members_insert(members[start : start + SEED_BATCH])


def bulk_create_members(members: list[User]) -> None:
    for start in range(0, len(members), SEED_BATCH):
        with transaction.atomic(using="default"):
            User.objects.bulk_create(members[start : start + SEED_BATCH])


def unsaved(members: list[User]) -> list[User]:
    """Fresh unsaved copies, so that every timed write starts from the same members."""
    return [User(**{f.attname: getattr(member, f.attname) for f in User._meta.concrete_fields}) for member in members]


def seed_users(*, count: int, seed: int, repeats: int) -> list[Comparison]:
    """seed_demo's member write path, members built beforehand, against raw executemany of the same rows."""
    per = f"{count:,} members"
    baseline = "executemany() on the DB-API connection, same rows"
    write = Comparison(
        "seed-users",
        f"Write {count:,} members",
        f"members_insert() per batch of {SEED_BATCH} (seed_demo's write path), members built beforehand",
        baseline,
        "throughput",
        per=per,
        note="the ORM's INSERT compiled once per batch and sent with executemany, the members' pks read back, "
        "their topics bumped in Redis on commit; Faker and the password hash are the next row",
    )
    generation = Comparison(
        "seed-users-rows",
        f"Making {count:,} members with Faker (seed_demo, before it writes)",
        "demo_members(), the password hashed once, no writes",
        baseline,
        "time",
        per=per,
    )
    bulk = Comparison(
        "seed-users-bulk",
        f"User.objects.bulk_create of {count:,} ready-made members",
        f"bulk_create(batch of {SEED_BATCH}), members built beforehand",
        baseline,
        "time",
        per=per,
        note="what seed_demo used to write with: the ORM's generic bulk path",
    )
    delete_scratch_members()
    try:
        members = built_members(count, seed=seed)
        rows = member_rows(members)
        for _ in range(repeats):
            generation.subject_seconds.append(time_once(partial(built_members, count, seed=seed))[0])
            write.subject_seconds.append(time_once(partial(write_members, unsaved(members)))[0])
            delete_scratch_members()
            raw, _ = time_once(partial(insert_member_rows, rows))
            for measured in (write, generation, bulk):
                measured.baseline_seconds.append(raw)
            delete_scratch_members()
            bulk.subject_seconds.append(time_once(partial(bulk_create_members, unsaved(members)))[0])
            delete_scratch_members()
        write.profile = profiled("seed-users", partial(write_members, unsaved(members)), unit=per, repeats=1)
        delete_scratch_members()
        write.baseline_profile = profiled("seed-users-raw", partial(insert_member_rows, rows), unit=per, repeats=1)
    finally:
        delete_scratch_members()
    say(f"seed-users: {write.subject_time * 1000:.0f} ms vs {write.baseline_time * 1000:.0f} ms")
    return [write, generation, bulk]


# ----------------------------------------------------------------------------- cache
def cache_hit(*, gets: int, repeats: int) -> list[Comparison]:
    """A cache hit through django-redis against redis-py's GET of the same key on the same server.

    Each side holds its client: django-redis's cache object as `caches["default"]` returns it, the
    raw side its `redis.Redis`. Django's `cache` proxy would look the cache up again in a per-context
    store on every call (~1.5 µs, Django's, not django-redis's), which the raw side does not pay.
    """
    django_cache = caches["default"]
    django_cache.set("bench:fragment", CACHE_VALUE, timeout=600)
    key = django_cache.make_key("bench:fragment")
    raw = redis.Redis.from_url(settings.CACHE_URL)
    assert django_cache.get("bench:fragment") == CACHE_VALUE
    assert raw.get(key) is not None

    def through_django() -> None:
        for _ in range(gets):
            django_cache.get("bench:fragment")

    def raw_get() -> None:
        for _ in range(gets):
            raw.get(key)

    def raw_get_unpickled() -> None:
        for _ in range(gets):
            pickle.loads(raw.get(key))

    per = f"{gets:,} GETs of a {len(CACHE_VALUE.encode()):,}-byte value"
    results = [
        side_by_side(
            Comparison(
                "cache-hit",
                "Cache hit",
                'caches["default"].get(key) (django-redis)',
                "redis.Redis.get(key)",
                "time",
                per=per,
                note="django-redis also unpickles the value; the raw GET returns bytes",
            ),
            through_django,
            raw_get,
            repeats=repeats,
        ),
        side_by_side(
            Comparison(
                "cache-hit-unpickled",
                "Cache hit, raw GET also unpickled",
                'caches["default"].get(key) (django-redis)',
                "pickle.loads(redis.Redis.get(key))",
                "time",
                per=per,
                note="the same work on both sides: what django-redis itself adds",
            ),
            through_django,
            raw_get_unpickled,
            repeats=repeats,
        ),
    ]
    with_profiles(results[1], through_django, raw_get_unpickled)
    django_cache.delete("bench:fragment")
    return results
