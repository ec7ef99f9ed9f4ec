"""Live counters in Redis: views per note, this week's leaderboard, each member's recently viewed notes."""

from __future__ import annotations

import logging
import threading

import pytest

from notes.counters import (
    RECENTLY_VIEWED_LIMIT,
    OwnerNamedView,
    ViewNotCounted,
    leaderboard_key,
    most_viewed_this_week,
    note_live_view_count,
    note_view_record,
    note_view_record_if_owner_named,
    recently_viewed,
    recently_viewed_key,
    view_count_key,
)
from notes.services import note_trash
from tests.factories import NoteFactory, UserFactory, logged_in
from tests.notes.posts import editor_form
from users.names import member_names

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
    assert caplog.text.count("Could not record a view") == 1  # Redis is not asked twice to count it
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


def test_a_view_is_counted_with_the_owners_name_when_redis_keeps_it(counters_redis, alice, bob):
    alice.display_name = "Alice A."
    alice.save()
    member_names([alice.pk])

    first = note_view_record_if_owner_named(note_id="n1", owner_id=alice.pk, viewer_id=None)
    second = note_view_record_if_owner_named(note_id="n1", owner_id=alice.pk, viewer_id=bob.pk)

    assert (first, second) == (OwnerNamedView("Alice A.", 1), OwnerNamedView("Alice A.", 2))
    assert most_viewed_this_week() == [("n1", 2)]
    assert counters_redis.ttl(leaderboard_key()) > 0
    assert recently_viewed(user_id=bob.pk) == ["n1"]


def test_a_view_of_a_note_whose_owner_redis_does_not_name_counts_nothing(counters_redis, alice, bob):
    gone = UserFactory()
    member_names([gone.pk])
    gone_id = gone.pk
    gone.delete()

    for owner_id in (alice.pk, gone_id):  # a name not cached yet; an owner deleted
        assert (
            note_view_record_if_owner_named(note_id="n1", owner_id=owner_id, viewer_id=bob.pk)
            is ViewNotCounted.OWNER_NOT_NAMED
        )

    assert note_live_view_count(note_id="n1") == 0
    assert most_viewed_this_week() == []
    assert recently_viewed(user_id=bob.pk) == []


def test_the_script_is_loaded_again_when_redis_has_forgotten_it(counters_redis, alice):
    member_names([alice.pk])
    note_view_record_if_owner_named(note_id="n1", owner_id=alice.pk, viewer_id=None)
    counters_redis.script_flush()  # as after a restart, or a replica promoted

    assert note_view_record_if_owner_named(note_id="n1", owner_id=alice.pk, viewer_id=None).live_views == 2


def test_redis_down_a_view_with_the_owners_name_says_so_and_is_logged(own_redis, alice, caplog):
    own_redis.stop()

    with caplog.at_level(logging.WARNING, logger="notes.counters"):
        outcome = note_view_record_if_owner_named(note_id="n1", owner_id=alice.pk, viewer_id=None)

    assert outcome is ViewNotCounted.REDIS_UNAVAILABLE

    assert "Could not record a view of note n1" in caplog.text


@pytest.mark.parametrize("visitor", ["anonymous", "member"])
def test_the_page_counts_a_view_once_whether_the_owners_name_was_cached_or_not(counters_redis, client, bob, visitor):
    note = NoteFactory(public=True)
    if visitor == "member":
        client.force_login(bob)

    client.get(f"/notes/{note.pk}/")  # the name looked up in the relational store, then the view counted
    response = client.get(f"/notes/{note.pk}/")  # the name and the view in one script

    assert b"2 views" in response.content
    assert counters_redis.get(view_count_key(note.pk)) == b"2"
    assert most_viewed_this_week() == [(str(note.pk), 2)]
    assert recently_viewed(user_id=bob.pk) == ([str(note.pk)] if visitor == "member" else [])


def test_notes_the_page_answers_404_for_are_never_counted(counters_redis, client, alice, bob, staff):
    gone = UserFactory()
    orphan = NoteFactory(owner_id=gone.pk, public=True)
    member_names([gone.pk])
    gone.delete()  # its name dropped from Redis with its row
    private = NoteFactory(owner_id=alice.pk)
    trashed = note_trash(note=NoteFactory(owner_id=alice.pk, public=True))
    member_names([alice.pk])  # the owner's name kept: the note's own rules answer 404

    for visitor in (client, logged_in(bob)):
        for note in (orphan, private, trashed):
            assert visitor.get(f"/notes/{note.pk}/").status_code == 404
    assert logged_in(staff).get(f"/notes/{trashed.pk}/").status_code == 404

    assert most_viewed_this_week() == []
    assert not counters_redis.keys(view_count_key("*"))
    assert recently_viewed(user_id=bob.pk) == recently_viewed(user_id=staff.pk) == []
