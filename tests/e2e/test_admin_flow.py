"""Staff in the Django admin: find members, edit a note's embedded checklist, delete a note."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from notes.models import ChecklistItem, Note
from tests.e2e.marks import E2E
from tests.e2e.steps import PASSWORD
from tests.factories import NoteFactory, UserFactory

pytestmark = E2E


def test_staff_searches_members_edits_a_checklist_and_deletes_a_note(page: Page, mongo_db):
    UserFactory(username="sam", password=PASSWORD, is_staff=True, is_superuser=True)
    hal = UserFactory(username="hal", email="hal@example.com", display_name="Hal Hopper")
    UserFactory(username="ivy")
    groceries = NoteFactory(
        owner_id=hal.pk, title="Groceries", checklist=[ChecklistItem(text="Milk"), ChecklistItem(text="Eggs")]
    )
    NoteFactory(owner_id=hal.pk, title="Old plans")

    page.goto("/admin/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.get_by_role("row").get_by_role("link", name="Users", exact=True).click()
    page.get_by_role("textbox", name="Search").fill("hopper")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 result")).to_be_visible()
    expect(page.get_by_role("row").filter(has=page.get_by_role("link", name="hal", exact=True))).to_contain_text(
        "hal@example.com"
    )
    expect(page.get_by_role("link", name="ivy", exact=True)).to_have_count(0)

    page.goto("/admin/")
    page.get_by_role("row").get_by_role("link", name="Notes", exact=True).click()
    page.get_by_role("textbox", name="Search").fill("groceries")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("row").filter(has=page.get_by_role("link", name="Groceries", exact=True))).to_contain_text(
        "Hal Hopper"
    )
    page.get_by_role("link", name="Groceries", exact=True).click()
    items = page.get_by_role("textbox", name="Text:")
    expect(items.nth(0)).to_have_value("Milk")
    page.get_by_role("checkbox", name="Done:").nth(0).check()
    items.nth(1).fill("Free-range eggs")
    items.nth(2).fill("Bread")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()
    checklist = Note.objects.get(pk=groceries.pk).checklist
    assert [(item.text, item.done) for item in checklist] == [
        ("Milk", True),
        ("Free-range eggs", False),
        ("Bread", False),
    ]

    page.get_by_role("textbox", name="Search").fill("")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("2 notes")).to_be_visible()
    page.get_by_role("link", name="Old plans", exact=True).click()
    page.get_by_role("link", name="Delete", exact=True).click()
    page.get_by_role("button", name=re.compile("Yes, I.m sure")).click()

    expect(page.get_by_text(re.compile("was deleted successfully"))).to_be_visible()
    expect(page.get_by_role("link", name="Old plans", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Groceries", exact=True)).to_be_visible()
    assert [note["title"] for note in mongo_db[Note._meta.db_table].find({"owner_id": hal.pk})] == ["Groceries"]
