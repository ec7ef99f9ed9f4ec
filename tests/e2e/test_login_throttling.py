"""Login throttling as a visitor meets it: a warning with the fourth failed login, the 429 page with the fifth.

Another member behind the same address (an office's NAT) still logs in.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.marks import E2E
from tests.e2e.steps import PASSWORD, log_in, main
from tests.factories import UserFactory

pytestmark = E2E

WARNING = "1 attempt left before this account is locked for 15 minutes from this address."


def submit_login(page: Page, *, username: str, password: str) -> int:
    """Post the login form once and return the response's status."""
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        main(page).get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return posted.value.status


def test_repeated_failed_logins_warn_then_show_the_throttling_page(page: Page, new_page):
    UserFactory(username="jon", password=PASSWORD)
    UserFactory(username="kim", password=PASSWORD)
    page.goto("/users/login/")

    statuses = []
    for attempt in range(4):
        statuses.append(submit_login(page, username="jon", password="wrong password"))
        expect(main(page)).to_contain_text("do not match a member")
        if attempt < 3:
            expect(main(page)).not_to_contain_text("attempt left")
    expect(page.get_by_role("alert")).to_contain_text(WARNING)
    statuses.append(submit_login(page, username="JON", password="still wrong"))
    assert statuses == [200, 200, 200, 200, 429]
    expect(page.get_by_role("alert")).to_contain_text("Too many failed log-ins")
    expect(page.get_by_role("alert")).to_contain_text("Try again in 15 minutes.")

    page.goto("/users/login/")
    assert submit_login(page, username="jon", password=PASSWORD) == 429
    expect(page.get_by_role("heading", name="Too many failed log-ins")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    expect(page.get_by_role("link", name="reset it by email")).to_be_visible()

    log_in(new_page(), username="kim")
