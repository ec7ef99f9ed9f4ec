"""The mark every browser test carries: a live server needs committed rows in both databases."""

from __future__ import annotations

import pytest

E2E = pytest.mark.django_db(transaction=True, databases=["default", "mongodb"])
