"""Pages cached in Redis for anonymous visitors: a repeat visit skips the databases, a write shows at once."""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse

from notes.models import Note
from notes.services import note_create, note_delete, note_update
from tests.factories import NoteFactory, UserFactory, logged_in
from tests.notes.posts import editor_form
from users.services import user_delete

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

PUBLIC_NOTES = reverse("notes:public")
DIRECTORY = reverse("users:directory")


def cached_pages() -> list[str]:
    return cache.keys("page:*")


def edit(note, **changes) -> None:
    values = {
        name: getattr(note, name)
        for name in ("title", "body", "visibility", "pinned", "tags", "checklist", "attributes")
    }
    note_update(note=note, **{**values, **changes})


@pytest.fixture(params=["public notes", "directory", "profile"])
def page(request, alice) -> str:
    NoteFactory(owner_id=alice.pk, public=True, title="Visible to all")
    return {"public notes": PUBLIC_NOTES, "directory": DIRECTORY, "profile": reverse("users:profile", args=[alice.pk])}[
        request.param
    ]


def test_a_repeat_anonymous_visit_is_served_from_redis_without_database_queries(
    client, page, django_assert_num_queries
):
    first = client.get(page)
    assert first.status_code == 200
    assert len(cached_pages()) == 1

    with django_assert_num_queries(0), django_assert_num_queries(0, connection=connections["mongodb"]):
        second = client.get(page)

    assert second.status_code == 200
    assert second.content == first.content


def test_members_always_get_a_fresh_page(page, alice):
    member = logged_in(alice)
    member.get(page)

    assert cached_pages() == []
    assert "Log out" in member.get(page).content.decode()  # their own header, not a copy kept for visitors
    assert cached_pages() == []


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (PUBLIC_NOTES, {"q": "note"}),
        (PUBLIC_NOTES, {"tag": "work"}),
        (DIRECTORY, {"q": "alice"}),
        (PUBLIC_NOTES, {"page": "01"}),
        (DIRECTORY, {"page": "1", "x": "y"}),
        (DIRECTORY, {"page": ["1", "1"]}),
    ],
)
def test_searches_and_uncanonical_urls_are_not_cached(client, alice, path, query):
    NoteFactory(owner_id=alice.pk, public=True, tags=["work"], title="A note")

    assert client.get(path, query).status_code == 200

    assert cached_pages() == []


def test_page_numbers_are_cached_one_page_each(client, alice):
    for number in range(25):
        NoteFactory(owner_id=alice.pk, public=True, title=f"Public {number}")

    first, second = client.get(PUBLIC_NOTES), client.get(PUBLIC_NOTES, {"page": "2"})

    assert len(cached_pages()) == 2
    assert client.get(PUBLIC_NOTES, {"page": "2"}).content == second.content != first.content


def test_a_page_with_a_message_waiting_is_neither_served_from_nor_kept_in_the_cache(client, alice):
    client.get(PUBLIC_NOTES)  # cached without a message
    client.force_login(alice)
    client.post(reverse("users:logout"))  # leaves "You are logged out." for the next page

    response = client.get(PUBLIC_NOTES)

    assert "You are logged out." in response.content.decode()
    assert "You are logged out." not in client.get(PUBLIC_NOTES).content.decode()
    assert len(cached_pages()) == 1


def test_page_cache_seconds_zero_turns_it_off(client, page, settings):
    settings.PAGE_CACHE_SECONDS = 0

    client.get(page)

    assert cached_pages() == []


def test_pages_are_kept_for_page_cache_seconds(client, page, cache_redis, settings):
    client.get(page)

    [key] = cached_pages()
    assert 0 < cache_redis.ttl(cache.make_key(key)) <= settings.PAGE_CACHE_SECONDS


# ----------------------------------------------------------------------------- invalidation


def test_a_note_written_through_the_pages_shows_on_the_public_list_and_profile_at_once(client, alice):
    profile = reverse("users:profile", args=[alice.pk])
    client.get(PUBLIC_NOTES), client.get(profile)

    logged_in(alice).post(reverse("notes:create"), editor_form(title="Fresh news", visibility="public"))

    assert "Fresh news" in client.get(PUBLIC_NOTES).content.decode()
    assert "Fresh news" in client.get(profile).content.decode()


@pytest.mark.parametrize(
    ("write", "gone", "shown"),
    [
        (lambda note: edit(note, title="Renamed"), "Old title", "Renamed"),
        (lambda note: edit(note, visibility="private"), "Old title", None),
        (lambda note: note_delete(note=note), "Old title", None),
        (lambda note: note_create(owner_id=note.owner_id, title="Another", visibility="public"), None, "Another"),
    ],
)
def test_every_note_write_drops_the_pages_showing_notes(client, alice, write, gone, shown):
    note = NoteFactory(owner_id=alice.pk, public=True, title="Old title")
    profile = reverse("users:profile", args=[alice.pk])
    client.get(PUBLIC_NOTES), client.get(profile)

    write(note)

    for page in (client.get(PUBLIC_NOTES).content.decode(), client.get(profile).content.decode()):
        assert gone is None or gone not in page
        assert shown is None or shown in page


def test_an_admin_edit_and_bulk_delete_drop_the_pages(client, alice, staff):
    first, second = NoteFactory(owner_id=alice.pk, public=True), NoteFactory(owner_id=alice.pk, public=True)
    profile = reverse("users:profile", args=[alice.pk])
    client.get(PUBLIC_NOTES), client.get(profile)
    admin = logged_in(staff)

    admin.post(
        reverse("admin:notes_note_change", args=[first.pk]),
        {
            "owner_id": alice.pk,
            "title": "Edited by staff",
            "body": "",
            "tags": "",
            "attributes-TOTAL_FORMS": 0,
            "attributes-INITIAL_FORMS": 0,
            "visibility": "public",
            "checklist-TOTAL_FORMS": 0,
            "checklist-INITIAL_FORMS": 0,
        },
    )
    assert "Edited by staff" in client.get(PUBLIC_NOTES).content.decode()
    client.get(profile)

    admin.post(
        reverse("admin:notes_note_changelist"),
        {"action": "delete_selected", "_selected_action": [str(first.pk), str(second.pk)], "post": "yes"},
    )
    assert "Edited by staff" not in client.get(PUBLIC_NOTES).content.decode()
    assert "Edited by staff" not in client.get(profile).content.decode()


def test_importing_notes_drops_the_pages(client, alice, tmp_path):
    client.get(PUBLIC_NOTES), client.get(reverse("users:profile", args=[alice.pk]))
    path = tmp_path / "notes.jsonl"
    path.write_text(
        json.dumps(
            {
                "_id": {"$oid": "64b000000000000000000001"},
                "owner_id": alice.pk,
                "title": "Imported",
                "visibility": "public",
                "created_at": {"$date": "2026-01-01T00:00:00Z"},
                "updated_at": {"$date": "2026-01-01T00:00:00Z"},
            }
        )
        + "\n"
    )

    call_command("import_notes", str(path), "--no-progress", stdout=io.StringIO())

    assert "Imported" in client.get(PUBLIC_NOTES).content.decode()
    assert "Imported" in client.get(reverse("users:profile", args=[alice.pk])).content.decode()


def test_member_changes_show_on_the_directory_profile_and_public_list(client, alice, staff):
    NoteFactory(owner_id=alice.pk, public=True)
    profile = reverse("users:profile", args=[alice.pk])
    client.get(DIRECTORY), client.get(profile), client.get(PUBLIC_NOTES)

    logged_in(alice).post(
        reverse("users:edit", args=[alice.pk]),
        {"email": alice.email, "display_name": "Ada Renamed", "age": "", "bio": ""},
    )

    for page in (DIRECTORY, profile, PUBLIC_NOTES):
        assert "Ada Renamed" in client.get(page).content.decode(), page

    UserFactory(username="newcomer")
    assert "newcomer" in client.get(DIRECTORY).content.decode()

    user_delete(user=alice)
    assert client.get(profile).status_code == 404
    assert "Ada Renamed" not in client.get(DIRECTORY).content.decode()
    assert "Ada Renamed" not in client.get(PUBLIC_NOTES).content.decode()


def test_a_login_does_not_drop_the_directory(client, alice):
    client.get(DIRECTORY)
    [key] = cached_pages()

    assert Client().login(username="alice", password="correct horse battery staple")

    assert cached_pages() == [key]
    assert client.get(DIRECTORY).status_code == 200
    assert cached_pages() == [key]


def test_a_write_behind_the_apps_back_shows_only_after_the_ttl(client, alice, mongo_db):
    """What the TTL is for: a raw write bumps no version, so the cached page and count stand until they expire."""
    client.get(PUBLIC_NOTES)
    note = NoteFactory.build(owner_id=alice.pk, public=True, title="Written raw")
    mongo_db["notes_note"].insert_one(
        {
            "owner_id": alice.pk,
            "title": note.title,
            "body": "",
            "visibility": "public",
            "tags": [],
            "checklist": [],
            "attributes": {},
            "pinned": False,
            "revisions": [],
            "view_count": 0,
            "created_at": note.created_at,
            "updated_at": note.updated_at,
        }
    )

    assert "Written raw" not in client.get(PUBLIC_NOTES).content.decode()
    cache.delete_many(cached_pages() + cache.keys("count:*"))  # what expiry does
    assert "Written raw" in client.get(PUBLIC_NOTES).content.decode()


# ----------------------------------------------------------------------------- sessions stay apart


def test_clearing_the_default_cache_logs_nobody_out(alice, sessions_redis):
    member = Client()
    assert member.login(username="alice", password="correct horse battery staple")
    session_key = member.cookies["sessionid"].value

    cache.clear()

    assert sessions_redis.exists(f":1:django.contrib.sessions.cached_db{session_key}")
    response = member.get(reverse("notes:list"))
    assert response.status_code == 200
    assert response.wsgi_request.user == alice


def test_session_keys_live_in_the_sessions_database_only(alice, cache_redis, sessions_redis):
    member = Client()
    assert member.login(username="alice", password="correct horse battery staple")
    member.get(PUBLIC_NOTES)

    assert sessions_redis.keys("*django.contrib.sessions*")
    assert cache_redis.keys("*django.contrib.sessions*") == []


def test_cached_pages_answer_while_redis_is_down_and_cache_again_once_it_is_back(client, page, own_redis):
    own_redis.stop()
    assert client.get(page).status_code == 200
    assert client.get(page).context is not None  # nothing kept: rendered again

    own_redis.start()
    client.get(page)
    assert len(cached_pages()) == 1
    assert client.get(page).context is None


def test_seeding_demo_members_drops_the_directory_and_public_list(client):
    client.get(DIRECTORY), client.get(PUBLIC_NOTES)

    call_command(
        "seed_demo", "--users", "2", "--notes-per-user", "3", "--seed", "1", "--no-progress", stdout=io.StringIO()
    )

    assert "demo000002" in client.get(DIRECTORY).content.decode()
    assert client.get(PUBLIC_NOTES).context["paginator"].count == Note.objects.public().count() > 0


# ----------------------------------------------------------------------------- list counts


def test_a_list_count_is_kept_until_a_note_changes(alice, client, django_assert_num_queries):
    NoteFactory(owner_id=alice.pk, public=True)
    member = logged_in(alice)
    client.get(PUBLIC_NOTES), member.get(reverse("notes:list"))

    # A member's first visit renders the public list (the anonymous copy is a whole page): its count is kept.
    for path in (PUBLIC_NOTES, reverse("notes:list")):
        with django_assert_num_queries(1, connection=connections["mongodb"]):  # the page; the count is cached
            assert member.get(path).context["paginator"].count == 1

    NoteFactory(owner_id=alice.pk, public=True)
    assert member.get(PUBLIC_NOTES).context["paginator"].count == 2
    assert member.get(reverse("notes:list")).context["paginator"].count == 2
    assert member.get(PUBLIC_NOTES, {"q": "nothing like it"}).context["paginator"].count == 0


def test_versions_expire_after_every_copy_filed_under_them(alice, cache_redis, settings):
    NoteFactory(owner_id=alice.pk)

    keys = cache_redis.keys("*page-version:*")
    ttls = [cache_redis.ttl(key) for key in keys]

    assert sorted(key.decode().split("page-version:")[1] for key in keys) == [
        "member:" + str(alice.pk),
        "members",
        "notes",
    ]
    assert all(max(settings.PAGE_CACHE_SECONDS, 60) < ttl <= 2 * max(settings.PAGE_CACHE_SECONDS, 3600) for ttl in ttls)
