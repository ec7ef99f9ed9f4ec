"""The editor says its limits as one types: a pasted long title is kept whole, counted, and refused with a reason."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.marks import E2E
from tests.e2e.steps import main, sign_up

pytestmark = E2E


def test_a_pasted_250_character_title_is_counted_not_cut_and_refused_on_save(page: Page):
    sign_up(page, username="tess", email="tess@example.com")
    title = page.get_by_label("Title")

    title.fill("t" * 250)

    expect(title).to_have_value("t" * 250)
    expect(page.locator(".length-counter")).to_have_text("250/200: 50 too many")
    expect(title).to_have_attribute("aria-invalid", "true")

    main(page).get_by_role("button", name="Save").click()

    expect(main(page)).to_contain_text("A title has at most 200 characters (this one has 250).")
    title.fill("t" * 200)
    expect(page.locator(".length-counter")).to_have_text("200/200")
