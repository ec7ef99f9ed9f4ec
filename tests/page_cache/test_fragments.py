"""Members get the shared part of public notes, the directory and profiles from Redis, inside a header of their own."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connections
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from page_cache.fragments import FRAGMENT_PREFIX, _shared_blocks
from page_cache.versions import filed_value
from tests.factories import NoteFactory, UserFactory, logged_in
from tests.notes.posts import editor_form

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

PUBLIC_NOTES = reverse("notes:public")
DIRECTORY = reverse("users:directory")


def kept_fragments() -> list[str]:
    return cache.keys(f"{FRAGMENT_PREFIX}*")


def header_link(member) -> str:
    """The header's link to a member's own profile, which only their pages carry."""
    return f'<li><a href="{reverse("users:profile", args=[member.pk])}">{member.public_name}</a></li>'


@pytest.fixture(params=["public notes", "directory", "profile"])
def shared_page(request, bob) -> str:
    NoteFactory(owner_id=bob.pk, public=True, title="Visible to all")
    return {"public notes": PUBLIC_NOTES, "directory": DIRECTORY, "profile": reverse("users:profile", args=[bob.pk])}[
        request.param
    ]


def cached_fragment_blocks() -> list[str]:
    """Every block kept in the members' fragments, as HTML."""
    redis = cache.client.get_client()  # type: ignore[attr-defined]  # django-redis
    return [
        html for key in redis.keys(f"*{FRAGMENT_PREFIX}*") for html in filed_value(redis.get(key))["blocks"].values()
    ]


def test_a_members_repeat_visit_reads_only_their_own_row(alice, alice_client, shared_page, django_assert_num_queries):
    alice_client.get(shared_page)
    assert len(kept_fragments()) == 1

    with django_assert_num_queries(1), django_assert_num_queries(0, connection=connections["mongodb"]):
        again = alice_client.get(shared_page)  # the member and their session's row; nothing of the page

    assert again.status_code == 200
    assert header_link(alice) in again.content.decode()
    assert "Visible to all" in again.content.decode() or shared_page == DIRECTORY


def test_another_member_gets_the_same_part_inside_their_own_header(alice, alice_client, shared_page):
    dave = UserFactory(username="dave")
    alice_client.get(shared_page)

    page = logged_in(dave).get(shared_page).content.decode()

    assert header_link(dave) in page
    assert header_link(alice) not in page
    assert cached_fragment_blocks()
    for block in cached_fragment_blocks():
        assert "csrfmiddlewaretoken" not in block
        assert "Log out" not in block


def test_a_private_note_never_reaches_the_public_list_kept_for_members(alice, bob, alice_client, bob_client):
    NoteFactory(owner_id=bob.pk, title="Bob's secret")
    NoteFactory(owner_id=bob.pk, public=True, title="Bob's post")
    bob_client.get(PUBLIC_NOTES)

    page = alice_client.get(PUBLIC_NOTES).content.decode()

    assert "Bob&#x27;s post" in page
    assert "secret" not in page
    assert all("secret" not in block for block in cached_fragment_blocks())


def test_an_own_write_shows_on_the_next_request(alice_client):
    alice_client.get(PUBLIC_NOTES)
    assert alice_client.get(PUBLIC_NOTES).status_code == 200  # from the fragment

    alice_client.post(reverse("notes:create"), editor_form(title="Just written", visibility="public"))

    assert "Just written" in alice_client.get(PUBLIC_NOTES).content.decode()


def test_a_profile_change_shows_to_the_other_members_at_once(alice_client, bob, bob_client):
    profile = reverse("users:profile", args=[bob.pk])
    alice_client.get(profile)

    bob_client.post(reverse("users:edit", args=[bob.pk]), {"email": bob.email, "display_name": "Robert"})

    assert "Robert" in alice_client.get(profile).content.decode()


def test_a_member_sees_their_own_profile_and_staff_the_directory_rendered_for_them(
    alice, alice_client, bob_client, staff_client
):
    own = reverse("users:profile", args=[alice.pk])
    bob_client.get(own), bob_client.get(DIRECTORY)

    assert alice.email in alice_client.get(own).content.decode()  # her own: email and edit buttons
    assert "Edit profile" in alice_client.get(own).content.decode()
    assert alice.email not in bob_client.get(own).content.decode()
    assert alice.email in staff_client.get(DIRECTORY).content.decode()
    assert alice.email not in bob_client.get(DIRECTORY).content.decode()


def test_searches_and_anonymous_visitors_keep_no_fragment(client, alice_client):
    alice_client.get(PUBLIC_NOTES, {"q": "milk"}), alice_client.get(DIRECTORY, {"q": "ali"})
    client.get(PUBLIC_NOTES)

    assert kept_fragments() == []


def test_a_block_that_asks_for_a_csrf_token_is_never_kept(alice):
    request = RequestFactory().get("/")
    request.user = alice
    engine = engines["django"]
    with_token = engine.from_string('{% extends "base.html" %}{% block content %}{% csrf_token %}{% endblock %}')
    without = engine.from_string('{% extends "base.html" %}{% block content %}Hello{% endblock %}')

    assert _shared_blocks(with_token, {}, request) is None
    assert _shared_blocks(without, {}, request) == {"content": "Hello"}
