"""A kept page answers a cookie-less anonymous visit before the session middleware, exactly as the full path would."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


@pytest.fixture(params=["public notes", "directory", "profile"])
def page(request, alice) -> str:
    NoteFactory(owner_id=alice.pk, public=True, title="Visible to all")
    return {
        "public notes": reverse("notes:public"),
        "directory": reverse("users:directory"),
        "profile": reverse("users:profile", args=[alice.pk]),
    }[request.param]


def answered_early(response) -> bool:
    """Whether the page came before the session middleware ran (it gives every request its session)."""
    return not hasattr(response.wsgi_request, "session")


def test_a_cookieless_repeat_visit_is_answered_early_with_the_full_paths_body_and_headers(client, page):
    client.get(page)

    early = client.get(page)
    client.session.save()  # an anonymous visitor with a session cookie goes the whole way
    full = client.get(page)

    assert answered_early(early)
    assert not answered_early(full)
    assert early.status_code == full.status_code == 200
    assert early.content == full.content
    assert sorted(early.headers.items()) == sorted(full.headers.items())


def test_only_kept_pages_of_canonical_urls_are_answered_early(client, page):
    first = client.get(page)
    search = client.get(page, {"q": "visible"})
    client.cookies["messages"] = "a message waiting"
    with_message_cookie = client.get(page)

    assert not answered_early(first)  # nothing kept yet
    assert not answered_early(search)
    assert not answered_early(with_message_cookie)


def test_an_unknown_host_is_still_refused(client, page):
    client.get(page)

    assert client.get(page, HTTP_HOST="elsewhere.example").status_code == 400


def test_other_pages_go_the_whole_way(client):
    assert not answered_early(client.get("/no/such/page/"))
    assert not answered_early(client.get(reverse("users:login")))
