"""The trash: deleting moves a note there for 30 days, Undo and Restore bring it back, and only its owner sees it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django_redis import get_redis_connection

from notes.counters import leaderboard_key, note_view_record, view_count_key
from notes.integrity import orphan_notes
from notes.member_notes import member_notes
from notes.models import Note
from notes.services import note_trash, note_update
from tests.factories import NoteFactory, UserFactory
from users.services import user_delete

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def trashed(alice):
    """A public note of alice's, moved to the trash a day ago."""
    return NoteFactory(owner_id=alice.pk, title="Old recipe", public=True, trashed_at=days_ago(1))


@pytest.fixture
def live(alice):
    return NoteFactory(owner_id=alice.pk, title="Shopping", public=True)


def url(name: str, note: Note | None = None) -> str:
    return reverse(f"notes:{name}", args=[] if note is None else [note.pk])


def titles(response) -> list[str]:
    return [note.title for note in response.context["notes"]]


def stored(mongo_db, note: Note) -> dict | None:
    return mongo_db["notes_note"].find_one({"_id": note.pk})


# ----------------------------------------------------------------------------- what shows


def test_the_default_manager_leaves_trashed_notes_out_and_the_other_keeps_them(live, trashed):
    assert list(Note.objects.all()) == [live]
    assert Note.objects.filter(pk=trashed.pk).first() is None
    assert set(Note.everything.all()) == {live, trashed}
    assert list(Note.everything.trashed()) == [trashed]
    assert Note._default_manager is Note.objects  # the admin and every generic view use it


def test_no_list_shows_a_trashed_note(client, alice_client, alice, live, trashed):
    for response in (
        alice_client.get(url("list")),
        alice_client.get(url("list"), {"q": "recipe"}),
        client.get(url("public")),
        client.get(url("public"), {"q": "recipe"}),
    ):
        assert "Old recipe" not in titles(response)
    profile = client.get(reverse("users:profile", args=[alice.pk])).content.decode()
    assert "Shopping" in profile
    assert "Old recipe" not in profile
    assert (member_notes([alice.pk]).public_count, member_notes([alice.pk]).count) == (1, 2)


def test_a_document_from_before_the_trash_is_live(alice_client, alice, mongo_db):
    note = NoteFactory(owner_id=alice.pk, title="Older")
    mongo_db["notes_note"].update_one({"_id": note.pk}, {"$unset": {"trashed_at": ""}})

    assert titles(alice_client.get(url("list"))) == ["Older"]
    assert Note.objects.get(pk=note.pk).trashed_at is None
    assert alice_client.get(url("detail", note)).status_code == 200


def test_an_edit_from_a_stale_copy_leaves_the_note_in_the_trash(live, mongo_db):
    stale = Note.objects.get(pk=live.pk)
    note_trash(note=live)

    note_update(
        note=stale,
        title="Edited elsewhere",
        body="",
        visibility=stale.visibility,
        pinned=False,
        tags=[],
        checklist=[],
        attributes={},
    )

    assert stored(mongo_db, live)["trashed_at"] is not None


# ----------------------------------------------------------------------------- moving to the trash, and Undo


def test_deleting_moves_the_note_to_the_trash_and_offers_undo(alice_client, live, mongo_db):
    before = stored(mongo_db, live)

    response = alice_client.post(url("delete", live), follow=True)

    assert response.redirect_chain == [(url("list"), 302)]
    page = response.content.decode()
    assert "Moved “Shopping” to the trash." in page
    assert re.search(
        rf'<form method="post" action="{url("restore", live)}"[^>]*>\s*<input[^>]+csrfmiddlewaretoken', page
    )
    assert ">Undo</button>" in page
    assert titles(response) == []
    after = stored(mongo_db, live)
    assert abs(after["trashed_at"] - timezone.now().replace(tzinfo=None)) < datetime.timedelta(minutes=1)
    assert {k: v for k, v in after.items() if k != "trashed_at"} == {
        k: v for k, v in before.items() if k != "trashed_at"
    }


def test_undo_brings_the_note_back_to_its_page_and_its_place(alice_client, alice, live, mongo_db):
    newer = NoteFactory(owner_id=alice.pk, title="Newer")
    alice_client.post(url("delete", live))

    response = alice_client.post(url("restore", live), follow=True)

    assert response.redirect_chain == [(url("detail", live), 302)]
    assert "Restored “Shopping”." in response.content.decode()
    assert stored(mongo_db, live)["trashed_at"] is None
    assert titles(alice_client.get(url("list"))) == [newer.title, "Shopping"]


def test_my_notes_count_kept_in_redis_follows_the_trash(alice_client, alice, live):
    NoteFactory(owner_id=alice.pk, title="Another")
    assert alice_client.get(url("list")).context["page_obj"].paginator.count == 2

    alice_client.post(url("delete", live))
    assert alice_client.get(url("list")).context["page_obj"].paginator.count == 1

    alice_client.post(url("restore", live))
    assert alice_client.get(url("list")).context["page_obj"].paginator.count == 2


def test_public_count_kept_in_redis_follows_the_trash(client, alice_client, live):
    assert client.get(url("public")).context["page_obj"].paginator.count == 1

    alice_client.post(url("delete", live))

    assert client.get(url("public")).context["page_obj"].paginator.count == 0


def test_staff_move_a_members_note_to_its_owners_trash_without_an_undo(staff_client, live, mongo_db):
    response = staff_client.post(url("delete", live), follow=True)

    page = response.content.decode()
    assert "Moved “Shopping” to its owner’s trash." in page
    assert "Undo" not in page
    assert stored(mongo_db, live)["trashed_at"] is not None
    assert staff_client.post(url("restore", live)).status_code == 404


# ----------------------------------------------------------------------------- the trash page


def test_the_trash_page_lists_the_members_trashed_notes_latest_first_with_the_days_left(alice_client, alice, bob):
    NoteFactory(owner_id=alice.pk, title="A week ago", trashed_at=days_ago(7.5))
    NoteFactory(owner_id=alice.pk, title="Just now", trashed_at=days_ago(0))
    NoteFactory(owner_id=alice.pk, title="Last day", trashed_at=days_ago(29.5))
    NoteFactory(owner_id=alice.pk, title="Live")
    NoteFactory(owner_id=bob.pk, title="Bob's", trashed_at=days_ago(1))

    response = alice_client.get(url("trash"))

    assert titles(response) == ["Just now", "A week ago", "Last day"]
    page = re.sub(r"\s+", " ", response.content.decode())
    assert "deleted in 29 days" in page
    assert "deleted in 22 days" in page
    assert "deleted within a day" in page
    assert "3 notes in the trash" in page
    assert page.count(">Restore</button>") == 3
    assert page.count(">Delete forever</a>") == 3
    assert f'href="{url("trash_empty")}"' in page


def test_my_notes_link_to_the_trash(alice_client):
    assert f'href="{url("trash")}"' in alice_client.get(url("list")).content.decode()


def test_an_empty_trash_says_so(alice_client, live):
    response = alice_client.get(url("trash"))

    assert "Your trash is empty." in response.content.decode()
    assert "Empty trash" not in response.content.decode()


def test_the_trash_is_paginated_and_a_page_past_the_end_goes_to_the_last(alice_client, alice):
    for n in range(21):
        NoteFactory(owner_id=alice.pk, title=f"Trashed {n}", trashed_at=days_ago(n / 24))

    assert len(titles(alice_client.get(url("trash")))) == 20
    assert titles(alice_client.get(url("trash"), {"page": 2})) == ["Trashed 20"]
    assert alice_client.get(url("trash"), {"page": 9})["Location"] == f"{url('trash')}?page=2"


def test_restore_from_the_trash_page_comes_back_to_it(alice_client, trashed, mongo_db):
    back = f"{url('trash')}?page=1"

    response = alice_client.post(url("restore", trashed), {"next": back})

    assert response["Location"] == back
    assert stored(mongo_db, trashed)["trashed_at"] is None


def test_delete_forever_asks_then_deletes_the_note_and_its_counters(alice_client, bob, trashed, mongo_db):
    note_view_record(note_id=trashed.pk, owner_id=trashed.owner_id, viewer_id=bob.pk)
    redis = get_redis_connection("default")

    confirmation = alice_client.get(url("delete_forever", trashed))
    assert "Delete “Old recipe” for good?" in confirmation.content.decode()
    assert stored(mongo_db, trashed) is not None

    response = alice_client.post(url("delete_forever", trashed), follow=True)

    assert response.redirect_chain == [(url("trash"), 302)]
    assert "Deleted “Old recipe” for good." in response.content.decode()
    assert stored(mongo_db, trashed) is None
    assert redis.get(view_count_key(trashed.pk)) is None
    assert redis.zscore(leaderboard_key(), str(trashed.pk)) is None


def test_empty_trash_asks_then_deletes_only_the_members_trashed_notes(alice_client, alice, bob, live, mongo_db):
    NoteFactory(owner_id=alice.pk, title="One", trashed_at=days_ago(1))
    NoteFactory(owner_id=alice.pk, title="Two", trashed_at=days_ago(2))
    bobs = NoteFactory(owner_id=bob.pk, trashed_at=days_ago(1))

    confirmation = alice_client.get(url("trash_empty"))
    assert "Delete the 2 notes in your trash for good?" in confirmation.content.decode()

    response = alice_client.post(url("trash_empty"), follow=True)

    assert response.redirect_chain == [(url("trash"), 302)]
    assert "Deleted 2 notes for good." in response.content.decode()
    assert {document["title"] for document in mongo_db["notes_note"].find()} == {live.title, bobs.title}


def test_emptying_an_empty_trash_says_it_was_empty(alice_client, live, mongo_db):
    assert "Your trash is empty" in alice_client.get(url("trash_empty")).content.decode()

    response = alice_client.post(url("trash_empty"), follow=True)

    assert "The trash was already empty." in response.content.decode()
    assert stored(mongo_db, live) is not None


# ----------------------------------------------------------------------------- who may


def test_the_owner_sees_a_trashed_notes_page_with_a_restore_banner_and_nothing_to_edit(alice_client, trashed):
    page = re.sub(r"\s+", " ", alice_client.get(url("detail", trashed)).content.decode())

    assert "This note is in the trash: it will be deleted for good in 28 days." in page
    assert f'action="{url("restore", trashed)}"' in page
    assert f'href="{url("delete_forever", trashed)}"' in page
    assert f'href="{url("edit", trashed)}"' not in page
    assert f'action="{url("pin", trashed)}"' not in page


def test_a_trashed_note_cannot_be_edited_pinned_ticked_or_trashed_again(alice_client, trashed, mongo_db):
    before = stored(mongo_db, trashed)

    assert alice_client.get(url("edit", trashed)).status_code == 404
    assert alice_client.post(url("edit", trashed), {"title": "Changed"}).status_code == 404
    assert alice_client.post(url("pin", trashed), {"pinned": "1"}).status_code == 404
    assert alice_client.post(reverse("notes:check", args=[trashed.pk, 0]), {"done": "1"}).status_code == 404
    assert alice_client.get(url("delete", trashed)).status_code == 404
    assert alice_client.post(url("delete", trashed)).status_code == 404
    assert stored(mongo_db, trashed) == before


@pytest.mark.parametrize("persona", ["client", "bob_client", "staff_client"])
def test_everyone_but_the_owner_gets_404_for_a_trashed_note(request, persona, trashed, mongo_db):
    client = request.getfixturevalue(persona)
    before = stored(mongo_db, trashed)

    assert client.get(url("detail", trashed)).status_code == 404
    if persona != "client":
        assert client.post(url("restore", trashed)).status_code == 404
        assert client.get(url("delete_forever", trashed)).status_code == 404
        assert client.post(url("delete_forever", trashed)).status_code == 404
        assert trashed.title not in client.get(url("trash")).content.decode()
        client.post(url("trash_empty"))
    assert stored(mongo_db, trashed) == before


def test_restore_and_delete_forever_of_a_live_note_are_404(alice_client, live, mongo_db):
    assert alice_client.post(url("restore", live)).status_code == 404
    assert alice_client.get(url("delete_forever", live)).status_code == 404
    assert alice_client.post(url("delete_forever", live)).status_code == 404
    assert stored(mongo_db, live) is not None


def test_anonymous_visitors_are_sent_to_log_in(client, trashed, mongo_db):
    login = reverse("users:login")
    for method, name, note in [
        ("get", "trash", None),
        ("get", "trash_empty", None),
        ("post", "trash_empty", None),
        ("post", "restore", trashed),
        ("get", "delete_forever", trashed),
        ("post", "delete_forever", trashed),
    ]:
        response = getattr(client, method)(url(name, note))
        assert (response.status_code, response["Location"].split("?")[0]) == (302, login), (method, name)
    assert client.get(url("restore", trashed)).status_code == 405
    assert stored(mongo_db, trashed)["trashed_at"] is not None


# ----------------------------------------------------------------------------- members and integrity


def test_deleting_a_member_deletes_their_trashed_notes_too(
    alice, live, trashed, mongo_db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=alice)

    assert mongo_db["notes_note"].count_documents({"owner_id": alice.pk}) == 0


def test_the_account_deletion_page_counts_the_trashed_notes_that_go_too(alice_client, alice, live, trashed):
    page = alice_client.get(reverse("users:delete", args=[alice.pk])).content.decode()

    assert "all <strong>2 notes</strong>" in page


def test_integrity_keeps_trashed_notes_of_members_and_finds_trashed_orphans(alice, trashed):
    gone = UserFactory(username="gone")
    NoteFactory(owner_id=gone.pk, trashed_at=days_ago(3))
    NoteFactory(owner_id=gone.pk)
    type(gone).objects.filter(pk=gone.pk).delete()  # the relational delete alone, as when MongoDB was away

    assert orphan_notes() == {gone.pk: 2}


# ----------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("notes_on_page", [1, 20])
def test_the_trash_page_costs_the_same_queries_for_one_note_or_twenty(
    alice_client, alice, django_assert_num_queries, notes_on_page
):
    for n in range(notes_on_page):
        NoteFactory(owner_id=alice.pk, title=f"trashed {n}", trashed_at=days_ago(1))

    # the member's row; the count and the page on MongoDB
    with django_assert_num_queries(1), django_assert_num_queries(2, connection=connections["mongodb"]):
        response = alice_client.get(url("trash"))

    assert len(titles(response)) == notes_on_page


def test_trash_restore_and_delete_forever_cost_one_document_read_and_one_write(
    alice_client, trashed, live, django_assert_num_queries
):
    alice_client.get(url("detail", live))  # the owner's name is now in Redis

    with django_assert_num_queries(1), django_assert_num_queries(2, connection=connections["mongodb"]):
        alice_client.post(url("delete", live))
    with django_assert_num_queries(1), django_assert_num_queries(2, connection=connections["mongodb"]):
        alice_client.post(url("restore", live))
