"""The production configuration: `check --deploy`, and gunicorn serving with gunicorn.conf.py."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from pymongo import MongoClient

ROOT = Path(__file__).resolve().parents[2]
MONGODB_DATABASE = "polystore_gunicorn_check"


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """Production settings on throwaway stores: a migrated SQLite file, its own MongoDB database."""
    mongodb_base = os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017/polystore").rsplit("/", 1)[0]
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "polystore.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "MONGODB_URI": f"{mongodb_base}/{MONGODB_DATABASE}",
        "REDIS_URL": "redis://127.0.0.1:6379/12",
        **overrides,
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(port: int, path: str, *, https: bool = True, host: str = "polystore.test") -> Answer:
    """GET a path as a TLS-terminating proxy would forward it (X-Forwarded-Proto)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    if https:
        request.add_header("X-Forwarded-Proto", "https")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return Answer(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read().decode())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[int]:
    """gunicorn with gunicorn.conf.py on a loopback port, like the Dockerfile's CMD."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = production_env(tmp_path)
    for args in (
        ["collectstatic", "--noinput"],
        ["migrate", "--noinput"],
        ["migrate", "--database", "mongodb", "--noinput"],
    ):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr
    port = free_port()
    env |= {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if fetch(port, "/healthz", https=False, host="127.0.0.1").status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer /healthz within 30 s")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        MongoClient(env["MONGODB_URI"]).drop_database(MONGODB_DATABASE)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(
        production_env(tmp_path, EMAIL_HOST="smtp.polystore.test"), "check", "--deploy", "--fail-level", "WARNING"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_gunicorn_answers_healthz_by_ip_over_plain_http(served):
    answer = fetch(served, "/healthz", https=False, host="127.0.0.1")

    assert (answer.status, answer.body) == (200, "ok")


def test_gunicorn_reports_every_store_ready(served):
    answer = fetch(served, "/readyz")

    assert answer.status == 200, answer.body
    assert '"status": "ok"' in answer.body


def test_gunicorn_serves_a_notes_page_with_security_headers(served):
    answer = fetch(served, "/notes/public/")

    assert answer.status == 200, answer.body[:500]
    assert "Public notes" in answer.body
    assert "max-age=" in answer.headers["Strict-Transport-Security"]
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https(served):
    answer = fetch(served, "/notes/public/", https=False)

    assert answer.status == 301
    assert answer.headers["Location"] == "https://polystore.test/notes/public/"


def test_unknown_host_is_refused(served):
    assert fetch(served, "/notes/public/", host="evil.example").status == 400


def test_static_files_are_served_compressed_and_hashed(served):
    page = fetch(served, "/").body
    stylesheet = next(
        part.split('"')[0] for part in page.split('href="')[1:] if part.startswith("/static/vendor/pico/")
    )

    assert stylesheet != "/static/vendor/pico/pico-2.1.1.min.css"
    answer = fetch(served, stylesheet)
    assert answer.status == 200
    assert "max-age=315360000" in answer.headers["Cache-Control"]


def test_missing_page_is_the_styled_404(served):
    answer = fetch(served, "/no/such/page/")

    assert answer.status == 404
    assert "<h1>Not found</h1>" in answer.body
    assert "/static/vendor/pico/" in answer.body


def test_gunicorn_refuses_to_start_without_a_secret_in_one_line(tmp_path):
    env = production_env(tmp_path, DJANGO_SECRET_KEY="", GUNICORN_BIND=f"127.0.0.1:{free_port()}")

    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "Configuration error: DJANGO_SECRET_KEY: is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_notes_pages_answer_a_styled_503_and_member_pages_keep_working_when_mongodb_is_down(tmp_path):
    """The whole app, started with its MongoDB URI pointing at a closed port."""
    env = production_env(tmp_path, MONGODB_URI=f"mongodb://127.0.0.1:{free_port()}/polystore")
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # no copy of the page cached by the tests above
    assert manage(env, "migrate", "--noinput").returncode == 0
    probe = """
from django.test import Client
client = Client(HTTP_HOST="polystore.test", headers={"X-Forwarded-Proto": "https"})
for path in ["/notes/public/", "/users/login/", "/readyz"]:
    response = client.get(path, secure=True)
    print("answer", path, response.status_code, response.get("Retry-After"), "Briefly unavailable" in response.content.decode())
"""
    result = manage(env, "shell", "-c", probe)

    answers = [line.split(" ", 2)[1:] for line in result.stdout.splitlines() if line.startswith("answer ")]
    lines = dict(answers)
    assert lines["/notes/public/"] == "503 10 True", result.stdout + result.stderr
    assert lines["/users/login/"].startswith("200 None")
    assert lines["/readyz"].startswith("503")
