"""A member's home: a button to write, their totals, pinned and recent notes, tags with counts, recently viewed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from home.sections import PINNED_SHOWN, RECENT_SHOWN
from notes.counters import note_view_record
from notes.models import ChecklistItem, Note
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def age(note: Note, *, minutes: int) -> Note:
    """Make `note` look last changed `minutes` ago (a queryset update leaves auto_now alone)."""
    Note.objects.filter(pk=note.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=minutes))
    return note


def titles(notes: list[Note]) -> list[str]:
    return [note.title for note in notes]


def figures(content: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>(?:<a [^>]+>)?(\d+)", content))


def test_a_member_is_invited_to_write_a_note(alice_client):
    content = alice_client.get("/").content.decode()

    assert f'<a href="{reverse("notes:create")}" role="button" class="home-write">Write a note</a>' in content
    assert "You have no notes yet" in content
    assert figures(content) == {"Notes": "0", "Public": "0", "Pinned": "0", "Items to do": "0"}


def test_a_member_sees_only_their_notes_pinned_first_then_the_newest(alice_client, alice, bob):
    age(NoteFactory(owner_id=alice.pk, title="old"), minutes=30)
    age(NoteFactory(owner_id=alice.pk, title="new", public=True), minutes=1)
    age(NoteFactory(owner_id=alice.pk, title="pinned old", pinned=True), minutes=60)
    age(NoteFactory(owner_id=alice.pk, title="pinned new", pinned=True), minutes=10)
    NoteFactory(owner_id=bob.pk, title="Bob's secret", pinned=True)
    NoteFactory(owner_id=bob.pk, title="Bob's public", public=True)

    response = alice_client.get("/")
    content = response.content.decode()

    assert titles(response.context["pinned"]) == ["pinned new", "pinned old"]
    assert titles(response.context["recent"]) == ["new", "old"]
    assert content.index("pinned new") < content.index("pinned old") < content.index(">new<") < content.index(">old<")
    assert "Bob&#x27;s" not in content
    assert figures(content) == {"Notes": "4", "Public": "1", "Pinned": "2", "Items to do": "0"}


def test_the_home_shows_a_few_notes_of_each_kind(alice_client, alice):
    for n in range(PINNED_SHOWN + 2):
        NoteFactory(owner_id=alice.pk, pinned=True, title=f"pinned {n}")
    for n in range(RECENT_SHOWN + 2):
        NoteFactory(owner_id=alice.pk, title=f"recent {n}")

    response = alice_client.get("/")

    assert len(response.context["pinned"]) == PINNED_SHOWN
    assert len(response.context["recent"]) == RECENT_SHOWN
    assert figures(response.content.decode())["Notes"] == str(PINNED_SHOWN + RECENT_SHOWN + 4)


def test_tags_are_counted_and_link_to_my_notes_filtered_by_tag(alice_client, alice, bob):
    NoteFactory(owner_id=alice.pk, tags=["trip", "food"])
    NoteFactory(owner_id=alice.pk, tags=["trip"])
    NoteFactory(owner_id=bob.pk, tags=["trip", "bobs-tag"], public=True)

    content = alice_client.get("/").content.decode()
    tags = re.findall(r'<li><a class="note-tag" href="([^"]+)">#([^<]+)</a> <small>(\d+)</small></li>', content)

    assert tags == [("/notes/?tag=trip", "trip", "2"), ("/notes/?tag=food", "food", "1")]
    assert "bobs-tag" not in content
    assert content.count('<a class="note-tag" href="/notes/?tag=trip">#trip</a>') == 3  # the cards' tags too


def test_open_checklist_items_are_counted_across_notes(alice_client, alice):
    NoteFactory(owner_id=alice.pk, checklist=[ChecklistItem(text="milk"), ChecklistItem(text="eggs", done=True)])
    NoteFactory(owner_id=alice.pk, checklist=[ChecklistItem(text="bread"), ChecklistItem(text="jam")])

    assert figures(alice_client.get("/").content.decode())["Items to do"] == "3"


def test_recently_viewed_shows_what_the_member_may_still_read(alice_client, alice, bob):
    mine = NoteFactory(owner_id=alice.pk, title="Shopping list")
    shared = NoteFactory(owner_id=bob.pk, title="Bob's recipe", public=True)
    withdrawn = NoteFactory(owner_id=bob.pk, title="Bob's draft", public=True)
    for note in (withdrawn, shared, mine):
        alice_client.get(reverse("notes:detail", args=[note.pk]))
    withdrawn.visibility = Note.Visibility.PRIVATE
    withdrawn.save()

    response = alice_client.get("/")

    assert titles(response.context["recently_viewed"]) == ["Shopping list", "Bob's recipe"]
    assert "Bob&#x27;s recipe</a> <small>by bob</small>" in response.content.decode()
    assert "Bob&#x27;s draft" not in response.content.decode()


@pytest.mark.parametrize("notes", [1, 20])
def test_the_home_costs_the_same_queries_for_one_note_or_twenty(
    alice_client, alice, bob, django_assert_num_queries, notes
):
    for n in range(notes):
        NoteFactory(owner_id=alice.pk, pinned=n % 2 == 0, tags=[f"t{n}"], checklist=[ChecklistItem(text="x")])
    note_view_record(note_id=NoteFactory(owner_id=bob.pk, public=True).pk, owner_id=bob.pk, viewer_id=alice.pk)

    # Relational: the member with their session's row, the owners' names of recently viewed.
    # MongoDB: the figures (one aggregate), pinned, recent, recently viewed.
    with django_assert_num_queries(2), django_assert_num_queries(4, connection=connections["mongodb"]):
        response = alice_client.get("/")

    assert response.context["figures"].notes == notes


def test_the_home_answers_while_redis_is_down(alice_client, alice, own_redis):
    NoteFactory(owner_id=alice.pk, title="Still mine")
    own_redis.stop()

    response = alice_client.get("/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Still mine" in content
    assert content.count("Unavailable.") == 1  # recently viewed lives in Redis
