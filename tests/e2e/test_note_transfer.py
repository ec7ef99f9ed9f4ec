"""Export one's notes as JSON Lines, and import them into another member's account from the page (issue #16)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from notes.models import ChecklistItem, Note
from tests.e2e.marks import E2E
from tests.e2e.steps import control, log_in, main
from tests.factories import PASSWORD, NoteFactory
from users.models import User

pytestmark = E2E

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=WIDTHS)
def member_page(request, browser: Browser, live_server) -> Iterator[Callable[[User], Page]]:
    """Open a page for a member, logged in, in a browser context of their own at desktop or phone width."""
    contexts: list[BrowserContext] = []

    def open_for(member: User) -> Page:
        context = browser.new_context(base_url=live_server.url, accept_downloads=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        log_in(page, username=member.username, password=PASSWORD)  # the step looks for the desktop bar's Log out
        page.set_viewport_size(WIDTHS[request.param])
        return page

    yield open_for
    for context in contexts:
        context.close()


def test_a_member_exports_json_lines_and_another_imports_it(alice, bob, member_page, tmp_path: Path):
    for title in ("Trip: Lisbon & Porto", "Groceries"):
        NoteFactory(owner_id=alice.pk, title=title, tags=["travel"], checklist=[ChecklistItem(text="Pack")])
    page = member_page(alice)
    page.goto("/notes/")

    main(page).get_by_role("link", name="Export and import").click()
    expect(main(page)).to_contain_text("Your 2 notes")
    with page.expect_download() as download:
        control(main(page), "Download JSON Lines").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)

    assert exported.suffix == ".jsonl"
    titles = sorted(json.loads(line)["title"] for line in exported.read_text().splitlines())
    assert titles == ["Groceries", "Trip: Lisbon & Porto"]

    page = member_page(bob)
    page.goto("/notes/transfer/")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(exported.read_text() + '{"title": ""}\n')
    main(page).get_by_label("JSON Lines file").set_input_files(bad)
    control(main(page), "Import").click()

    problems = main(page).get_by_role("alert")
    expect(problems).to_contain_text("Nothing was imported: 1 bad line of 3")
    expect(problems).to_contain_text("line 3: missing field '_id'")
    assert not Note.objects.owned_by(bob.pk).exists()

    main(page).get_by_label("JSON Lines file").set_input_files(exported)
    control(main(page), "Import").click()

    expect(page.get_by_role("status")).to_contain_text("Imported 2 notes.")
    cards = main(page).get_by_role("article")
    expect(cards.filter(has_text="Trip: Lisbon & Porto")).to_be_visible()
    expect(cards.filter(has_text="Groceries")).to_be_visible()
    assert Note.objects.owned_by(bob.pk).count() == Note.objects.owned_by(alice.pk).count() == 2


def test_a_file_over_the_limit_is_refused_before_it_is_sent(alice, member_page, tmp_path: Path):
    page = member_page(alice)
    page.goto("/notes/transfer/")
    large = tmp_path / "large.jsonl"
    large.write_bytes(b"\n" * (10 * 1024 * 1024 + 1))

    main(page).get_by_label("JSON Lines file").set_input_files(large)
    control(main(page), "Import").click()

    message = main(page).get_by_label("JSON Lines file").evaluate("input => input.validationMessage")
    assert message == "This file has 10,485,761 bytes; an import takes at most 10,485,760 (10.0 MB)."
    assert page.url.endswith("/notes/transfer/")
    expect(control(main(page), "Import")).not_to_have_attribute("aria-busy", "true")
