"""The home page for visitors: what Polystore is, the newest public notes, this week's most viewed, kept in Redis."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connections
from django.urls import reverse

from notes.counters import note_view_record
from notes.models import Note
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def test_a_visitor_learns_what_polystore_is_and_how_to_join(client):
    content = client.get("/").content.decode()

    assert "Markdown" in content
    assert "Checklists" in content
    assert f'href="{reverse("users:signup")}" role="button">Sign up</a>' in content
    assert f'href="{reverse("users:login")}" role="button" class="secondary outline">Log in</a>' in content
    assert "No public notes yet" in content


def test_a_visitor_sees_the_newest_public_notes_as_cards_with_their_owners(client, alice, bob):
    for n in range(8):
        NoteFactory(owner_id=alice.pk, public=True, title=f"Shared {n}", tags=["trip"])
    NoteFactory(owner_id=bob.pk, title="Bob's secret")

    response = client.get("/")
    content = response.content.decode()

    assert [note.title for note in response.context["public_notes"]] == [f"Shared {n}" for n in range(7, 1, -1)]
    assert content.count('class="note-card"') == 6
    assert "by alice" in content
    assert "Bob&#x27;s secret" not in content
    assert 'href="/notes/public/?tag=trip"' in content
    assert 'action="/notes/' not in content  # no pin or tick forms: the cards are not the visitor's


def test_public_notes_of_members_who_are_gone_are_left_out(client, alice):
    NoteFactory(owner_id=alice.pk, public=True, title="Shared")
    NoteFactory(owner_id=999_999, public=True, title="Nobody's note")

    response = client.get("/")

    assert [note.title for note in response.context["public_notes"]] == ["Shared"]
    assert "Nobody" not in response.content.decode()


def test_most_viewed_hides_private_notes_and_orphans(client, alice):
    public = NoteFactory(owner_id=alice.pk, public=True, title="Public favourite")
    private = NoteFactory(owner_id=alice.pk, title="Alice's secret")
    orphan = NoteFactory(owner_id=999_999, public=True, title="Nobody's note")
    for note, views in ((public, 3), (private, 5), (orphan, 7)):
        for _ in range(views):
            note_view_record(note_id=note.pk, owner_id=note.owner_id)

    content = client.get("/").content.decode()

    assert "Public favourite</a> by alice · 3 views" in content
    assert "Alice&#x27;s secret" not in content
    assert "Nobody" not in content


@pytest.mark.parametrize("notes", [1, 6])
def test_the_page_costs_the_same_queries_for_one_note_or_six(client, alice, django_assert_num_queries, notes):
    for _ in range(notes):
        note = NoteFactory(owner_id=alice.pk, public=True)
        note_view_record(note_id=note.pk, owner_id=alice.pk)

    # The owners' names (then kept in Redis); the public notes and the most viewed.
    with django_assert_num_queries(1), django_assert_num_queries(2, connection=connections["mongodb"]):
        response = client.get("/")

    assert len(response.context["public_notes"]) == notes


def test_the_page_is_kept_in_redis_until_a_note_or_a_member_changes(client, alice, django_assert_num_queries):
    note = NoteFactory(owner_id=alice.pk, public=True, title="First")
    first = client.get("/").content

    with django_assert_num_queries(0), django_assert_num_queries(0, connection=connections["mongodb"]):
        again = client.get("/").content
    assert again == first

    NoteFactory(owner_id=alice.pk, public=True, title="Second")
    assert b"Second" in client.get("/").content

    alice.display_name = "Alice Liddell"
    alice.save()
    assert b"by Alice Liddell" in client.get("/").content

    note.visibility = Note.Visibility.PRIVATE
    note.save()
    assert b"First" not in client.get("/").content


def test_a_member_is_never_served_the_visitors_copy(client, alice):
    NoteFactory(owner_id=alice.pk, public=True, title="Shared")
    client.get("/")
    assert cache.keys("page:*")

    client.force_login(alice)
    content = client.get("/").content.decode()

    assert "Write a note" in content
    assert "Sign up" not in content


def test_the_page_answers_while_redis_is_down(client, own_redis):
    NoteFactory(owner_id=UserFactory().pk, public=True, title="Still here")
    own_redis.stop()

    response = client.get("/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Still here" in content
    assert content.count("Unavailable.") == 1  # the most viewed live in Redis
