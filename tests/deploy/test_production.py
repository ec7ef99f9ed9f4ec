"""The production configuration: `check --deploy`, and gunicorn serving with gunicorn.conf.py."""

from __future__ import annotations

import subprocess
import sys

import redis

from tests.production import ROOT, fetch, manage, production_env
from tools.stores.processes import free_port


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
for path in ["/notes/public/", "/notes/000000000000000000000000/", "/users/login/", "/readyz"]:
    response = client.get(path, secure=True)
    print("answer", path, response.status_code, response.get("Retry-After"), "Briefly unavailable" in response.content.decode())
"""
    result = manage(env, "shell", "-c", probe)

    answers = [line.split(" ", 2)[1:] for line in result.stdout.splitlines() if line.startswith("answer ")]
    lines = dict(answers)
    assert lines["/notes/public/"] == "503 10 True", result.stdout + result.stderr
    assert (
        lines["/notes/000000000000000000000000/"] == "503 10 True"
    )  # a note's page reads by id (mongodb_engine.documents)
    assert lines["/users/login/"].startswith("200 None")
    assert lines["/readyz"].startswith("503")
