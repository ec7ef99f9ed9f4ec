"""Anonymous searches cannot fill Redis (issue #15, item 7): counts are kept for whole lists only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def test_searches_and_tags_leave_no_keys_in_redis(client, alice, alice_client, cache_redis):
    NoteFactory(owner_id=alice.pk, public=True, title="zz0")
    client.get(reverse("notes:public"))
    alice_client.get(reverse("notes:list"))
    keys_of_the_whole_lists = set(cache_redis.keys("*"))

    for n in range(50):
        assert client.get(reverse("notes:public"), {"q": f"zz{n}"}).status_code == 200
        assert client.get(reverse("notes:public"), {"tag": f"t{n}"}).status_code == 200
        assert alice_client.get(reverse("notes:list"), {"q": f"zz{n}", "tag": f"t{n}"}).status_code == 200

    assert set(cache_redis.keys("*")) == keys_of_the_whole_lists


def test_a_search_still_counts_what_it_finds(client, alice):
    NoteFactory.create_batch(3, owner_id=alice.pk, public=True, title="zz found")

    assert client.get(reverse("notes:public"), {"q": "zz"}).context["paginator"].count == 3
