"""Quick actions without the editor: pin or unpin a note, tick a checklist item; owner and staff only."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connections
from django.urls import reverse

from notes.models import ChecklistItem, Note
from notes.topics import NOTES
from page_cache.versions import version_key
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


@pytest.fixture
def trip(alice):
    items = [ChecklistItem(text="Passport"), ChecklistItem(text="Tickets", done=True)]
    return NoteFactory(owner_id=alice.pk, title="Trip", checklist=items, public=True)


def pin_url(note: Note) -> str:
    return reverse("notes:pin", args=[note.pk])


def check_url(note: Note, index: int) -> str:
    return reverse("notes:check", args=[note.pk, index])


def test_owner_pins_and_unpins_without_the_editor_and_comes_back(alice_client, trip):
    back = reverse("notes:list") + "?tag=x"

    pinned = alice_client.post(pin_url(trip), {"pinned": "1", "next": back})
    trip.refresh_from_db()
    assert (pinned.status_code, pinned["Location"], trip.pinned) == (302, back, True)

    alice_client.post(pin_url(trip), {"pinned": "0"})
    trip.refresh_from_db()
    assert trip.pinned is False


def test_owner_ticks_a_checklist_item_and_the_note_counts_as_changed(alice_client, trip):
    before = trip.updated_at

    response = alice_client.post(check_url(trip, 0), {"done": "1"})

    trip.refresh_from_db()
    assert response["Location"] == reverse("notes:detail", args=[trip.pk])
    assert [item.done for item in trip.checklist] == [True, True]
    assert trip.updated_at > before


def test_the_script_gets_the_new_state_as_json(alice_client, trip):
    answer = alice_client.post(check_url(trip, 1), {"done": "0"}, headers={"Accept": "application/json"})

    assert answer.json() == {"done": False, "done_count": 0, "total": 2}
    assert alice_client.post(pin_url(trip), {"pinned": "1"}, headers={"Accept": "application/json"}).json() == {
        "pinned": True
    }


def test_staff_may_tick_a_members_item(staff_client, trip):
    staff_client.post(check_url(trip, 0), {"done": "1"})

    trip.refresh_from_db()
    assert trip.checklist[0].done is True


def test_another_member_gets_404_and_changes_nothing(bob_client, trip):
    assert bob_client.post(pin_url(trip), {"pinned": "1"}).status_code == 404
    assert bob_client.post(check_url(trip, 0), {"done": "1"}).status_code == 404

    trip.refresh_from_db()
    assert (trip.pinned, trip.checklist[0].done) == (False, False)


@pytest.mark.parametrize("index", [2, 99])
def test_an_item_the_note_does_not_have_is_a_404(alice_client, trip, index):
    assert alice_client.post(check_url(trip, index), {"done": "1"}).status_code == 404


@pytest.mark.parametrize("value", [None, "", "yes", "2", "\x00"])
def test_a_value_other_than_0_or_1_is_a_400(alice_client, trip, value):
    data = {} if value is None else {"done": value, "pinned": value}

    assert alice_client.post(check_url(trip, 0), data).status_code == 400
    assert alice_client.post(pin_url(trip), data).status_code == 400


def test_a_next_on_another_site_is_ignored(alice_client, trip):
    response = alice_client.post(pin_url(trip), {"pinned": "1", "next": "https://evil.example/"})

    assert response["Location"] == reverse("notes:detail", args=[trip.pk])


def test_a_quick_action_drops_the_cached_pages_showing_notes(alice_client, trip):
    before = cache.get(version_key(NOTES))

    alice_client.post(pin_url(trip), {"pinned": "1"})

    assert cache.get(version_key(NOTES)) not in (None, before)


def test_a_quick_action_costs_the_members_row_one_document_read_and_one_write(
    alice_client, trip, django_assert_num_queries
):
    alice_client.get(reverse("notes:detail", args=[trip.pk]))  # the owner's name is now in Redis

    with django_assert_num_queries(1), django_assert_num_queries(2, connection=connections["mongodb"]):
        alice_client.post(pin_url(trip), {"pinned": "1"})
    with django_assert_num_queries(1), django_assert_num_queries(2, connection=connections["mongodb"]):
        alice_client.post(check_url(trip, 0), {"done": "1"})


def test_the_note_page_and_my_notes_offer_the_quick_actions_to_the_owner_only(alice_client, client, trip):
    page = alice_client.get(reverse("notes:detail", args=[trip.pk])).content.decode()
    mine = alice_client.get(reverse("notes:list")).content.decode()
    public = client.get(reverse("notes:detail", args=[trip.pk])).content.decode()

    for content in (page, mine):
        assert content.count('<form method="post" id="quick-actions"') == 1
        assert f'form="quick-actions" formaction="{pin_url(trip)}"' in content
        assert f'form="quick-actions" formaction="{check_url(trip, 0)}"' in content
        assert 'aria-pressed="true"' in content  # Tickets is done
    assert 'id="quick-actions"' not in public
    assert "formaction=" not in public
