"""Members' fixtures: logged-in clients."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def carol(db):
    """A staff member who is not a superuser."""
    return UserFactory(username="carol", is_staff=True)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice) -> Client:
    """Alice, logged in: the owner of the account under test."""
    return logged_in(alice)


@pytest.fixture
def bob_client(bob) -> Client:
    """Bob, logged in: another member."""
    return logged_in(bob)


@pytest.fixture
def staff_client(staff) -> Client:
    """A staff superuser, logged in."""
    return logged_in(staff)
