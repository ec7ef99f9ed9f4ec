"""On a phone the header is one line: the brand, the main button and a menu that opens without JavaScript."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.marks import E2E
from tests.e2e.steps import control, sign_up

pytestmark = E2E

PHONE = {"width": 390, "height": 844}


def header_on_one_line(page: Page) -> bool:
    """Whether the header's visible items all share one line (every one overlaps every other vertically)."""
    return page.evaluate(
        """(() => {
            const boxes = Array.from(document.querySelectorAll('header nav > ul > li'))
                .filter(item => item.offsetParent !== null)
                .map(item => item.getBoundingClientRect());
            return Math.max(...boxes.map(box => box.top)) < Math.min(...boxes.map(box => box.bottom));
        })()"""
    )


def test_a_member_on_a_phone_gets_a_one_line_header_and_a_menu_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_up(page, username="pia", email="pia@example.com", display_name="Pia P.")

        assert header_on_one_line(page)
        expect(page.get_by_role("heading", name="Write your first note")).to_be_visible()
        expect(page.get_by_role("button", name="Log out")).to_have_count(0)

        page.get_by_text("Menu", exact=True).click()

        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        control(page, "My notes").click()
        expect(page.get_by_role("heading", name="My notes")).to_be_visible()
    finally:
        context.close()


def test_a_wide_screen_shows_every_link_in_the_bar_and_no_menu(page: Page):
    sign_up(page, username="wes", email="wes@example.com")

    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(control(page, "Members")).to_be_visible()
    assert header_on_one_line(page)
