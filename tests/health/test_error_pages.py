"""Error pages that need a store which is down answer the styled 503, not a 500."""

from __future__ import annotations

import pytest

from tests.production import manage, production_env

pytestmark = pytest.mark.usefixtures("production_static")  # the pages' manifest

PROBE = """
import secrets
from django.core.cache import caches
from django.test import Client
key = secrets.token_hex(16)
caches["sessions"].set("django.contrib.sessions.cached_db" + key, {
    "_auth_user_id": "1", "_auth_user_backend": "users.sessions.MemberBackend", "_auth_user_hash": "x"})
client = Client(HTTP_HOST="polystore.test", raise_request_exception=False)
client.cookies["sessionid"] = key
for path in ["/no/such/page/", "/notes/not-an-id/", "/notes/000000000000000000000000/"]:
    response = client.get(path, secure=True)
    print("answer", path, response.status_code, "Briefly unavailable" in response.content.decode())
caches["sessions"].delete("django.contrib.sessions.cached_db" + key)
"""


def test_a_404_for_a_member_answers_503_while_the_relational_store_is_down(tmp_path, closed_port):
    """The session is in Redis; the 404 page asks who is logged in, and PostgreSQL does not answer."""
    env = production_env(tmp_path, DATABASE_URL=f"postgres://polystore:x@127.0.0.1:{closed_port}/polystore")
    result = manage(env, "shell", "-c", PROBE)

    answers = [line.split()[1:] for line in result.stdout.splitlines() if line.startswith("answer ")]
    assert answers == [
        ["/no/such/page/", "503", "True"],
        ["/notes/not-an-id/", "503", "True"],
        ["/notes/000000000000000000000000/", "503", "True"],
    ], result.stdout + result.stderr


def test_a_404_is_still_the_styled_404_when_the_stores_answer(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.content.decode()


def test_a_403_is_styled_like_the_404(bob_client, alice):
    response = bob_client.get(f"/users/{alice.pk}/edit/")

    assert response.status_code == 403
    content = response.content.decode()
    assert "<h1>Not allowed</h1>" in content
    assert "vendor/pico/pico-2.1.1.min.css" in content
