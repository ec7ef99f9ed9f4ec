"""A member's home on a wide screen and on a phone: "Write a note" in view, and the note written shows there."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.marks import E2E
from tests.e2e.steps import control, main, section, sign_up

pytestmark = E2E


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_a_member_writes_a_note_from_their_home_and_finds_it_there(browser, live_server, width, height):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    page: Page = context.new_page()
    try:
        sign_up(page, username=f"hana{width}", email=f"hana{width}@example.com")
        page.goto("/")

        write = control(main(page), "Write a note")
        expect(write).to_be_in_viewport(ratio=1)  # whole, without scrolling
        expect(main(page).get_by_text("You have no notes yet")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen

        write.click()
        page.get_by_label("Title").fill("Bike repairs")
        page.get_by_label("Tags").fill("garage")
        main(page).get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_have_text("Saved “Bike repairs”.")

        page.get_by_role("link", name="Polystore", exact=True).click()
        expect(section(page, re.compile("^Recent$")).get_by_role("link", name="Bike repairs")).to_be_visible()
        tags = section(page, "Your tags")
        expect(tags).to_contain_text("#garage 1")
        tags.get_by_role("link", name="#garage").click()
        expect(page.get_by_role("heading", name="My notes")).to_be_visible()
        expect(main(page).get_by_role("link", name="Bike repairs")).to_be_visible()
    finally:
        context.close()
