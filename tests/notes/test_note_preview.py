"""The Preview tab's endpoint: a body rendered by the notes' Markdown rules, for members, within a size limit."""

from __future__ import annotations

import pytest
from django.db import connections
from django.urls import reverse

from notes.models import MAX_BODY_LENGTH
from notes.views import PREVIEW_BODY_BYTES

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

PREVIEW = reverse("notes:preview")


def test_a_member_gets_the_body_rendered_as_the_notes_page_renders_it(alice_client):
    response = alice_client.post(PREVIEW, {"body": "# Plan\n\n- [x] **boots**\n\n| a | b |\n|---|---|\n| 1 | 2 |"})

    content = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Plan</h1>" in content
    assert "<li>[x] <strong>boots</strong></li>" in content
    assert "<td>1</td>" in content
    assert "<html" not in content  # a fragment for the tab, not a page


def test_links_are_marked_as_the_authors_not_the_sites(alice_client):
    content = alice_client.post(PREVIEW, {"body": "[map](https://example.com/map)"}).content.decode()

    assert '<a href="https://example.com/map" rel="nofollow noopener noreferrer">map</a>' in content


def test_an_empty_body_has_nothing_to_preview(alice_client):
    for data in ({"body": ""}, {"body": " \n "}, {}):
        response = alice_client.post(PREVIEW, data)

        assert response.status_code == 200
        assert "Nothing to preview." in response.content.decode()


def test_a_body_at_the_limit_in_four_byte_characters_is_rendered(alice_client):
    body = "🥾" * MAX_BODY_LENGTH

    response = alice_client.post(PREVIEW, {"body": body})

    assert response.status_code == 200
    assert body in response.content.decode()


def test_a_body_over_the_notes_limit_is_a_413_that_says_the_limit(alice_client):
    response = alice_client.post(PREVIEW, {"body": "b" * (MAX_BODY_LENGTH + 1)})

    assert response.status_code == 413
    assert response.content.decode() == "Ensure this value has at most 100000 characters (it has 100001)."


def test_a_request_over_the_byte_limit_is_a_413_unread(alice_client):
    response = alice_client.post(
        PREVIEW, f"body={'b' * PREVIEW_BODY_BYTES}", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 413
    assert b"Request body too large: this address takes at most" in response.content


def test_a_body_with_a_nul_character_is_a_bad_request(alice_client):
    response = alice_client.post(PREVIEW, {"body": "before\x00after"})

    assert response.status_code == 400
    assert response.content.decode() == "Null characters are not allowed."


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.post(PREVIEW, {"body": "**hi**"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("users:login"))


def test_a_preview_is_only_ever_posted(alice_client):
    assert alice_client.get(PREVIEW, {"body": "**hi**"}).status_code == 405


def test_a_preview_costs_the_members_row_and_no_document_read(alice_client, django_assert_num_queries):
    with django_assert_num_queries(1), django_assert_num_queries(0, connection=connections["mongodb"]):
        alice_client.post(PREVIEW, {"body": "**hi**"})
