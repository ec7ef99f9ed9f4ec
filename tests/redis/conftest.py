"""Redis fixtures: the raw connection the live counters use."""

from __future__ import annotations

import pytest
from django_redis import get_redis_connection


@pytest.fixture
def counters_redis():
    """The `default` alias's raw connection, emptied before and after the test."""
    connection = get_redis_connection("default")
    connection.flushdb()
    yield connection
    connection.flushdb()
