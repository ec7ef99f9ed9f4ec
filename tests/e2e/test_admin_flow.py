"""Staff in the Django admin: find members, find notes by owner and tag, edit a note's rows, delete a note.

On a desktop and on a phone; and without JavaScript, where a blank row and the positions do what
the buttons do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from notes.models import ChecklistItem, Note
from tests.e2e.marks import E2E
from tests.e2e.steps import PASSWORD
from tests.factories import NoteFactory, UserFactory

pytestmark = E2E

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def open_admin(browser: Browser, live_server, *, viewport: dict[str, int], javascript: bool = True) -> Iterator[Page]:
    """Log a staff superuser into the admin in a browser context of its own."""
    UserFactory(username="sam", password=PASSWORD, is_staff=True, is_superuser=True)
    context = browser.new_context(base_url=live_server.url, viewport=viewport, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/admin/")
        page.get_by_label("Username").fill("sam")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("link", name="Polystore administration")).to_be_visible()
        yield page
    finally:
        context.close()


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def admin_page(request, browser: Browser, live_server) -> Iterator[Page]:
    yield from open_admin(browser, live_server, viewport=request.param)


@pytest.fixture
def admin_page_without_javascript(browser: Browser, live_server) -> Iterator[Page]:
    yield from open_admin(browser, live_server, viewport=PHONE, javascript=False)


def search(page: Page, text: str) -> None:
    page.get_by_role("textbox", name="Search").fill(text)
    page.get_by_role("button", name="Search").click()


def test_staff_finds_notes_edits_checklist_and_attribute_rows_and_deletes_a_note(admin_page: Page, mongo_db):
    page = admin_page
    hal = UserFactory(username="hal", email="hal@example.com", display_name="Hal Hopper")
    UserFactory(username="ivy")
    groceries = NoteFactory(
        owner_id=hal.pk,
        title="Groceries",
        tags=["shopping"],
        checklist=[ChecklistItem(text="Milk"), ChecklistItem(text="Eggs")],
        attributes={"aisle": "3"},
    )
    NoteFactory(owner_id=hal.pk, title="Old plans")
    NoteFactory(title="Someone else's list", tags=["shopping"])
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.get_by_role("row").get_by_role("link", name="Users", exact=True).click()
    search(page, "hopper")
    expect(page.get_by_text("1 result")).to_be_visible()
    expect(page.get_by_role("row").filter(has=page.get_by_role("link", name="hal", exact=True))).to_contain_text(
        "hal@example.com"
    )
    expect(page.get_by_role("link", name="ivy", exact=True)).to_have_count(0)

    page.goto("/admin/notes/note/")
    search(page, "@hal")
    expect(page.get_by_text("2 results")).to_be_visible()
    expect(page.get_by_role("row").filter(has=page.get_by_role("link", name="Groceries", exact=True))).to_contain_text(
        "Hal Hopper"
    )
    search(page, "")
    page.get_by_role("link", name="#shopping", exact=True).click()
    expect(page.get_by_text("2 results")).to_be_visible()
    expect(page.get_by_role("link", name="Someone else's list", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Old plans", exact=True)).to_have_count(0)

    page.get_by_role("link", name="Groceries", exact=True).click()
    expect(page.get_by_role("textbox", name="Item 1", exact=True)).to_have_value("Milk")
    page.get_by_role("checkbox", name="Item 1 done").check()
    page.get_by_role("textbox", name="Item 2", exact=True).fill("Free-range eggs")
    page.get_by_role("textbox", name="Item 3", exact=True).fill("Bread")
    page.get_by_role("button", name="Add an item").click()
    page.get_by_role("textbox", name="Item 4", exact=True).fill("Jam")
    page.get_by_role("button", name="Move item 3 up").click()
    expect(page.get_by_role("textbox", name="Item 2", exact=True)).to_have_value("Bread")
    page.get_by_role("button", name="Move item 1 down").click()
    expect(page.get_by_role("textbox", name="Item 2", exact=True)).to_have_value("Milk")
    page.get_by_role("checkbox", name="Delete item 4").check()
    page.get_by_role("button", name="Add an attribute").click()
    page.get_by_role("textbox", name="Name of attribute 3").fill("store")
    page.get_by_role("textbox", name="Value of attribute 3").fill("Corner shop")
    page.get_by_role("textbox", name="Name of attribute 2").fill("$where")
    page.get_by_role("textbox", name="Value of attribute 2").fill("anywhere")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text("A name may not start with $ or contain a dot.")).to_be_visible()
    assert Note.objects.get(pk=groceries.pk).attributes == {"aisle": "3"}
    items = [page.get_by_role("textbox", name=f"Item {n}", exact=True) for n in (1, 2, 3, 4)]
    for item, text in zip(items, ["Bread", "Milk", "Free-range eggs", "Jam"], strict=True):
        expect(item).to_have_value(text)  # the form sent back keeps the new order
    expect(page.get_by_role("checkbox", name="Delete item 4")).to_be_checked()
    page.get_by_role("checkbox", name="Delete attribute 2").check()
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()
    note = Note.objects.get(pk=groceries.pk)
    assert [(item.text, item.done) for item in note.checklist] == [
        ("Bread", False),
        ("Milk", True),
        ("Free-range eggs", False),
    ]
    assert note.attributes == {"aisle": "3", "store": "Corner shop"}

    expect(page.get_by_role("link", name="Old plans", exact=True)).to_have_count(0)  # still filtered by #shopping
    page.get_by_role("link", name="All", exact=True).first.click()
    page.get_by_role("link", name="Old plans", exact=True).click()
    page.get_by_role("link", name="Delete", exact=True).click()
    page.get_by_role("button", name=re.compile("Yes, I.m sure")).click()

    expect(page.get_by_text(re.compile("was deleted successfully"))).to_be_visible()
    expect(page.get_by_role("link", name="Old plans", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Groceries", exact=True)).to_be_visible()
    assert [note["title"] for note in mongo_db[Note._meta.db_table].find({"owner_id": hal.pk})] == ["Groceries"]


def test_without_javascript_a_blank_row_adds_an_item_and_positions_reorder(admin_page_without_javascript: Page):
    page = admin_page_without_javascript
    note = NoteFactory(title="Packing", checklist=[ChecklistItem(text="Socks"), ChecklistItem(text="Tickets")])

    page.goto(f"/admin/notes/note/{note.pk}/change/")
    expect(page.get_by_role("button", name="Add an item")).to_be_hidden()
    page.get_by_role("textbox", name="Item 3", exact=True).fill("Passport")
    page.get_by_role("spinbutton", name="Position of item 3").fill("0")
    page.get_by_role("spinbutton", name="Position of item 1").fill("5")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()
    assert [item.text for item in Note.objects.get(pk=note.pk).checklist] == ["Passport", "Tickets", "Socks"]
