"""/readyz tells the public a status per store, and only staff or loopback the internals (issue #15, item 9)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

PUBLIC_ADDRESS = "203.0.113.7"
READYZ_FROM_OUTSIDE = """
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="203.0.113.7").get("/readyz")
print("answer", response.status_code, response.content.decode())
"""


def test_the_public_gets_a_status_per_store_and_no_versions(client):
    response = client.get("/readyz", REMOTE_ADDR=PUBLIC_ADDRESS)

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failing": [],
        "stores": {"relational": "ok", "mongodb": "ok", "redis": "ok"},
    }


def test_the_public_is_not_told_internal_addresses_or_driver_errors(manage, closed_port):
    result = manage("shell", "-c", READYZ_FROM_OUTSIDE, env={"MONGODB_URI": f"mongodb://127.0.0.1:{closed_port}/x"})

    [answer] = [line.split(" ", 2)[1:] for line in result.stdout.splitlines() if line.startswith("answer ")]
    status, body = int(answer[0]), json.loads(answer[1])
    assert status == 503
    assert body == {
        "status": "unavailable",
        "failing": ["mongodb"],
        "stores": {"relational": "ok", "mongodb": "unavailable", "redis": "ok"},
    }
    assert str(closed_port) not in answer[1]


@pytest.mark.parametrize(("persona", "detailed"), [("alice_client", False), ("staff_client", True)])
def test_staff_get_the_details_from_anywhere(request, persona, detailed):
    body = request.getfixturevalue(persona).get("/readyz", REMOTE_ADDR=PUBLIC_ADDRESS).json()

    assert isinstance(body["stores"]["redis"], dict) is detailed
    if detailed:
        assert body["stores"]["redis"]["version"]


def test_loopback_gets_the_details(client):
    body = client.get("/readyz", REMOTE_ADDR="::1").json()

    assert body["stores"]["mongodb"]["ok"] is True
    assert body["stores"]["mongodb"]["version"]
