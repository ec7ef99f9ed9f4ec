"""The ceilings: the round trips a page cannot do without, raw, where the page answers (tools/bench/views.py)."""

from __future__ import annotations

import pytest
from bson import ObjectId
from django.contrib.sessions.models import Session
from django.urls import reverse

from notes.collection import notes_collection
from notes.models import Note
from notes.views import NOTES_PER_PAGE
from tests.factories import NoteFactory
from tools.bench import settings as bench_settings
from tools.bench.scenarios import BENCH_NOTE_TITLE
from tools.bench.views import CACHED_PAGE_KEY

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.urls("tools.bench.urls")]


def test_note_page_ceiling_reads_the_note_for_a_member_and_refuses_what_a_note_page_would(client, alice_client, alice):
    note = NoteFactory(owner_id=alice.pk, title="Found by id")
    trashed = NoteFactory(owner_id=alice.pk)
    Note.everything.filter(pk=trashed.pk).update(trashed_at=trashed.created_at)

    assert alice_client.get(reverse("bench-ceiling-note-page", args=[note.pk])).content == b"Found by id"
    for missing in (trashed.pk, ObjectId(), "not-an-id"):
        assert alice_client.get(reverse("bench-ceiling-note-page", args=[missing])).status_code == 404
    assert client.get(reverse("bench-ceiling-note-page", args=[note.pk])).status_code == 403  # the member is loaded


def test_logged_in_ceiling_finds_the_member_only_with_their_live_session(client, alice_client, alice):
    url = reverse("bench-ceiling-logged-in", args=[alice.pk])

    assert alice_client.get(url).content == b"member"
    assert client.get(url).status_code == 403  # no session in Redis
    Session.objects.all().delete()  # a logout while Redis was down: the copy stays, the row is gone
    assert alice_client.get(url).content == b"anonymous"


def test_my_notes_ceiling_lists_the_members_live_notes_pinned_first(alice_client, alice, bob):
    NoteFactory(owner_id=alice.pk, title="Older")
    NoteFactory(owner_id=alice.pk, title="Pinned", pinned=True)
    NoteFactory(owner_id=alice.pk, title="Newer")
    NoteFactory(owner_id=bob.pk, title="Bob's")

    answer = alice_client.get(reverse("bench-ceiling-my-notes"))

    assert answer.content.decode().splitlines() == ["Pinned", "Newer", "Older"]


def test_public_notes_ceiling_counts_and_lists_what_the_page_does(client, alice, bob):
    for number in range(NOTES_PER_PAGE + 1):
        NoteFactory(owner_id=alice.pk if number % 2 else bob.pk, title=f"Public {number}", visibility="public")
    NoteFactory(owner_id=alice.pk, title="Private", visibility="private")
    trashed = NoteFactory(owner_id=alice.pk, title="Trashed", visibility="public")
    Note.everything.filter(pk=trashed.pk).update(trashed_at=trashed.created_at)
    listed = [note.title for note in Note.objects.public().newest_first()]

    for page, titles in ((1, listed[:NOTES_PER_PAGE]), (2, listed[NOTES_PER_PAGE:])):
        answer = client.get(reverse("bench-ceiling-public-notes"), {"page": page})
        assert answer.content.decode().splitlines() == [str(NOTES_PER_PAGE + 1), *titles]
    for page in ("0", "two", ""):
        assert client.get(reverse("bench-ceiling-public-notes"), {"page": page}).status_code == 404


def test_create_ceiling_inserts_one_private_note_of_the_member_per_post(alice_client, alice):
    url = reverse("bench-ceiling-create")
    assert b"csrfmiddlewaretoken" in alice_client.get(url).content

    answer = alice_client.post(url)

    assert answer.status_code == 302
    assert answer["Location"] == reverse("bench-floor")
    stored = notes_collection().find_one({"owner_id": alice.pk})
    assert stored["title"] == BENCH_NOTE_TITLE
    assert stored["visibility"] == "private"
    assert Note.objects.get(pk=stored["_id"]).owner_id == alice.pk  # the ORM reads it as a live note


def test_cached_page_ceilings_answer_the_copy_the_bench_keeps(client, alice_client, cache_redis):
    cache_redis.set(CACHED_PAGE_KEY, b"<html>a copy</html>")

    assert client.get(reverse("bench-ceiling-cached-page")).content == b"<html>a copy</html>"
    assert alice_client.get(reverse("bench-ceiling-member-page")).content == b"<html>a copy</html>"
    assert client.get(reverse("bench-ceiling-member-page")).status_code == 403  # it stands for a member's page


def test_cached_page_ceiling_without_a_copy_is_a_404(client):
    assert client.get(reverse("bench-ceiling-cached-page")).status_code == 404


def test_the_cached_page_ceiling_answers_where_cached_pages_do(client, cache_redis, settings):
    settings.MIDDLEWARE = bench_settings.MIDDLEWARE
    cache_redis.set(CACHED_PAGE_KEY, b"<html>a copy</html>")

    answer = client.get(reverse("bench-ceiling-cached-page"))

    assert answer.content == b"<html>a copy</html>"
    assert not hasattr(answer.wsgi_request, "session")  # answered before the session middleware
    chain = bench_settings.MIDDLEWARE
    assert chain.index("tools.bench.views.CachedPageCeilingMiddleware") + 1 == chain.index(
        "page_cache.middleware.EarlyPageMiddleware"
    )
