"""Notes fixtures: logged-in clients for each persona."""

from __future__ import annotations

import pytest
from django.test import Client


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice) -> Client:
    """Alice, logged in: she owns the notes under test."""
    return _client_for(alice)


@pytest.fixture
def bob_client(bob) -> Client:
    """Bob, logged in: another member."""
    return _client_for(bob)


@pytest.fixture
def staff_client(staff) -> Client:
    """A staff member, logged in."""
    return _client_for(staff)

