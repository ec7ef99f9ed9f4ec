"""Mixed traffic from concurrent members: browse, search, write notes through the forms, log in and out.

Each member is one thread with its own account and its own notes, so the writes to a note are
ordered and the ledger knows what the store must show afterwards. A member who finds itself
logged out without having asked (sent to the login page, or a page rendered for an anonymous
visitor) records it and logs in again.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tools.drills.client import (
    LOGGED_IN_MARK,
    LOGIN_PATH,
    MEMBER_LINK,
    NOTE_LINK,
    Outcome,
    Visitor,
    logout_form,
    page_form,
)
from tools.drills.ledger import Ledger

NOTE_PATH = re.compile(r"/notes/([0-9a-f]{24})/")
SEARCH_WORDS = ["the", "work", "idea", "garden", "music", "drill", "plan", "book", "note", "travel"]
# Half a second after an error, as a person would wait before trying again; Retry-After (10 s) is for robots.
ERROR_PAUSE = 0.5
THINK_SECONDS = (0.0, 0.1)


@dataclass
class Logout:
    """A member found itself logged out without asking."""

    client: str
    at: float
    path: str
    evidence: str


@dataclass
class Shared:
    """What the members learn from pages and share: public notes and member ids to visit."""

    public_notes: list[str] = field(default_factory=list)
    member_ids: list[int] = field(default_factory=list)
    logouts: list[Logout] = field(default_factory=list)
    # Sessions ended by a voluntary logout: (when, session key); a logout must stay a logout.
    ended_sessions: list[tuple[float, str]] = field(default_factory=list)

    def learn(self, path: str, body: str) -> None:
        """Remember the public notes of a public list and the members of the directory."""
        if path.startswith("/notes/public/"):
            for note_id in NOTE_LINK.findall(body)[:20]:
                if note_id not in self.public_notes:
                    self.public_notes.append(note_id)
            del self.public_notes[:-500]
        elif path.startswith("/users/?") or path == "/users/":
            for member_id in MEMBER_LINK.findall(body)[:25]:
                if int(member_id) not in self.member_ids:
                    self.member_ids.append(int(member_id))


class Member(Visitor):
    def __init__(
        self,
        name: str,
        base_url: str,
        record: list[Outcome],
        *,
        username: str,
        password: str,
        ledger: Ledger,
        shared: Shared,
        seed: int,
    ) -> None:
        super().__init__(name, base_url, record)
        self.username, self.password = username, password
        self.ledger, self.shared = ledger, shared
        self.rng = random.Random(seed)
        self.member_id: int | None = None
        self.logged_in = False
        self.notes: list[str] = []  # notes of ours that we may still edit or delete
        self.written = 0
        self.log_out_soon = threading.Event()  # set by a drill: log out (and back in) at the next turn

    # ------------------------------------------------------------------ observing
    def look(self, outcome: Outcome, body: str) -> bool:
        """Note an involuntary logout; return whether the answer was a success."""
        if self.logged_in and outcome.status is not None:
            sent_to_login = outcome.status == 302 and outcome.location.startswith((LOGIN_PATH, "/admin/login/"))
            anonymous_page = (
                outcome.status == 200
                and outcome.kind not in ("health", "admin")
                and "<html" in body
                and LOGGED_IN_MARK not in body
            )
            if sent_to_login or anonymous_page:
                evidence = f"302 to {outcome.location}" if sent_to_login else "page rendered for an anonymous visitor"
                self.shared.logouts.append(Logout(self.name, outcome.started, outcome.path, evidence))
                self.logged_in = False
        if outcome.server_error or outcome.status == 429:
            time.sleep(ERROR_PAUSE)
        return outcome.ok

    def visit(self, path: str) -> tuple[Outcome, str]:
        outcome, body = self.get(path)
        self.look(outcome, body)
        if outcome.status == 200:
            self.shared.learn(path, body)
        return outcome, body

    # ------------------------------------------------------------------ logging in and out
    def log_in(self) -> bool:
        outcome, body = self.get(LOGIN_PATH)
        if outcome.status == 302:  # already logged in after all
            self.logged_in = True
            return True
        if not self.look(outcome, body):
            return False
        fields = page_form(body) | {"username": self.username, "password": self.password}
        outcome, _ = self.post(LOGIN_PATH, fields)
        if outcome.status != 302 or self.session_key is None:
            self.look(outcome, "")
            return False
        self.logged_in = True
        return True

    def learn_own_notes(self) -> None:
        outcome, body = self.visit("/notes/")
        if outcome.status != 200 or not self.logged_in:
            return
        self.member_id = int(MEMBER_LINK.search(body).group(1))  # the header's link to our profile
        for note_id in NOTE_LINK.findall(body):
            self.ledger.known(note_id, self.member_id)
            if note_id not in self.notes:
                self.notes.append(note_id)

    def log_out(self) -> None:
        outcome, body = self.visit("/users/")
        if outcome.status != 200 or LOGGED_IN_MARK not in body:
            return
        session_key = self.session_key
        outcome, _ = self.post("/users/logout/", logout_form(body))
        if outcome.status == 302:
            self.logged_in = False
            self.shared.ended_sessions.append((outcome.ended, session_key))
        else:
            self.look(outcome, "")

    # ------------------------------------------------------------------ the actions
    def browse_public(self) -> None:
        self.visit(self.rng.choice(["/notes/public/", "/notes/public/", "/notes/public/?page=2"]))

    def browse_directory(self) -> None:
        self.visit(self.rng.choice(["/users/", "/users/", "/users/?page=2"]))

    def search(self) -> None:
        word = self.rng.choice(SEARCH_WORDS)
        self.visit(
            self.rng.choice(
                [
                    f"/notes/public/?q={word}",
                    f"/users/?q=demo0000{self.rng.randint(1, 4)}",
                    f"/notes/?q={word}" if self.logged_in else f"/notes/public/?q={word}",
                ]
            )
        )

    def my_notes(self) -> None:
        self.visit("/notes/" if self.logged_in else "/notes/public/")

    def read_note(self) -> None:
        pool = self.shared.public_notes + (self.notes if self.logged_in else [])
        if pool:
            self.visit(f"/notes/{self.rng.choice(pool)}/")

    def profile(self) -> None:
        if self.shared.member_ids:
            self.visit(f"/users/{self.rng.choice(self.shared.member_ids)}/")

    def note_fields(self, path: str) -> dict[str, str] | None:
        outcome, body = self.visit(path)
        if outcome.status != 200:
            return None
        return page_form(body)

    def create(self) -> None:
        fields = self.note_fields("/notes/new/")
        if fields is None:
            return
        self.written += 1
        title = f"drill {self.name} note {self.written} {self.rng.choice(SEARCH_WORDS)}"
        fields |= {
            "title": title,
            "body": f"Written by the drills at {time.time():.3f}.\n\n- one\n- two",
            "tags": self.rng.choice(["drill", "drill load", "work drill", ""]),
            "visibility": self.rng.choice(["public", "private"]),
        }
        outcome, _ = self.post("/notes/new/", fields)
        self.look(outcome, "")
        if outcome.status == 302 and (created := NOTE_PATH.fullmatch(outcome.location)):
            note_id = created.group(1)
            self.ledger.created(note_id, self.member_id, title)
            self.notes.append(note_id)
        else:
            self.ledger.create_unacknowledged(title)

    def edit(self) -> None:
        if not self.notes:
            return self.create()
        note_id = self.rng.choice(self.notes)
        fields = self.note_fields(f"/notes/{note_id}/edit/")
        if fields is None:
            return None
        self.written += 1
        title = f"drill {self.name} edit {self.written}"
        outcome, _ = self.post(f"/notes/{note_id}/edit/", fields | {"title": title})
        self.look(outcome, "")
        self.ledger.edited(
            note_id, title, acknowledged=outcome.status == 302 and outcome.location == f"/notes/{note_id}/"
        )
        return None

    def delete(self) -> None:
        if len(self.notes) < 2:
            return self.create()
        note_id = self.rng.choice(self.notes)
        fields = self.note_fields(f"/notes/{note_id}/delete/")
        if fields is None:
            return None
        outcome, _ = self.post(f"/notes/{note_id}/delete/", fields)
        self.look(outcome, "")
        self.ledger.removed(note_id, acknowledged=outcome.status == 302 and outcome.location == "/notes/")
        self.notes.remove(note_id)  # acknowledged or not, we leave it alone from now on
        return None

    def log_out_and_back_in(self) -> None:
        self.log_out()
        for _ in range(self.rng.randint(1, 3)):
            self.rng.choice([self.browse_public, self.browse_directory, self.read_note])()
        self.log_in()

    def actions(self) -> list[tuple[Callable[[], None], int]]:
        return [
            (self.browse_public, 18),
            (self.browse_directory, 12),
            (self.search, 12),
            (self.my_notes, 10),
            (self.read_note, 12),
            (self.profile, 5),
            (self.create, 12),
            (self.edit, 10),
            (self.delete, 5),
            (self.log_out_and_back_in, 1),
        ]

    def run(self, stop: threading.Event) -> None:
        actions, weights = zip(*self.actions(), strict=True)
        while not stop.is_set():
            if not self.logged_in and not self.log_in():
                stop.wait(ERROR_PAUSE)
                continue
            if self.member_id is None:  # who we are, and our seeded notes: needed before any write
                self.learn_own_notes()
                continue
            if self.log_out_soon.is_set():
                self.log_out_soon.clear()
                self.log_out_and_back_in()
            else:
                self.rng.choices(actions, weights)[0]()
            stop.wait(self.rng.uniform(*THINK_SECONDS))


class Prober(Visitor):
    """Reads a list of pages every `interval` seconds: /readyz, or the users admin as staff."""

    def __init__(
        self,
        name: str,
        base_url: str,
        record: list[Outcome],
        paths: list[str],
        *,
        interval: float,
        shared: Shared,
        login: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(name, base_url, record)
        self.paths, self.interval, self.shared, self.login = list(paths), interval, shared, login
        self.logged_in = False

    def log_in(self) -> bool:
        outcome, body = self.get(LOGIN_PATH)
        if outcome.status != 200:
            return False
        username, password = self.login
        outcome, _ = self.post(LOGIN_PATH, page_form(body) | {"username": username, "password": password})
        self.logged_in = outcome.status == 302
        if self.logged_in and not any(path.endswith("/edit/") for path in self.paths):
            outcome, body = self.get("/users/")
            if outcome.status == 200 and (own := MEMBER_LINK.search(body)):
                self.paths.append(f"/users/{own.group(1)}/edit/")  # the staff member's own profile form
        return self.logged_in

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            if self.login and not self.logged_in and not self.log_in():
                stop.wait(self.interval)
                continue
            for path in self.paths:
                outcome, _ = self.get(path)
                if self.login and outcome.status == 302 and outcome.location.startswith(("/admin/login/", LOGIN_PATH)):
                    self.shared.logouts.append(Logout(self.name, outcome.started, path, f"302 to {outcome.location}"))
                    self.logged_in = False
            stop.wait(self.interval)


class Traffic:
    """`clients` members and the probers, started together and stopped together."""

    def __init__(
        self,
        base_url: str,
        *,
        usernames: list[str],
        password: str,
        staff: tuple[str, str],
        member_pages: list[str],
        seed: int = 10,
    ) -> None:
        self.record: list[Outcome] = []
        self.probes: list[Outcome] = []
        self.ledger = Ledger()
        self.shared = Shared()
        self.members = [
            Member(
                f"c{number:02d}",
                base_url,
                self.record,
                username=username,
                password=password,
                ledger=self.ledger,
                shared=self.shared,
                seed=seed * 1000 + number,
            )
            for number, username in enumerate(usernames, start=1)
        ]
        self.probers = [
            Prober("readyz", base_url, self.probes, ["/readyz"], interval=0.25, shared=self.shared),
            Prober("staff", base_url, self.probes, member_pages, interval=0.5, shared=self.shared, login=staff),
        ]
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def log_everyone_in(self) -> None:
        """Log every member in, and learn their notes, before the clock starts (a login is ~0.3 s of PBKDF2)."""
        pending, failed = list(self.members), []
        lock = threading.Lock()

        def work() -> None:
            while True:
                with lock:
                    if not pending:
                        return
                    member = pending.pop()
                if not any(member.log_in() for _ in range(5)):
                    failed.append(member.username)
                    continue
                member.learn_own_notes()

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failed:
            statuses = sorted({outcome.label for outcome in self.record if not outcome.ok})
            raise RuntimeError(f"could not log in before the drill: {', '.join(failed)} (answers: {statuses})")
        self.record.clear()

    def start(self) -> float:
        for worker in [*self.members, *self.probers]:
            thread = threading.Thread(target=worker.run, args=(self.stop,), name=worker.name, daemon=True)
            thread.start()
            self.threads.append(thread)
        return time.monotonic()

    def finish(self) -> float:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=90)
        return time.monotonic()
