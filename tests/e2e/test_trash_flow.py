"""The trash in a browser: delete, Undo, restore from the Trash page; without JavaScript every step asks first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from notes.models import Note
from tests.e2e.marks import E2E
from tests.e2e.steps import control, main, sign_up
from tests.factories import NoteFactory
from users.models import User

pytestmark = E2E

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def member_page(browser: Browser, live_server, username: str, **options) -> Page:
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_up(page, username=username, email=f"{username}@example.com")
    return page


def note_of(username: str, title: str) -> Note:
    return NoteFactory(owner_id=User.objects.get(username=username).pk, title=title)


def my_note_link(page: Page, title: str):
    page.goto("/notes/")
    return main(page).get_by_role("link", name=title, exact=True)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_delete_then_undo_then_delete_again_and_restore_from_the_trash(browser, live_server, viewport):
    page = member_page(browser, live_server, "tess", viewport=viewport)
    try:
        note = note_of("tess", "Lisbon trip")
        page.goto(f"/notes/{note.pk}/")

        control(main(page), "Delete").click()  # one step with JavaScript: Undo is right there
        expect(page.get_by_role("status")).to_contain_text("Moved “Lisbon trip” to the trash.")
        expect(main(page).get_by_role("link", name="Lisbon trip")).to_have_count(0)
        page.get_by_role("status").get_by_role("button", name="Undo").click()
        expect(page.get_by_role("status")).to_have_text("Restored “Lisbon trip”.")
        expect(page.get_by_role("heading", name="Lisbon trip", level=1)).to_be_visible()
        expect(my_note_link(page, "Lisbon trip")).to_be_visible()

        page.goto(f"/notes/{note.pk}/")
        control(main(page), "Delete").click()
        expect(page.get_by_role("status")).to_contain_text("Moved “Lisbon trip” to the trash.")
        main(page).get_by_role("link", name="Trash", exact=True).click()
        card = main(page).get_by_role("article").filter(has_text="Lisbon trip")
        expect(card).to_contain_text("deleted in 29 days")
        card.get_by_role("button", name="Restore").click()
        expect(page.get_by_role("status")).to_have_text("Restored “Lisbon trip”.")
        expect(main(page).get_by_text("Your trash is empty.")).to_be_visible()
        expect(my_note_link(page, "Lisbon trip")).to_be_visible()
        note.refresh_from_db()
        assert note.trashed_at is None
    finally:
        page.context.close()


def test_without_javascript_each_step_asks_first(browser, live_server, mongo_db):
    page = member_page(browser, live_server, "uma", viewport=PHONE, java_script_enabled=False)
    try:
        first, second = note_of("uma", "Draft letter"), note_of("uma", "Old list")

        page.goto(f"/notes/{first.pk}/")
        control(main(page), "Delete").click()
        expect(page.get_by_role("heading", name="Move “Draft letter” to the trash?")).to_be_visible()
        main(page).get_by_role("button", name="Move to trash").click()
        page.get_by_role("status").get_by_role("button", name="Undo").click()
        expect(page.get_by_role("status")).to_have_text("Restored “Draft letter”.")

        for note in (first, second):
            page.goto(f"/notes/{note.pk}/delete/")
            main(page).get_by_role("button", name="Move to trash").click()
        page.goto("/notes/trash/")
        control(main(page).get_by_role("article").filter(has_text="Draft letter"), "Delete forever").click()
        expect(page.get_by_role("heading", name="Delete “Draft letter” for good?")).to_be_visible()
        main(page).get_by_role("button", name="Delete forever").click()
        expect(page.get_by_role("status")).to_have_text("Deleted “Draft letter” for good.")

        control(main(page), "Empty trash").click()
        expect(page.get_by_role("heading", name="Delete the 1 note in your trash for good?")).to_be_visible()
        main(page).get_by_role("button", name="Empty trash").click()
        expect(page.get_by_role("status")).to_have_text("Deleted 1 note for good.")
        expect(main(page).get_by_text("Your trash is empty.")).to_be_visible()
        assert mongo_db["notes_note"].count_documents({"_id": {"$in": [first.pk, second.pk]}}) == 0
    finally:
        page.context.close()
