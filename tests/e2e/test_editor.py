"""The note editor at desktop and phone widths: rows on demand, the Preview tab, Ctrl+Enter, and a warning before losing changes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from tests.e2e.marks import E2E
from tests.e2e.steps import control, main, section, sign_up

pytestmark = E2E

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def open_editor(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Sign a new member up at a screen width, with or without JavaScript; they land on the new note editor."""
    contexts = []

    def open_page(username: str, *, width: str, javascript: bool = True) -> Page:
        context = browser.new_context(base_url=live_server.url, viewport=WIDTHS[width], java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        sign_up(page, username=username, email=f"{username}@example.com")
        return page

    yield open_page
    for context in contexts:
        context.close()


def items(page: Page):
    return page.get_by_role("textbox", name="Item", exact=True)


def checklist_row(page: Page, index: int):
    """The index-th checklist row the member sees (removed rows are hidden)."""
    return page.locator(".checklist-row:visible").nth(index)


def expect_saved_checklist(page: Page, texts: list[str]) -> None:
    """Expect the saved note's page, its checklist holding `texts` in this order."""
    expect(page.get_by_role("status")).to_contain_text("Saved")
    listed = section(page, re.compile("^Checklist")).get_by_role("listitem")
    expect(listed).to_have_text([re.compile(re.escape(text)) for text in texts])


@pytest.mark.parametrize("width", WIDTHS)
def test_rows_are_added_removed_and_moved_in_place_and_saved(open_editor, width):
    page = open_editor(f"rowan-{width}", width=width)
    expect(items(page)).to_have_count(0)
    page.get_by_label("Title").fill("Packing")

    for text in ("Tent", "Stove", "Lamp"):
        main(page).get_by_role("button", name="Add item").click()
        expect(items(page).last).to_be_focused()
        page.keyboard.type(text)
    checklist_row(page, 1).get_by_role("button", name="Remove").click()
    checklist_row(page, 1).get_by_role("button", name="Move up").click()
    checklist_row(page, 0).get_by_role("checkbox", name="Done").check()
    main(page).get_by_role("button", name="Add attribute").click()
    page.get_by_role("textbox", name="Name", exact=True).fill("season")
    page.get_by_role("textbox", name="Value", exact=True).fill("summer")
    expect(page.get_by_role("spinbutton", name="Position")).to_have_count(0)  # numbered by the moves
    main(page).get_by_role("button", name="Save").click()

    expect_saved_checklist(page, ["Lamp", "Tent"])
    expect(section(page, re.compile("^Checklist"))).to_contain_text("1/2 done")
    expect(page.get_by_role("row", name="season")).to_contain_text("summer")


@pytest.mark.parametrize("width", WIDTHS)
def test_without_javascript_the_add_buttons_bring_the_form_back_with_a_row_and_keep_what_was_typed(open_editor, width):
    page = open_editor(f"nora-{width}", width=width, javascript=False)
    page.get_by_label("Title").fill("Packing")
    page.get_by_label("Body").fill("Two *nights*.")

    main(page).get_by_role("button", name="Add item").click()
    expect(items(page)).to_have_count(1)
    expect(items(page).first).to_be_focused()
    page.keyboard.type("Tent")
    main(page).get_by_role("button", name="Add item").click()
    items(page).nth(1).fill("Stove")
    page.get_by_role("spinbutton", name="Position").nth(0).fill("2")
    page.get_by_role("spinbutton", name="Position").nth(1).fill("1")
    main(page).get_by_role("button", name="Add attribute").click()
    page.get_by_role("textbox", name="Name", exact=True).fill("season")
    page.get_by_role("textbox", name="Value", exact=True).fill("summer")

    expect(page.get_by_label("Title")).to_have_value("Packing")
    expect(page.get_by_label("Body")).to_have_value("Two *nights*.")
    expect(main(page).get_by_role("alert")).to_have_count(0)
    main(page).get_by_role("button", name="Save").click()

    expect_saved_checklist(page, ["Stove", "Tent"])
    expect(page.get_by_role("row", name="season")).to_contain_text("summer")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_preview_tab_shows_the_body_rendered_by_the_server(open_editor, width, javascript):
    page = open_editor(f"pete-{width}-{javascript}".lower(), width=width, javascript=javascript)
    page.get_by_label("Body").fill("# Plan\n\nBring **boots** and <script>alert(1)</script>")

    page.get_by_role("tab", name="Preview").click()

    preview = page.get_by_role("tabpanel", name="Preview")
    expect(page.get_by_role("tab", name="Preview")).to_have_attribute("aria-selected", "true")
    expect(preview.get_by_role("heading", name="Plan", level=1)).to_be_visible()
    expect(preview.get_by_role("strong")).to_have_text("boots")
    expect(preview).to_contain_text("and <script>alert(1)</script>")
    expect(page.get_by_label("Body")).to_be_hidden()

    page.get_by_role("tab", name="Write").click()

    expect(page.get_by_label("Body")).to_be_visible()
    expect(page.get_by_label("Body")).to_have_value("# Plan\n\nBring **boots** and <script>alert(1)</script>")
    expect(preview).to_be_hidden()


@pytest.mark.parametrize("width", WIDTHS)
def test_ctrl_enter_in_any_field_saves(open_editor, width):
    page = open_editor(f"cora-{width}", width=width)
    page.get_by_label("Title").fill("Shortcut")
    page.get_by_label("Body").click()
    page.keyboard.type("First line")

    page.keyboard.press("Control+Enter")

    expect(page.get_by_role("status")).to_have_text("Saved “Shortcut”.")
    expect(page.get_by_role("heading", name="Shortcut", level=1)).to_be_visible()
    control(main(page), "Edit").click()
    main(page).get_by_role("button", name="Add item").click()
    page.keyboard.type("Boots")
    page.keyboard.press("Meta+Enter")  # ⌘+Enter on a Mac
    expect(page.get_by_role("status")).to_have_text("Saved “Shortcut”.")
    expect_saved_checklist(page, ["Boots"])


@pytest.mark.parametrize("width", WIDTHS)
def test_leaving_with_unsaved_changes_asks_first_and_only_then(open_editor, width):
    page = open_editor(f"lena-{width}", width=width)
    dialogs: list[str] = []

    def answer(dialog: Dialog) -> None:
        dialogs.append(dialog.type)
        if len(dialogs) == 1:
            dialog.dismiss()  # stay
        else:
            dialog.accept()  # leave

    page.on("dialog", answer)
    control(main(page), "Cancel").click()
    expect(page.get_by_role("heading", name="My notes")).to_be_visible()
    assert dialogs == []  # nothing typed, nothing asked

    page.goto("/notes/new/")
    page.get_by_label("Title").click()
    page.keyboard.type("Half a thought")
    with page.expect_event("dialog"):
        control(main(page), "Cancel").click(no_wait_after=True)
    assert dialogs == ["beforeunload"]
    expect(page.get_by_label("Title")).to_have_value("Half a thought")  # stayed

    control(main(page), "Cancel").click()
    expect(page.get_by_role("heading", name="My notes")).to_be_visible()
    assert dialogs == ["beforeunload", "beforeunload"]

    page.goto("/notes/new/")
    page.get_by_label("Title").click()
    page.keyboard.type("Saved thought")
    main(page).get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved “Saved thought”.")
    assert len(dialogs) == 2  # saving is not leaving

    page.goto("/notes/new/")
    page.get_by_label("Title").click()
    page.keyboard.type("t" * 201)
    main(page).get_by_role("button", name="Save").click()
    expect(main(page)).to_contain_text("A title has at most 200 characters (this one has 201).")
    control(main(page), "Cancel").click()  # what was typed came back unsaved
    expect(page.get_by_role("heading", name="My notes")).to_be_visible()
    assert dialogs == ["beforeunload"] * 3
