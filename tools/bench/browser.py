"""A tiny HTTP client for the set-up requests: log in, read a form's CSRF token, check a page's status.

It talks to gunicorn as the TLS-terminating proxy would (X-Forwarded-Proto: https), and keeps
cookies by hand because the production cookies are Secure, which cookie jars will not send over
plain HTTP.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str


def csrf_form_token(html: str) -> str:
    """Return the csrfmiddlewaretoken of the first form on the page."""
    match = CSRF_FIELD.search(html)
    if match is None:
        raise ValueError("the page has no csrfmiddlewaretoken field")
    return match.group(1)


@dataclass
class Browser:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.port}"

    def headers(self) -> dict[str, str]:
        """The headers every request carries, wrk's included."""
        headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        return headers

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(
        self, method: str, path: str, fields: dict[str, str] | None = None, *, extra: dict[str, str] | None = None
    ) -> Answer:
        headers = {"Host": f"{self.host}:{self.port}", **self.headers(), **(extra or {})}
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}{path}",
            }
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read().decode(errors="replace"))
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        return self.request("POST", path, fields)

    def log_in(self, username: str, password: str, *, path: str = "/users/login/") -> None:
        """Log in through the real login form; afterwards self.cookies holds the session."""
        token = csrf_form_token(self.get(path).body)
        answer = self.post(path, {"csrfmiddlewaretoken": token, "username": username, "password": password})
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"logging in as {username} answered {answer.status}, not a redirect with a session")
