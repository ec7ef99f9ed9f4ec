"""Tiny requests that would force heavy work (issue #15, item 6): the editor's row counts are bounded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notes.models import MAX_ATTRIBUTES, MAX_CHECKLIST_ITEMS
from tests.notes.posts import editor_form

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def test_a_billion_rows_claimed_build_no_more_rows_than_a_note_holds(alice_client, stored):
    before = stored()
    sent = {**editor_form(title="Heavy"), "checklist-TOTAL_FORMS": "1000000000", "attributes-TOTAL_FORMS": "1000000000"}

    response = alice_client.post(reverse("notes:create"), sent)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Check the checklist rows below." in page
    assert page.count('name="checklist-') <= 4 * MAX_CHECKLIST_ITEMS + 10
    assert page.count('name="attributes-') <= 3 * MAX_ATTRIBUTES + 10
    assert len(response.content) < 200_000
    assert stored() == before
