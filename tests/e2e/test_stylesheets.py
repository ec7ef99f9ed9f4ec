"""The live server serves the vendored stylesheets and the icon, and the pages stay usable without the stylesheets."""

from __future__ import annotations

from playwright.sync_api import Page, Response, Route, expect

from tests.e2e.marks import E2E
from tests.e2e.steps import control, main, sign_up

pytestmark = E2E

PICO_FONT = "getComputedStyle(document.documentElement).getPropertyValue('--pico-font-family').trim()"


def test_pages_load_their_stylesheets(page: Page):
    stylesheets: list[Response] = []

    def keep_stylesheet(response: Response) -> None:
        if response.request.resource_type == "stylesheet":
            stylesheets.append(response)

    page.on("response", keep_stylesheet)
    page.goto("/users/login/")

    assert {response.url.rsplit("/", 1)[-1] for response in stylesheets} >= {"pico-2.1.1.min.css", "polystore.css"}
    assert all(response.status == 200 for response in stylesheets)
    assert all(response.header_value("content-type").startswith("text/css") for response in stylesheets)
    assert page.evaluate("Array.from(document.styleSheets).every(sheet => sheet.cssRules.length > 0)")
    assert page.evaluate(PICO_FONT) != ""


def test_member_signs_up_and_writes_a_note_without_stylesheets(page: Page):
    refused: list[str] = []

    def refuse(route: Route) -> None:
        refused.append(route.request.url)
        route.abort()

    page.route("**/*.css", refuse)

    sign_up(page, username="kim", email="kim@example.com")
    control(page, "New note").click()
    page.get_by_label("Title").fill("Plain page")
    main(page).get_by_role("button", name="Add item").click()
    page.get_by_role("textbox", name="Item", exact=True).first.fill("Still works")
    main(page).get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("Saved “Plain page”.")
    expect(main(page)).to_contain_text("Still works")
    assert refused
    assert page.evaluate(PICO_FONT) == ""


def test_every_file_a_page_asks_for_is_served_and_so_is_its_icon(page: Page):
    answers: list[Response] = []
    page.on("response", lambda answer: answers.append(answer))  # noqa: PLW0108 - Playwright inspects a Python function's signature; a built-in method has none
    page.goto("/")

    icon = page.locator("link[rel=icon]").get_attribute("href")
    icon_answer = page.request.get(icon)

    assert [(answer.url, answer.status) for answer in answers if answer.status >= 400] == []
    assert icon_answer.status == 200
    assert icon_answer.headers["content-type"].startswith("image/svg+xml")
