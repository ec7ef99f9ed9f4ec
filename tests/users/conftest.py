"""Members' fixtures: a staff member who is not a superuser."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory


@pytest.fixture
def carol(db):
    """A staff member who is not a superuser."""
    return UserFactory(username="carol", is_staff=True)
