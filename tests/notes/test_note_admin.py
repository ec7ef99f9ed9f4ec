"""The notes admin against the live MongoDB-wire server: changelist, add, change and delete."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connections
from django.urls import reverse

from notes.models import ChecklistItem, Note
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def admin_form(*, checklist: list[dict[str, Any]] = (), initial_checklist: int = 0, **fields: Any) -> dict[str, Any]:
    """The fields the Note admin form posts, with the embedded checklist as a formset."""
    data = {
        "body": "",
        "tags": "",
        "attributes": "{}",
        "visibility": "private",
        "checklist-TOTAL_FORMS": len(checklist),
        "checklist-INITIAL_FORMS": initial_checklist,
        **fields,
    }
    for index, row in enumerate(checklist):
        data.update(
            {
                f"checklist-{index}-{name}": "on" if value is True else value
                for name, value in row.items()
                if value is not False
            }
        )
    return data


def owner_column(response) -> list[str]:
    """The owner cell of each changelist row, as the admin renders it."""
    model_admin = response.context["cl"].model_admin
    return [model_admin.owner(note) for note in response.context["cl"].result_list]


def test_changelist_searches_filters_and_names_owners(staff_client, alice, bob):
    alice.display_name = "Alice A."
    alice.save()
    gone = UserFactory(username="gone")
    NoteFactory(owner_id=alice.pk, title="Milk", body="", public=True)
    NoteFactory(owner_id=bob.pk, title="Tea", body="with milk", public=True)
    NoteFactory(owner_id=bob.pk, title="Private milk", body="")
    NoteFactory(owner_id=gone.pk, title="Orphaned milk", body="", public=True)
    gone_id = gone.pk
    gone.delete()

    response = staff_client.get(reverse("admin:notes_note_changelist"), {"q": "MILK", "visibility__exact": "public"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    rows = dict(zip((note.title for note in response.context["cl"].result_list), owner_column(response), strict=True))
    orphan = f"member #{gone_id} (deactivated, or deleted: an orphan note)"
    assert rows == {"Milk": "Alice A.", "Tea": "bob", "Orphaned milk": orphan}
    assert "Alice A." in response.content.decode()


def test_changelist_filters_on_pinned(staff_client):
    NoteFactory(title="Pinned", pinned=True)
    NoteFactory(title="Loose")

    response = staff_client.get(reverse("admin:notes_note_changelist"), {"pinned__exact": "1"})

    assert [note.title for note in response.context["cl"].result_list] == ["Pinned"]


@pytest.mark.parametrize("notes_on_page", [1, 20])
def test_changelist_costs_the_same_queries_for_one_note_or_twenty(
    staff_client, django_assert_num_queries, notes_on_page
):
    for n in range(notes_on_page):
        NoteFactory(title=f"shared {n}", public=True)  # each by a different member

    # relational: the staff member's row, then every owner's name in one query;
    # MongoDB: the filtered count, the full count and the page
    with django_assert_num_queries(2), django_assert_num_queries(3, connection=connections["mongodb"]):
        response = staff_client.get(reverse("admin:notes_note_changelist"), {"visibility__exact": "public"})

    assert response.context["cl"].result_count == notes_on_page
    assert all(name.startswith("member") for name in owner_column(response))


def test_add_page_creates_a_note_with_checklist_and_attributes(staff_client, alice, mongo_db):
    url = reverse("admin:notes_note_add")

    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        admin_form(
            owner_id=alice.pk,
            title="From the admin",
            tags="a,b",
            attributes='{"colour": "blue"}',
            checklist=[{"text": "first", "done": True}, {"text": "second"}],
        ),
    )

    assert response.status_code == 302
    document = mongo_db["notes_note"].find_one({"title": "From the admin"})
    assert document["owner_id"] == alice.pk
    assert document["checklist"] == [{"text": "first", "done": True}, {"text": "second", "done": False}]
    assert document["attributes"] == {"colour": "blue"}


def test_change_page_edits_embedded_documents_and_keeps_a_revision(staff_client, alice, mongo_db):
    note = NoteFactory(
        owner_id=alice.pk,
        title="Before",
        body="old text",
        attributes={"k": "v"},
        checklist=[ChecklistItem(text="one"), ChecklistItem(text="two")],
    )
    url = reverse("admin:notes_note_change", args=[note.pk])

    page = staff_client.get(url)
    assert page.status_code == 200
    assert "alice" in page.content.decode()
    response = staff_client.post(
        url,
        admin_form(
            owner_id=alice.pk,
            title="After",
            body="old text",
            attributes='{"k": "w", "new": "x"}',
            initial_checklist=2,
            checklist=[{"text": "one", "done": True}, {"text": "two", "DELETE": True}, {"text": "three"}],
        ),
    )

    assert response.status_code == 302
    document = mongo_db["notes_note"].find_one({"_id": note.pk})
    assert document["title"] == "After"
    assert document["checklist"] == [{"text": "one", "done": True}, {"text": "three", "done": False}]
    assert document["attributes"] == {"k": "w", "new": "x"}
    assert [(r["title"], r["body"]) for r in document["revisions"]] == [("Before", "old text")]
    assert "Before" in staff_client.get(url).content.decode()


@pytest.mark.parametrize("attributes", ['{"$set": "x"}', '{"a.b": "x"}', '{"n": 1}', "[1, 2]"])
def test_change_page_refuses_bad_attributes(staff_client, alice, attributes, mongo_db):
    note = NoteFactory(owner_id=alice.pk, title="Steady")

    response = staff_client.post(
        reverse("admin:notes_note_change", args=[note.pk]),
        admin_form(owner_id=alice.pk, title="Changed", attributes=attributes),
    )

    assert response.status_code == 200
    assert "attributes" in response.context["adminform"].form.errors
    assert mongo_db["notes_note"].find_one({"_id": note.pk})["title"] == "Steady"


def test_change_page_refuses_an_overlong_checklist_item(staff_client, alice):
    note = NoteFactory(owner_id=alice.pk)

    response = staff_client.post(
        reverse("admin:notes_note_change", args=[note.pk]),
        admin_form(owner_id=alice.pk, title="x", checklist=[{"text": "c" * 501}]),
    )

    assert response.status_code == 200
    assert Note.objects.get(pk=note.pk).checklist == []


def test_delete_confirmation_then_delete(staff_client, mongo_db):
    note = NoteFactory(title="Doomed")
    url = reverse("admin:notes_note_delete", args=[note.pk])

    confirmation = staff_client.get(url)
    assert confirmation.status_code == 200
    assert "Doomed" in confirmation.content.decode()

    response = staff_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert mongo_db["notes_note"].count_documents({"_id": note.pk}) == 0


def test_members_who_are_not_staff_cannot_reach_the_notes_admin(alice_client):
    response = alice_client.get(reverse("admin:notes_note_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
