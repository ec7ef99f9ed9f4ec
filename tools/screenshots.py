"""Screenshots of the pages a reader of the docs should see, at a desktop and a phone width.

    python -m tools.screenshots [--output docs/screenshots]

Runs the development server on its own data (SQLite under var/screenshots/, the MongoDB database
`polystore_screenshots`, Redis databases 12 and 13), seeded afresh with `seed_demo --seed 1` so
that every run shows the same notes, and saves one full-page PNG per page and width. The local
stores must answer (`make services`); Chromium is Debian's (`make browser`).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
from playwright.sync_api import Page, sync_playwright
from pymongo import MongoClient

from tools.stores import local_url
from tools.stores.processes import free_port

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
MONGODB_DATABASE = "polystore_screenshots"
REDIS_DATABASE = 12
MEMBER = "demo000001"
MEMBER_PASSWORD = "polystore-demo"  # demo.services.DEMO_PASSWORD; tools never import the apps
STAFF = "docs-admin"


@dataclass(frozen=True)
class Width:
    name: str
    width: int
    height: int


WIDTHS = (Width("desktop", 1280, 900), Width("phone", 390, 844))


def say(message: str) -> None:
    print(f"screenshots: {message}", file=sys.stderr, flush=True)


def environment(staff_password: str) -> dict[str, str]:
    """The development settings, pointed at this tool's own databases."""
    mongodb = local_url("MONGODB_URI").rsplit("/", 1)[0]
    redis_url = local_url("REDIS_URL").rsplit("/", 1)[0]
    return {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{VAR / 'db.sqlite3'}",
        "MONGODB_URI": f"{mongodb}/{MONGODB_DATABASE}",
        "REDIS_URL": f"{redis_url}/{REDIS_DATABASE}",
        "DJANGO_SUPERUSER_PASSWORD": staff_password,
    }


def manage(env: dict[str, str], *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def prepare(env: dict[str, str]) -> None:
    """Empty this tool's databases, migrate them, seed the demo members and make a staff member."""
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    MongoClient(env["MONGODB_URI"]).drop_database(MONGODB_DATABASE)
    for database in (REDIS_DATABASE, REDIS_DATABASE + 1):
        redis.Redis.from_url(env["REDIS_URL"], db=database).flushdb()
    manage(env, "migrate", "--noinput")
    manage(env, "migrate", "--database", "mongodb", "--noinput")
    manage(env, "seed_demo", "--users", "12", "--notes-per-user", "8", "--seed", "1", "--no-progress")
    manage(env, "createsuperuser", "--noinput", "--username", STAFF, "--email", f"{STAFF}@example.com")


@contextmanager
def development_server(env: dict[str, str]) -> Iterator[str]:
    """`runserver` on a free loopback port; yields its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base_url}/healthz", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("screenshots: the development server did not start") from None
                time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)


def log_in(page: Page, path: str, username: str, password: str) -> None:
    page.goto(path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form [type=submit]")
    page.wait_for_load_state()


def member_note_with_checklist(env: dict[str, str]) -> str:
    """The id of the member's first note with a checklist (the editor shows its rows), else their first note."""
    with sqlite3.connect(VAR / "db.sqlite3") as relational:
        (owner,) = relational.execute("SELECT id FROM users_user WHERE username = ?", [MEMBER]).fetchone()
    notes = MongoClient(env["MONGODB_URI"])[MONGODB_DATABASE]["notes_note"]
    note = notes.find_one({"owner_id": owner, "checklist.0": {"$exists": True}}, sort=[("_id", 1)])
    note = note or notes.find_one({"owner_id": owner}, sort=[("_id", 1)])
    if note is None:
        raise SystemExit(f"screenshots: {MEMBER} has no notes")
    return str(note["_id"])


def shoot(page: Page, output: Path, name: str, width: Width, path: str | None) -> None:
    """Save the whole page at `path` (None: the page as it stands)."""
    if path is not None:
        page.goto(path)
    page.wait_for_load_state("networkidle")
    target = output / f"{name}-{width.name}.png"
    page.screenshot(path=target, full_page=True)
    say(f"{target} ({page.url})")


def take(base_url: str, env: dict[str, str], output: Path, staff_password: str) -> None:
    note = member_note_with_checklist(env)
    output.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for width in WIDTHS:
            viewport = {"width": width.width, "height": width.height}
            visitor = browser.new_context(base_url=base_url, viewport=viewport).new_page()
            shoot(visitor, output, "home-visitor", width, "/")
            member = browser.new_context(base_url=base_url, viewport=viewport).new_page()
            log_in(member, "/users/login/", MEMBER, MEMBER_PASSWORD)
            shoot(member, output, "home-member", width, "/")
            shoot(member, output, "my-notes", width, "/notes/")
            shoot(member, output, "editor", width, f"/notes/{note}/edit/")
            member.click("#body-preview-tab")
            member.wait_for_selector("#body-preview:not([hidden])")
            shoot(member, output, "editor-preview", width, None)
            shoot(member, output, "trash", width, "/notes/trash/")
            staff = browser.new_context(base_url=base_url, viewport=viewport).new_page()
            log_in(staff, "/admin/login/", STAFF, staff_password)
            shoot(staff, output, "admin-note", width, f"/admin/notes/note/{note}/change/")
            shoot(staff, output, "store-status", width, "/status/")
        browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    staff_password = secrets.token_urlsafe(16)
    env = environment(staff_password)
    say("seeding var/screenshots and the MongoDB database polystore_screenshots")
    prepare(env)
    with development_server(env) as base_url:
        take(base_url, env, args.output.resolve(), staff_password)


if __name__ == "__main__":
    main()
