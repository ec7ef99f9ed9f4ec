"""Login throttling as a visitor meets it: after five failed logins the sixth try gets the 429 page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.marks import E2E
from tests.e2e.steps import PASSWORD, main
from tests.factories import UserFactory

pytestmark = E2E


def submit_login(page: Page, *, username: str, password: str) -> int:
    """Post the login form once and return the response's status."""
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        main(page).get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return posted.value.status


def test_repeated_failed_logins_show_the_throttling_page(page: Page):
    UserFactory(username="jon", password=PASSWORD)
    page.goto("/users/login/")

    statuses = []
    for _ in range(4):
        statuses.append(submit_login(page, username="jon", password="wrong password"))
        expect(main(page)).to_contain_text("do not match a member")
    statuses.append(submit_login(page, username="JON", password="still wrong"))
    assert statuses == [200, 200, 200, 200, 429]
    expect(page.get_by_role("alert")).to_contain_text("Too many failed log-ins")
    expect(page.get_by_role("alert")).to_contain_text("paused for 15 minutes")

    page.goto("/users/login/")
    assert submit_login(page, username="jon", password=PASSWORD) == 429
    expect(page.get_by_role("heading", name="Too many failed log-ins")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    expect(page.get_by_role("link", name="reset it by email")).to_be_visible()
