"""The directory's search is no email oracle (issue #15, item 2): only staff search by email."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory, logged_in

pytestmark = pytest.mark.django_db


def test_a_member_cannot_recover_an_email_one_character_at_a_time(alice_client):
    UserFactory(username="root", email="zq-admin@hidden.example", is_staff=True, is_superuser=True)
    directory = reverse("users:directory")

    def appears(query: str) -> bool:
        return "root" in [member.username for member in alice_client.get(directory, {"q": query}).context["members"]]

    assert [query for query in ("@", "@hidden", "zq-", "zq-admin@hidden.example") if appears(query)] == []


def test_staff_without_superuser_status_still_search_by_email():
    UserFactory(username="ada_l", email="ada.l@example.org")
    carol = UserFactory(username="carol", is_staff=True)

    response = logged_in(carol).get(reverse("users:directory"), {"q": "ada.l@"})

    assert [member.username for member in response.context["members"]] == ["ada_l"]
