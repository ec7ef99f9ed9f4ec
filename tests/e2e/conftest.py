"""Browser fixtures: one headless Chromium for all browser tests, a fresh context per test, screenshots of failures.

Playwright's own browser download does not reach these machines, so the tests drive Debian's
`chromium` package (`apt-get install -y chromium`, the Makefile's `browser` target).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package")
def playwright(django_db_setup) -> Iterator[Playwright]:
    """Start Playwright's driver after the test databases exist, letting the ORM run beside it.

    The sync API keeps an asyncio loop registered on the main thread, so Django would refuse
    every query from the tests themselves (SynchronousOnlyOperation) although none runs inside
    that loop. Package scope stops the driver, and lifts the exemption, as soon as the browser
    tests are done: pytest-django runs them among the transactional tests, before the tests
    that use no database, which must not inherit either.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for all the browser tests."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's package (make browser, or apt-get install -y chromium)")
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    """Start with no throttling counters and no cached member names (user ids repeat after a flush)."""
    caches["default"].clear()


@pytest.fixture
def new_page(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Callable[[], Page]]:
    """Open pages, each in a context of its own (its own cookies), against the live server."""
    contexts: list[BrowserContext] = []
    pages: list[Page] = []
    request.node.e2e_pages = pages

    def open_page() -> Page:
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    """A page in a fresh browser context: nobody logged in."""
    return new_page()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Save a screenshot of each open page of a failed browser test into artifacts/e2e/."""
    report = yield
    pages: list[Page] = getattr(item, "e2e_pages", [])
    if report.when == "call" and report.failed and pages:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", item.name)
        for index, page in enumerate(pages):
            path = ARTIFACTS / (f"{name}.png" if index == 0 else f"{name}-{index + 1}.png")
            try:
                page.screenshot(path=path, full_page=True)
            except Exception as error:  # noqa: BLE001 - a crashed page must not hide the test's own failure
                report.sections.append(("screenshot", f"{path}: not saved ({error})"))
            else:
                report.sections.append(("screenshot", str(path)))
    return report
