"""Ticking an item and pinning from the note page and my notes, with JavaScript (in place) and without (a round trip)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from notes.models import ChecklistItem, Note
from tests.e2e.marks import E2E
from tests.e2e.steps import main, section, sign_up
from tests.factories import NoteFactory
from users.models import User

pytestmark = E2E


def packing_note(username: str) -> Note:
    owner = User.objects.get(username=username)
    items = [ChecklistItem(text="Tent"), ChecklistItem(text="Stove")]
    return NoteFactory(owner_id=owner.pk, title="Camping", checklist=items)


@pytest.mark.parametrize("javascript", [True, False])
def test_owner_ticks_an_item_and_pins_from_the_note_page(browser, live_server, javascript):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_up(page, username="quinn", email="quinn@example.com")
        note = packing_note("quinn")
        page.goto(f"/notes/{note.pk}/")

        checklist = section(page, re.compile("^Checklist"))
        checklist.get_by_role("button", name="Tent").click()
        expect(checklist.get_by_role("button", name="Tent")).to_have_attribute("aria-pressed", "true")
        expect(checklist).to_contain_text("1/2 done")
        main(page).get_by_role("button", name="Pin", exact=True).click()
        expect(main(page).get_by_role("button", name="Unpin")).to_be_visible()

        note.refresh_from_db()
        assert (note.checklist[0].done, note.checklist[1].done, note.pinned) == (True, False, True)
    finally:
        context.close()


def test_owner_ticks_an_item_from_my_notes_in_place(page: Page):
    sign_up(page, username="rio", email="rio@example.com")
    note = packing_note("rio")
    page.goto("/notes/")

    card = main(page).get_by_role("article").filter(has_text="Camping")
    page.evaluate("window.samePage = true")
    card.get_by_role("button", name="Stove").click()

    expect(card.get_by_role("button", name="Stove")).to_have_attribute("aria-pressed", "true")
    expect(card).to_contain_text("1/2 done")
    assert page.evaluate("window.samePage === true")  # answered in place: no new page was loaded
    note.refresh_from_db()
    assert note.checklist[1].done is True


def test_a_cards_pin_button_sits_beside_its_date_not_across_the_card(page: Page):
    sign_up(page, username="sol", email="sol@example.com")
    packing_note("sol")
    page.goto("/notes/")

    card = main(page).get_by_role("article").filter(has_text="Camping")
    pin = card.get_by_role("button", name="Pin", exact=True).bounding_box()
    whole = card.bounding_box()

    assert pin is not None
    assert whole is not None
    assert pin["width"] < whole["width"] / 3
