"""One simulated visitor: a requests.Session that reads pages and submits the real forms, as a browser would.

gunicorn sits behind a TLS-terminating proxy in production, so every request says
X-Forwarded-Proto: https, and the Secure cookies (session, CSRF) are kept without their Secure
flag so that the session sends them over the plain loopback hop, as the proxy would. Forms are read from the page (every field,
hidden ones and the formsets' management forms included) and posted back with the CSRF token.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

LOGOUT_PATH = "/users/logout/"
LOGIN_PATH = "/users/login/"
LOGGED_IN_MARK = f'action="{LOGOUT_PATH}"'
FRIENDLY_503_MARK = "Briefly unavailable"
NOTE_LINK = re.compile(r'href="/notes/([0-9a-f]{24})/"')
MEMBER_LINK = re.compile(r'href="/users/(\d+)/"')
REQUEST_TIMEOUT = 60.0  # longer than gunicorn's 30 s worker timeout: a slow answer still counts as an answer


class PageForm(HTMLParser):
    """The fields a browser would submit for each form on a page (nothing inside <template>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: list[str] | None = None
        self._select: str | None = None
        self._template_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "template":
            self._template_depth += 1
        if self._template_depth:
            return
        if tag == "form":
            self._form = {"method": a.get("method", "get").lower(), "action": a.get("action", ""), "fields": []}
            self.forms.append(self._form)
        elif self._form is None or "name" not in a:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            self._form["fields"].append((a["name"], value))
        elif tag == "textarea":
            self._textarea = []
            self._form["fields"].append((a["name"], ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self._form["fields"].append((self._select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._template_depth -= 1
        elif tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, _ = self._form["fields"][-1]
            self._form["fields"][-1] = (name, "".join(self._textarea).removeprefix("\n"))  # as browsers read it
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and not self._template_depth:
            self._textarea.append(data)


def page_form(html: str) -> dict[str, str]:
    """Return the fields of the page's own POST form (not the logout button in the header)."""
    parser = PageForm()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] == "post" and form["action"] != LOGOUT_PATH:
            return dict(form["fields"])
    raise ValueError("the page has no POST form of its own")


def logout_form(html: str) -> dict[str, str]:
    parser = PageForm()
    parser.feed(html)
    for form in parser.forms:
        if form["action"] == LOGOUT_PATH:
            return dict(form["fields"])
    raise ValueError("the page has no logout form")


@dataclass
class Outcome:
    """One request as the visitor saw it."""

    client: str
    kind: str  # which store the page needs: notes, members, admin, home, login, health
    method: str
    path: str
    started: float  # time.monotonic()
    seconds: float
    status: int | None  # None: no HTTP answer at all
    error: str = ""
    location: str = ""
    friendly: bool = False  # a 503 with the styled page and Retry-After

    @property
    def label(self) -> str:
        return str(self.status) if self.status is not None else f"no answer ({self.error})"

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400

    @property
    def server_error(self) -> bool:
        """A 5xx, or no answer at all (a proxy would have answered 502)."""
        return self.status is None or self.status >= 500

    @property
    def ended(self) -> float:
        return self.started + self.seconds


def page_kind(path: str) -> str:
    if path.startswith("/notes/") or re.fullmatch(r"/users/\d+/", path.split("?", maxsplit=1)[0]):
        return "notes"  # a profile lists the member's public notes
    if path.startswith("/admin/"):
        return "admin"
    if path.startswith((LOGIN_PATH, LOGOUT_PATH)):
        return "login"
    if path.startswith("/users/"):
        return "members"
    if path.startswith("/readyz"):
        return "health"
    return "home"


class Visitor:
    """A browser's view of the site: cookies, the CSRF dance, and a record of every answer."""

    def __init__(self, name: str, base_url: str, record: list[Outcome]) -> None:
        self.name = name
        self.base_url = base_url
        self.record = record
        self.session = self._new_session()

    def _new_session(self) -> requests.Session:
        session = requests.Session()
        session.headers.update({"X-Forwarded-Proto": "https", "User-Agent": f"polystore-drills/{self.name}"})
        return session

    @property
    def origin(self) -> str:
        split = urlsplit(self.base_url)
        return f"https://{split.netloc}"

    @property
    def session_key(self) -> str | None:
        return self.session.cookies.get("sessionid")

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> tuple[Outcome, str]:
        headers = {}
        if method == "POST":
            headers = {"Origin": self.origin, "Referer": self.origin + path}
        started = time.monotonic()
        try:
            response = self.session.request(
                method,
                urljoin(self.base_url, path),
                data=data,
                headers=headers,
                allow_redirects=False,
                timeout=REQUEST_TIMEOUT,
            )
        except requests.RequestException as error:
            outcome = Outcome(
                self.name,
                page_kind(path),
                method,
                path,
                started,
                time.monotonic() - started,
                None,
                error=type(error).__name__,
            )
            self.record.append(outcome)
            return outcome, ""
        for cookie in self.session.cookies:
            # The proxy's inside hop is plain HTTP on loopback: let the Secure cookies travel on it.
            # (requests builds each request's Cookie header with a fresh jar, so a cookie policy cannot.)
            cookie.secure = False
        body = response.text
        outcome = Outcome(
            self.name,
            page_kind(path),
            method,
            path,
            started,
            time.monotonic() - started,
            response.status_code,
            location=urlsplit(response.headers.get("Location", "")).path,
            friendly=response.status_code == 503 and FRIENDLY_503_MARK in body and "Retry-After" in response.headers,
        )
        self.record.append(outcome)
        return outcome, body

    def get(self, path: str) -> tuple[Outcome, str]:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> tuple[Outcome, str]:
        return self.request("POST", path, data)
