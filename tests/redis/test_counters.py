"""Live counters in Redis: views per note, this week's leaderboard, each member's recently viewed notes."""

from __future__ import annotations

import logging
import threading

import pytest

from notes.counters import (
    RECENTLY_VIEWED_LIMIT,
    leaderboard_key,
    most_viewed_this_week,
    note_live_view_count,
    note_view_record,
    recently_viewed,
    recently_viewed_key,
    view_count_key,
)
from tests.factories import NoteFactory, logged_in
from tests.notes.posts import editor_form

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def test_fifty_concurrent_views_are_all_counted(counters_redis, alice, bob):
    start = threading.Barrier(50)

    def view():
        start.wait()
        note_view_record(note_id="n1", owner_id=bob.pk, viewer_id=alice.pk)

    threads = [threading.Thread(target=view) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert note_live_view_count(note_id="n1") == 50
    assert most_viewed_this_week() == [("n1", 50)]
    assert recently_viewed(user_id=alice.pk) == ["n1"]
    assert counters_redis.ttl(leaderboard_key()) > 0


def test_recently_viewed_is_newest_first_without_duplicates_and_capped(counters_redis, alice, bob):
    for number in range(RECENTLY_VIEWED_LIMIT + 3):
        note_view_record(note_id=f"n{number}", owner_id=bob.pk, viewer_id=alice.pk)
    note_view_record(note_id="n5", owner_id=bob.pk, viewer_id=alice.pk)

    recent = recently_viewed(user_id=alice.pk)

    assert recent[0] == "n5"
    assert len(recent) == RECENTLY_VIEWED_LIMIT == len(set(recent))
    assert counters_redis.llen(recently_viewed_key(alice.pk)) == RECENTLY_VIEWED_LIMIT


def test_anonymous_views_count_but_keep_no_history(counters_redis):
    assert note_view_record(note_id="n1", owner_id=1) == 1
    assert note_view_record(note_id="n1", owner_id=1) == 2
    assert not counters_redis.keys("notes:recent:*")


def test_the_detail_page_counts_and_shows_views(counters_redis, client):
    note = NoteFactory(public=True)

    client.get(f"/notes/{note.pk}/")
    response = client.get(f"/notes/{note.pk}/")

    assert response.status_code == 200
    assert b"2 views" in response.content
    assert counters_redis.get(view_count_key(note.pk)) == b"2"
    assert most_viewed_this_week() == [(str(note.pk), 2)]


def test_a_member_viewing_a_note_has_it_in_recently_viewed(counters_redis, client, alice):
    note = NoteFactory(owner_id=alice.pk)
    client.force_login(alice)

    assert client.get(f"/notes/{note.pk}/").status_code == 200

    assert recently_viewed(user_id=alice.pk) == [str(note.pk)]


def test_redis_down_the_detail_page_answers_with_views_unavailable(client, own_redis, caplog):
    note = NoteFactory(public=True)
    own_redis.stop()

    with caplog.at_level(logging.WARNING, logger="notes.counters"):
        response = client.get(f"/notes/{note.pk}/")

    assert response.status_code == 200
    assert b"views unavailable" in response.content
    assert "Could not record a view" in caplog.text
    assert note_live_view_count(note_id=note.pk) is None
    assert most_viewed_this_week() is None
    assert recently_viewed(user_id=1) is None


def test_the_owners_own_views_are_not_counted_but_stay_in_their_history(counters_redis, alice, bob):
    note = NoteFactory(owner_id=alice.pk, public=True)
    owner, other = logged_in(alice), logged_in(bob)

    saved = owner.post(f"/notes/{note.pk}/edit/", editor_form(title="Saved", visibility="public"), follow=True)
    owner.get(f"/notes/{note.pk}/")
    seen_by_bob = other.get(f"/notes/{note.pk}/")

    assert b"0 views" in saved.content
    assert b"1 view" in seen_by_bob.content
    assert counters_redis.get(view_count_key(note.pk)) == b"1"
    assert most_viewed_this_week() == [(str(note.pk), 1)]
    assert recently_viewed(user_id=alice.pk) == [str(note.pk)]


def test_an_owners_view_of_a_never_viewed_note_records_nothing(counters_redis, alice):
    assert note_view_record(note_id="n1", owner_id=alice.pk, viewer_id=alice.pk) == 0
    assert most_viewed_this_week() == []
    assert counters_redis.get(view_count_key("n1")) is None
