"""Steps shared by the browser flows, written against labels and roles rather than page structure."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

PASSWORD = "Quartz-lantern-97"


def control(scope: Page | Locator, name: str) -> Locator:
    """A link or a button by its exact name: the templates style some links as buttons (`role="button"`)."""
    return scope.get_by_role("link", name=name, exact=True).or_(scope.get_by_role("button", name=name, exact=True))


def main(page: Page) -> Locator:
    """The page's main content, apart from the navigation bar (which has its own Log in and Sign up)."""
    return page.get_by_role("main")


def section(page: Page, heading: str | re.Pattern[str]) -> Locator:
    """A section of the main content, by its heading."""
    return main(page).locator("section").filter(has=page.get_by_role("heading", name=heading))


def sign_up(page: Page, *, username: str, email: str, display_name: str = "", password: str = PASSWORD) -> None:
    """Create an account through the sign-up form; the site logs the new member in."""
    page.goto("/users/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(email)
    if display_name:
        page.get_by_label("Display name").fill(display_name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password confirmation").fill(password)
    main(page).get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Polystore")


def log_in(page: Page, *, username: str, password: str = PASSWORD) -> None:
    """Log in through the members' login form and land on my notes."""
    page.goto("/users/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(password)
    main(page).get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status")).to_contain_text("You are logged out.")
