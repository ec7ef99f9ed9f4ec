from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from users.models import User

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def demo_rows() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM users_user WHERE email LIKE %s", ["%@demo.polystore.test"])
        return cursor.fetchone()[0]


def test_seed_writes_members_to_the_relational_store_and_notes_to_mongodb(mongo_db):
    output = seed("--users", "12", "--notes-per-user", "3", "--seed", "7", "--batch-size", "5")

    assert "Created 12 demo members and 36 notes" in output
    assert demo_rows() == 12
    owners = {row["pk"] for row in User.objects.filter(email__endswith="@demo.polystore.test").values("pk")}
    assert mongo_db["notes_note"].count_documents({"owner_id": {"$in": list(owners)}}) == 36
    document = mongo_db["notes_note"].find_one({"owner_id": min(owners)})
    assert document["title"]
    assert isinstance(document["tags"], list)
    assert isinstance(document["checklist"], list)


def test_seeding_twice_adds_nothing(mongo_db):
    seed("--users", "4", "--notes-per-user", "2", "--seed", "1")

    output = seed("--users", "4", "--notes-per-user", "2", "--seed", "1")

    assert "Created 0 demo members and 0 notes (4 members were there already)" in output
    assert demo_rows() == 4
    assert mongo_db["notes_note"].count_documents({}) == 8


def test_the_same_seed_gives_the_same_data(mongo_db):
    def snapshot() -> tuple[list, list]:
        members = sorted(
            User.objects.filter(email__endswith="@demo.polystore.test").values_list("username", "display_name", "age")
        )
        titles = sorted(
            (d["title"], tuple(d["tags"])) for d in mongo_db["notes_note"].find({}, {"title": 1, "tags": 1})
        )
        return members, titles

    seed("--users", "3", "--notes-per-user", "2", "--seed", "42")
    first = snapshot()
    seed("--users", "3", "--notes-per-user", "2", "--seed", "42", "--reset")

    assert snapshot() == first


def test_reset_removes_demo_members_and_their_notes_but_no_one_else(alice, mongo_db):
    mongo_db["notes_note"].insert_one({"owner_id": alice.pk, "title": "Alice's own"})
    seed("--users", "3", "--notes-per-user", "2")
    mongo_db["notes_note"].update_one(
        {"owner_id": {"$ne": alice.pk}}, {"$set": {"trashed_at": datetime.datetime(2026, 1, 1)}}
    )

    output = seed("--users", "0", "--reset")

    assert "Removed 3 demo members and 6 notes" in output
    assert demo_rows() == 0
    assert User.objects.filter(pk=alice.pk).exists()
    assert mongo_db["notes_note"].count_documents({}) == 1


def test_demo_members_can_log_in(client):
    seed("--users", "1", "--notes-per-user", "0")

    assert client.login(username="demo000001", password="polystore-demo")


@pytest.mark.parametrize(
    ("option", "value"), [("--users", "-1"), ("--users", "many"), ("--notes-per-user", "1.5"), ("--batch-size", "0")]
)
def test_bad_counts_are_command_errors_naming_the_option(option, value):
    with pytest.raises(CommandError, match=option.removeprefix("--").replace("-", "[-_]") + "|batch-size"):
        seed(option, value)


def test_no_progress_bar_when_output_is_not_a_terminal(capsys):
    seed("--users", "2", "--notes-per-user", "1")

    assert capsys.readouterr().err == ""


def test_one_member_and_one_note_are_counted_in_the_singular():
    assert seed("--users", "1", "--notes-per-user", "1", "--seed", "1") == (
        "Created 1 demo member and 1 note (0 members were there already).\n"
    )
    assert seed("--users", "1", "--notes-per-user", "1", "--seed", "1") == (
        "Created 0 demo members and 0 notes (1 member was there already).\n"
    )
    assert seed("--reset", "--users", "0").startswith("Removed 1 demo member and 1 note.\n")
