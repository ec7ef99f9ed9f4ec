"""A page from its skeleton: the page rendered whole, with each member's own header, token and messages."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse

from page_cache.fragments import FRAGMENT_PREFIX
from page_cache.skeletons import skeleton
from tests.factories import NoteFactory, UserFactory, logged_in
from tests.notes.posts import editor_form

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

PUBLIC_NOTES = reverse("notes:public")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(params=["public notes", "directory", "profile"])
def shared_page(request, bob) -> str:
    NoteFactory(owner_id=bob.pk, public=True, title="Visible to all")
    return {
        "public notes": PUBLIC_NOTES,
        "directory": reverse("users:directory"),
        "profile": reverse("users:profile", args=[bob.pk]),
    }[request.param]


def pending_message(text: str) -> str:
    """The messages cookie a redirect leaves behind with `text` waiting to be shown."""
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[CookieStorage.cookie_name].value


def token_of(page: str) -> str:
    [token] = TOKEN.findall(page)
    return token


def without_token(page: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', page)


@pytest.fixture(params=["alice", "a new member", "staff"])
def viewer_client(request) -> Client:
    if request.param == "a new member":
        return logged_in(UserFactory())
    return request.getfixturevalue(f"{request.param}_client")


@pytest.mark.parametrize("message", [None, "Saved “<b>Alice</b>’s list”."])
def test_a_page_from_its_skeleton_is_the_page_rendered_whole(settings, shared_page, viewer_client, message):
    logged_in(UserFactory()).get(shared_page)  # another member keeps the fragment
    assert cache.keys(f"{FRAGMENT_PREFIX}*")

    def page() -> str:
        if message:
            viewer_client.cookies[CookieStorage.cookie_name] = pending_message(message)
        return viewer_client.get(shared_page).content.decode()

    settings.PAGE_CACHE_SECONDS = 0
    whole = page()
    settings.PAGE_CACHE_SECONDS = 300
    from_skeleton = page()

    assert without_token(from_skeleton) == without_token(whole)
    assert (message is None) == ("message-success" not in from_skeleton)


def test_a_member_never_sees_another_members_name_token_or_message(alice, alice_client):
    dave = UserFactory(username="dave", display_name="Dave Davies")
    dave_client = Client(enforce_csrf_checks=True)
    dave_client.force_login(dave)
    dave_client.cookies[CookieStorage.cookie_name] = pending_message("Saved “Dave’s diary”.")
    daves = dave_client.get(PUBLIC_NOTES).content.decode()  # keeps the fragment

    alices = alice_client.get(PUBLIC_NOTES).content.decode()

    assert "Dave" not in alices
    assert "diary" not in alices
    assert alice.public_name in alices
    assert "Dave Davies" in daves
    assert dave_client.post(reverse("users:logout"), {"csrfmiddlewaretoken": token_of(alices)}).status_code == 403


def test_the_log_out_form_of_a_page_from_its_skeleton_posts_with_the_members_token(alice):
    alice_client = Client(enforce_csrf_checks=True)
    alice_client.force_login(alice)
    alice_client.get(PUBLIC_NOTES)  # keeps the fragment

    token = token_of(alice_client.get(PUBLIC_NOTES).content.decode())

    assert _unmask_cipher_token(token) == alice_client.cookies["csrftoken"].value
    assert alice_client.post(reverse("users:logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert alice_client.get(reverse("notes:list")).status_code == 302  # to the login page: logged out


def test_a_message_shows_once_on_pages_from_their_skeleton(alice_client, bob_client):
    alice_client.post(reverse("notes:create"), editor_form(title="Groceries"))  # "Saved …" waits to be shown
    bob_client.get(PUBLIC_NOTES)  # the write changed the list: bob keeps it again

    first = alice_client.get(PUBLIC_NOTES).content.decode()
    second = alice_client.get(PUBLIC_NOTES).content.decode()

    assert "Saved “Groceries”." in first
    assert "Groceries" not in second
    assert "message-success" not in second


def test_staff_get_their_admin_link_and_members_do_not(alice_client, staff_client):
    alice_client.get(PUBLIC_NOTES)  # keeps the fragment

    assert reverse("admin:index") in staff_client.get(PUBLIC_NOTES).content.decode()
    assert reverse("admin:index") not in alice_client.get(PUBLIC_NOTES).content.decode()


def test_a_page_template_that_fills_a_members_own_block_has_no_skeleton(settings, tmp_path):
    (tmp_path / "shows_one_member.html").write_text(
        '{% extends "base.html" %}{% block member_messages %}{{ user.email }}{% endblock %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]

    with pytest.raises(ImproperlyConfigured, match="member_messages"):
        skeleton("shows_one_member.html", ("member_messages",))
