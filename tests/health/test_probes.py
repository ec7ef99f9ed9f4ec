"""/healthz, /readyz and check_backends report every store, and name the one that is away."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

READYZ_IN_A_FRESH_PROCESS = """
import json
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1").get("/readyz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_readyz_reports_every_store_with_its_latency(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["stores"]) == {"relational", "mongodb", "redis"}
    for status in body["stores"].values():
        assert status["ok"] is True
        assert status["version"]
        assert status["latency_ms"] >= 0


def test_check_backends_prints_one_line_per_store(manage):
    result = manage("check_backends")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line.split()[0] for line in lines] == ["relational", "mongodb", "redis"]
    assert all(line.endswith("ms") for line in lines)


@pytest.mark.parametrize(
    ("variable", "url", "store"),
    [
        ("MONGODB_URI", "mongodb://127.0.0.1:{port}/polystore", "mongodb"),
        ("REDIS_URL", "redis://127.0.0.1:{port}/0", "redis"),
        ("DATABASE_URL", "postgres://polystore:polystore@127.0.0.1:{port}/polystore", "relational"),
    ],
)
def test_readyz_turns_503_naming_a_store_whose_url_points_at_a_closed_port(manage, closed_port, variable, url, store):
    env = {variable: url.format(port=closed_port)}

    result = manage("shell", "-c", READYZ_IN_A_FRESH_PROCESS, env=env)
    backends = manage("check_backends", env=env)

    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["failing"] == [store]
    assert answer["body"]["stores"][store]["error"]
    assert backends.returncode == 1
    assert f"unreachable: {store}" in backends.stderr
