"""Note cards kept per process (notes/cards.py): a card shows its note as it is now, and nothing of the request."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from notes.models import ChecklistItem
from notes.services import note_checklist_item_mark, note_pin
from tests.factories import NoteFactory
from users.names import member_names

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def card_of(page: str, title: str) -> str:
    cards = re.findall(r'<article class="note-card".*?</article>', page, flags=re.DOTALL)
    (card,) = [card for card in cards if f">{title}</a>" in card]
    return card


def my_notes(client, query: str = "") -> str:
    return client.get(reverse("notes:list") + query).content.decode()


def test_a_pin_shows_on_the_card_at_once_though_the_note_keeps_its_last_changed_time(alice, alice_client):
    note = NoteFactory(owner_id=alice.pk, title="Groceries")
    assert "Pinned" not in card_of(my_notes(alice_client), "Groceries")

    note_pin(note=note, pinned=True)

    card = card_of(my_notes(alice_client), "Groceries")
    assert '<span class="note-badge">Pinned</span>' in card
    assert ">Unpin</button>" in card


def test_a_ticked_item_shows_on_the_card_at_once(alice, alice_client):
    note = NoteFactory(owner_id=alice.pk, title="Trip", checklist=[ChecklistItem(text="Tent")])
    my_notes(alice_client)

    note_checklist_item_mark(note=note, index=0, done=True)

    assert "1/1 done" in card_of(my_notes(alice_client), "Trip")


def test_a_card_holds_nothing_of_the_request_the_page_one_token(alice, alice_client, client):
    NoteFactory(owner_id=alice.pk, title="Groceries", tags=["home"], checklist=[ChecklistItem(text="Milk")])
    first = my_notes(alice_client)
    client.force_login(alice)  # a second session: another CSRF token
    second = my_notes(client)

    assert card_of(first, "Groceries") == card_of(second, "Groceries")
    assert "csrfmiddlewaretoken" not in card_of(first, "Groceries")
    NoteFactory.create_batch(3, owner_id=alice.pk, checklist=[ChecklistItem(text="Milk")])
    assert my_notes(alice_client).count("csrfmiddlewaretoken") == first.count("csrfmiddlewaretoken")


def test_a_cards_tags_keep_the_search_and_leave_the_page(alice, alice_client):
    NoteFactory(owner_id=alice.pk, title="Groceries", body="milk", tags=["home"])

    plain = card_of(my_notes(alice_client), "Groceries")
    searched = card_of(my_notes(alice_client, "?q=milk&page=1"), "Groceries")

    assert 'href="?tag=home"' in plain
    assert 'href="?q=milk&amp;tag=home"' in searched


def test_public_cards_show_the_owner_and_no_quick_actions(alice, alice_client, bob_client):
    NoteFactory(owner_id=alice.pk, title="Recipe", public=True, checklist=[ChecklistItem(text="Flour")])
    mine = card_of(my_notes(alice_client), "Recipe")

    public = card_of(bob_client.get(reverse("notes:public")).content.decode(), "Recipe")

    assert "formaction=" in mine
    assert "formaction=" not in public
    assert f"by {member_names({alice.pk})[alice.pk]} ·" in public
