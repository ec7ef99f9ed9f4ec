from __future__ import annotations

import json
import re
from io import StringIO

import pytest
import redis
from django.core.management import call_command

from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def stats(*args: str) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def test_stats_json_counts_each_store(alice, bob, client):
    NoteFactory(owner_id=alice.pk, visibility="public")
    NoteFactory(owner_id=alice.pk)
    client.force_login(bob)

    figures = json.loads(stats("--json"))

    assert figures["relational"]["users"] == 2
    assert figures["relational"]["active_sessions"] == 1
    assert figures["mongodb"]["notes"] == 2
    assert figures["mongodb"]["public_notes"] == 1
    assert figures["mongodb"]["storage_size_bytes"] > 0
    assert figures["redis"]["used_memory_bytes"] > 0
    assert figures["redis"]["cached_sessions"] >= 1


def test_stats_text_names_every_store(alice):
    output = stats()

    assert "Relational" in output
    assert "MongoDB" in output
    assert "Redis" in output
    assert "members          1" in output


def test_stats_reports_a_store_that_does_not_answer(manage, closed_port):
    result = manage("stats", "--json", env={"REDIS_URL": f"redis://127.0.0.1:{closed_port}/0"})

    assert result.returncode == 0
    figures = json.loads(result.stdout)
    assert "error" in figures["redis"]
    assert "notes" in figures["mongodb"]


def test_stats_lists_redis_databases_in_numeric_order(own_redis):
    for database in (10, 2, 5):
        redis.Redis.from_url(own_redis.url(database)).set("key", "value")

    listed = re.findall(r"keys in (db\d+)", stats())
    in_json = list(json.loads(stats("--json"))["redis"]["keys_per_database"])

    assert [name for name in listed if name in ("db2", "db5", "db10")] == ["db2", "db5", "db10"]
    assert listed == sorted(listed, key=lambda name: int(name[2:])) == in_json
