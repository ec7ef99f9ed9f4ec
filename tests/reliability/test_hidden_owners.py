"""What a page shows follows the relational store within PAGE_CACHE_SECONDS (issue #15, item 4).

A member's name cached in Redis decides whether their notes are shown; a delete whose signal
never reached Redis (it was down) must not keep their notes listed for an hour.
"""

from __future__ import annotations

import time

import pytest
from django.db import connections
from django.urls import reverse

from tests.factories import NoteFactory
from users.models import User

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def public_titles(client) -> list[str]:
    return [note.title for note in client.get(reverse("notes:public")).context["notes"]]


def test_a_delete_that_redis_missed_hides_the_notes_within_page_cache_seconds(alice, bob_client, settings):
    settings.PAGE_CACHE_SECONDS = 1
    note = NoteFactory(owner_id=alice.pk, public=True, title="Still here?")
    assert public_titles(bob_client) == ["Still here?"]  # her name is now cached

    with connections["default"].cursor() as cursor:  # the row goes; Redis never hears of it
        cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE id = %s", [alice.pk])
    time.sleep(1.2)

    assert public_titles(bob_client) == []
    assert bob_client.get(reverse("notes:detail", args=[note.pk])).status_code == 404


def test_a_deactivated_members_public_notes_are_hidden_like_their_profile(alice, bob_client):
    note = NoteFactory(owner_id=alice.pk, public=True, title="Before I left")
    assert public_titles(bob_client) == ["Before I left"]

    alice.is_active = False
    alice.save()

    assert bob_client.get(reverse("users:profile", args=[alice.pk])).status_code == 404
    assert public_titles(bob_client) == []
    assert bob_client.get(reverse("notes:detail", args=[note.pk])).status_code == 404
