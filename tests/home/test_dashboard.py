"""The dashboard at `/`: counts per store (cached), this week's most viewed notes, recently viewed."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_redis import get_redis_connection

from home.dashboard import STORE_COUNTS_KEY
from notes.counters import note_view_record
from notes.models import Note
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


@pytest.fixture(autouse=True)
def empty_redis():
    connection = get_redis_connection("default")
    connection.flushdb()
    yield
    connection.flushdb()
    Note.objects.all().delete()


def test_counts_are_cached_in_the_default_cache_until_a_write(client, alice):
    NoteFactory(owner_id=alice.pk, public=True)
    NoteFactory(owner_id=alice.pk)

    with CaptureQueriesContext(connection) as first_queries:
        first = client.get("/")
    [key] = cache.keys(f"{STORE_COUNTS_KEY}:*")
    assert cache.get(key) == {"members": 1, "notes": 2, "public_notes": 1}
    assert b"1 member" in first.content
    assert b"2 notes" in first.content

    with CaptureQueriesContext(connection) as second_queries:
        second = client.get("/")
    assert b"2 notes" in second.content
    assert len(second_queries) < len(first_queries)

    NoteFactory(owner_id=alice.pk)
    assert b"3 notes" in client.get("/").content


def test_most_viewed_hides_private_notes_from_others_and_orphans(client, alice, bob):
    public = NoteFactory(owner_id=alice.pk, public=True, title="Public favourite")
    private = NoteFactory(owner_id=alice.pk, title="Alice's secret")
    orphan = NoteFactory(owner_id=999_999, public=True, title="Nobody's note")
    for note, views in ((public, 3), (private, 5), (orphan, 7)):
        for _ in range(views):
            note_view_record(note_id=note.pk, owner_id=note.owner_id)

    client.force_login(bob)
    as_bob = client.get("/").content.decode()
    client.force_login(alice)
    as_alice = client.get("/").content.decode()

    assert "Public favourite" in as_bob
    assert "3 views" in as_bob
    assert "Alice&#x27;s secret" not in as_bob
    assert "Nobody" not in as_bob
    assert as_alice.index("Alice&#x27;s secret") < as_alice.index("Public favourite")
    assert "Nobody" not in as_alice


def test_recently_viewed_shows_for_members_only(client, alice):
    note = NoteFactory(owner_id=alice.pk, title="Shopping list")
    client.force_login(alice)
    client.get(f"/notes/{note.pk}/")

    assert "Recently viewed" in client.get("/").content.decode()
    assert "Shopping list" in client.get("/").content.decode()
    client.logout()
    assert "Recently viewed" not in client.get("/").content.decode()


def test_the_dashboard_answers_while_redis_is_down(client, alice, own_redis):
    client.force_login(alice)
    own_redis.stop()

    response = client.get("/")

    assert response.status_code == 200
    assert response.content.decode().count("Unavailable.") == 2
