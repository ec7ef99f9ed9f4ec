"""user_delete: the relational row first, the member's notes after the commit, never a lost delete."""

from __future__ import annotations

import json
import sqlite3

import pytest
from django.db import transaction

from tests.factories import NoteFactory, UserFactory
from users.models import User
from users.services import user_delete, users_delete

# Tests on both stores run outside a test transaction (MongoDB has none to roll back), so
# these commits are real and on_commit callbacks run when the outermost atomic block ends.
pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


DELETE_WHILE_THE_DOCUMENT_STORE_IS_DOWN = """
import json
from django.core.management import call_command
from users.models import User
from users.services import user_delete

call_command("migrate", verbosity=0)
member = User.objects.create_user("leaving", "leaving@example.com", "a long enough password")
member_id = member.pk
user_delete(user=member)
print(json.dumps({"deleted": member_id, "remaining": User.objects.filter(username="leaving").count()}))
"""


def test_notes_are_deleted_only_after_the_relational_delete_commits(alice, bob, mongo_db):
    alice_id = alice.pk
    NoteFactory.create_batch(3, owner_id=alice_id)
    NoteFactory(owner_id=bob.pk)

    with transaction.atomic():
        user_delete(user=alice)
        assert not User.objects.filter(pk=alice_id).exists()
        assert mongo_db["notes_note"].count_documents({"owner_id": alice_id}) == 3

    assert mongo_db["notes_note"].count_documents({"owner_id": alice_id}) == 0
    assert mongo_db["notes_note"].count_documents({"owner_id": bob.pk}) == 1


def test_no_note_is_deleted_when_the_relational_delete_rolls_back(alice, mongo_db):
    NoteFactory(owner_id=alice.pk)

    def delete_then_fail() -> None:
        with transaction.atomic():
            user_delete(user=alice)
            raise RuntimeError("the request failed after the delete")

    with pytest.raises(RuntimeError):
        delete_then_fail()

    assert User.objects.filter(username="alice").exists()
    assert mongo_db["notes_note"].count_documents({"owner_id": User.objects.get(username="alice").pk}) == 1


def test_several_members_go_in_one_transaction_and_then_each_ones_notes(mongo_db):
    ids = [member.pk for member in UserFactory.create_batch(3)]
    for member_id in ids:
        NoteFactory.create_batch(2, owner_id=member_id)

    users_delete(users=User.objects.filter(pk__in=ids))

    assert User.objects.filter(pk__in=ids).count() == 0
    assert mongo_db["notes_note"].count_documents({"owner_id": {"$in": ids}}) == 0


def test_member_is_deleted_and_the_failure_logged_when_the_document_store_is_down(manage, closed_port, tmp_path):
    database = tmp_path / "relational.sqlite3"

    result = manage(
        "shell",
        "-c",
        DELETE_WHILE_THE_DOCUMENT_STORE_IS_DOWN,
        env={"DATABASE_URL": f"sqlite:///{database}", "MONGODB_URI": f"mongodb://127.0.0.1:{closed_port}/polystore"},
    )

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["remaining"] == 0
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM users_user WHERE username = 'leaving'").fetchone() == (0,)
    output = result.stdout + result.stderr
    assert f"WARNING notes.receivers Member {answer['deleted']} was deleted but their notes were not" in output
    assert "check_integrity --fix" in output
