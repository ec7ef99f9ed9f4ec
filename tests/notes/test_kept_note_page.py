"""A visitor's note page kept in Redis: its views counted and written in on each visit, never older than a write."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from notes.counters import most_viewed_this_week, note_live_view_count
from notes.models import Note
from notes.services import note_trash
from tests.factories import NoteFactory
from tools.bench.middleware import round_trips
from users.services import user_delete

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


@pytest.fixture
def note(alice) -> Note:
    return NoteFactory(owner_id=alice.pk, title="Alice's recipe", body="For everyone.", public=True)


@pytest.fixture
def url(note) -> str:
    return reverse("notes:detail", args=[note.pk])


def kept(client, url: str) -> str:
    """The page as a visitor gets it, asserting it came from Redis alone: no read of the note, nor of its owner."""
    with round_trips() as counts:
        page = client.get(url)
    assert page.status_code == 200
    assert counts["relational"] == counts["document"] == 0
    return page.content.decode()


def test_each_visit_of_the_kept_page_is_counted_once_and_shown(client, note, url):
    rendered = client.get(url).content.decode()
    client.session.save()  # a visitor with a session cookie is answered by the view, not the early middleware

    second, third = kept(client, url), kept(client.__class__(), url)

    assert "1 view<" in rendered
    assert second == rendered.replace("1 view<", "2 views<")
    assert third == rendered.replace("1 view<", "3 views<")
    assert note_live_view_count(note_id=note.pk) == 3
    assert most_viewed_this_week() == [(str(note.pk), 3)]


def test_a_write_to_the_note_is_on_the_next_visit(client, note, url):
    client.get(url)

    note.title = "Alice's better recipe"
    note.save()

    assert "Alice&#x27;s better recipe" in client.get(url).content.decode()
    assert "Alice&#x27;s better recipe" in kept(client, url)


def test_the_owners_new_name_is_on_the_next_visit(client, alice, url):
    client.get(url)

    alice.display_name = "Alice Cook"
    alice.save()

    assert "by Alice Cook" in client.get(url).content.decode()


@pytest.mark.parametrize("change", ["made private", "trashed", "owner deleted"])
def test_a_note_no_longer_shown_is_404_and_its_views_no_longer_counted(client, alice, note, url, change):
    client.get(url)
    client.get(url)

    if change == "made private":
        note.visibility = Note.Visibility.PRIVATE
        note.save()
    elif change == "trashed":
        note_trash(note=note)
    else:
        user_delete(user=alice)

    assert client.get(url).status_code == 404
    assert note_live_view_count(note_id=note.pk) == 2  # the two before, none since (the owner's: an orphan now)


def test_views_folded_into_the_note_are_shown_at_once(client, note, url):
    client.get(url)
    client.get(url)

    call_command("fold_view_counts", stdout=io.StringIO())

    assert "3 views<" in client.get(url).content.decode()  # 2 folded, and this one, rendered afresh
    assert "4 views<" in kept(client, url)
