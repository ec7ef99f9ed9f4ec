"""A member's note from the first keystroke to its deletion, in a real browser on the real stores."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.marks import E2E
from tests.e2e.steps import control, log_in, log_out, main, section, sign_up
from tests.factories import UserFactory

pytestmark = E2E


def test_member_writes_finds_edits_shares_and_deletes_a_note(page: Page, new_page):
    sign_up(page, username="dora", email="dora@example.com", display_name="Dora D.")
    log_out(page)
    log_in(page, username="dora@example.com")

    control(page, "New note").click()
    page.get_by_label("Title").fill("Camping trip")
    page.get_by_label("Body").fill("Pack for **two** nights.")
    page.get_by_label("Tags").fill("outdoors, packing")
    items = page.get_by_role("textbox", name="Item", exact=True)
    main(page).get_by_role("button", name="Add item").click()
    items.nth(0).fill("Tent")
    main(page).get_by_role("button", name="Add item").click()
    items.nth(1).fill("Stove")
    main(page).get_by_role("button", name="Add attribute").click()
    page.get_by_role("textbox", name="Name", exact=True).first.fill("season")
    page.get_by_role("textbox", name="Value", exact=True).first.fill("summer")
    main(page).get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("Saved “Camping trip”.")
    expect(page.get_by_role("heading", name="Camping trip", level=1)).to_be_visible()
    expect(main(page).get_by_role("strong")).to_have_text("two")
    checklist = section(page, re.compile("^Checklist"))
    expect(checklist.get_by_role("listitem")).to_contain_text(["Tent", "Stove"])
    expect(checklist).to_contain_text("0/2 done")
    expect(page.get_by_role("row", name="season")).to_contain_text("summer")
    note_url = page.url

    page.get_by_role("link", name="My notes").click()
    expect(page.get_by_role("link", name="Camping trip")).to_be_visible()
    page.get_by_role("link", name="#packing").click()
    expect(page).to_have_url(re.compile(r"[?&]tag=packing"))
    expect(page.get_by_role("link", name="Camping trip")).to_be_visible()
    page.get_by_role("textbox", name="Tag").fill("indoors")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No notes match.")).to_be_visible()
    expect(page.get_by_role("link", name="Camping trip")).to_have_count(0)

    page.goto(note_url)
    control(main(page), "Edit").click()
    page.get_by_label("Body").fill("Pack for three nights.")
    page.get_by_label("Tags").fill("outdoors")
    page.get_by_role("checkbox", name="Done").first.check()
    main(page).get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("Saved “Camping trip”.")
    expect(page.get_by_role("link", name="#outdoors")).to_be_visible()
    expect(page.get_by_role("link", name="#packing")).to_have_count(0)
    checklist = section(page, re.compile("^Checklist"))
    expect(checklist).to_contain_text("1/2 done")
    expect(checklist.get_by_role("listitem").filter(has_text="(done)")).to_contain_text(["Tent"])
    revisions = section(page, "Earlier versions")
    revisions.get_by_text("Camping trip").click()
    expect(revisions).to_contain_text("Pack for two nights.")

    control(main(page), "Edit").click()
    page.get_by_role("radio", name="Public").check()
    main(page).get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved “Camping trip”.")

    UserFactory(username="eve", password="Quartz-lantern-97")
    reader = new_page()
    log_in(reader, username="eve")
    reader.get_by_role("link", name="Public notes").click()
    shared = reader.get_by_role("article").filter(has=reader.get_by_role("link", name="Camping trip"))
    expect(shared).to_contain_text("by Dora D.")
    shared.get_by_role("link", name="Camping trip").click()
    expect(reader.get_by_role("heading", name="Camping trip", level=1)).to_be_visible()
    expect(control(main(reader), "Edit")).to_have_count(0)
    expect(section(reader, "Earlier versions")).to_have_count(0)

    control(main(page), "Delete").click()  # with JavaScript, straight to the trash (tests/e2e/test_trash_flow.py)
    expect(page.get_by_role("status")).to_contain_text("Moved “Camping trip” to the trash.")
    expect(page.get_by_text("You have no notes yet.")).to_be_visible()
    reader.reload()
    expect(reader.get_by_role("link", name="Camping trip")).to_have_count(0)
