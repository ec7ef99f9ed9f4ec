"""The member directory: open to everyone, searchable, 25 a page in a stable order."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("users:directory")


def listed(response) -> list[str]:
    return [member.username for member in response.context["members"]]


def test_anonymous_visitors_see_the_directory_without_emails(client, bob):
    response = client.get(DIRECTORY)

    assert response.status_code == 200
    assert "bob" in listed(response)
    assert bob.email not in response.content.decode()


def test_only_staff_search_by_email(client, alice_client, staff_client):
    UserFactory(username="ada_l", display_name="Ada", email="secret.address@example.org")

    assert listed(client.get(DIRECTORY, {"q": "secret.address"})) == []
    assert listed(client.get(DIRECTORY, {"q": "ada"})) == ["ada_l"]
    assert listed(alice_client.get(DIRECTORY, {"q": "secret.address"})) == []
    assert listed(staff_client.get(DIRECTORY, {"q": "secret.address"})) == ["ada_l"]


@pytest.mark.parametrize("persona", ["alice_client", "staff_client"])
def test_members_and_staff_see_the_directory(request, persona, bob):
    response = request.getfixturevalue(persona).get(DIRECTORY)

    assert response.status_code == 200
    assert "bob" in listed(response)


def test_members_are_listed_25_a_page_by_username(alice_client):
    UserFactory.create_batch(30)

    first = alice_client.get(DIRECTORY)
    second = alice_client.get(DIRECTORY, {"page": 2})

    assert len(listed(first)) == 25
    assert len(listed(second)) == 6
    assert listed(first) + listed(second) == sorted(listed(first) + listed(second))
    assert 'rel="next"' in first.content.decode()


def test_page_links_keep_the_search(alice_client):
    UserFactory.create_batch(30, display_name="Gardener")

    response = alice_client.get(DIRECTORY, {"q": "garden"})

    assert "?q=garden&amp;page=2" in response.content.decode()


@pytest.mark.parametrize("query", ["LOVELACE", "ada.l@Example", "ada_l", "ace"])
def test_search_matches_username_display_name_or_email_in_any_case(staff_client, query):
    UserFactory(username="ada_l", display_name="Ada Lovelace", email="ada.l@example.org")

    response = staff_client.get(DIRECTORY, {"q": query})

    assert listed(response) == ["ada_l"]


def test_search_without_matches_says_so(alice_client):
    response = alice_client.get(DIRECTORY, {"q": "zzz"})

    assert listed(response) == []
    assert "No member matches “zzz”" in response.content.decode()


def test_deactivated_members_are_not_listed(alice_client, bob):
    bob.is_active = False
    bob.save()

    assert "bob" not in listed(alice_client.get(DIRECTORY))


@pytest.mark.parametrize("page", ["0", "-1", "junk", "1.5"])
def test_a_junk_page_is_a_404(alice_client, page):
    UserFactory.create_batch(30)

    assert alice_client.get(DIRECTORY, {"page": page}).status_code == 404


def test_a_page_past_the_end_goes_to_the_last_page_keeping_the_search(alice_client):
    UserFactory.create_batch(30)

    response = alice_client.get(DIRECTORY, {"q": "", "page": "3"})

    assert (response.status_code, response["Location"]) == (302, f"{DIRECTORY}?q=&page=2")


def test_last_page_can_be_asked_for_by_name(alice_client):
    UserFactory.create_batch(30)

    assert len(listed(alice_client.get(DIRECTORY, {"page": "last"}))) == 6


def test_emails_are_shown_to_staff_only(alice_client, staff_client, bob):
    assert bob.email not in alice_client.get(DIRECTORY).content.decode()
    assert bob.email in staff_client.get(DIRECTORY).content.decode()


@pytest.mark.parametrize("members", [1, 25])
def test_a_page_costs_the_same_queries_for_one_member_or_twenty_five(alice_client, django_assert_num_queries, members):
    UserFactory.create_batch(members - 1)

    # The logged-in user, the count for the paginator, and the page of members; the session is read from Redis.
    with django_assert_num_queries(3):
        response = alice_client.get(DIRECTORY)

    assert len(listed(response)) == members
