"""The users admin: list, search, filters, the custom fields, and deletes that take the notes along."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, NoteFactory, UserFactory
from users.models import User

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

CHANGELIST = reverse("admin:users_user_changelist")


def test_changelist_shows_the_member_columns(staff_client, alice):
    response = staff_client.get(CHANGELIST)

    assert response.status_code == 200
    assert list(response.context["cl"].list_display) == [
        "action_checkbox",
        "username",
        "email",
        "display_name",
        "is_staff",
        "date_joined",
        "last_login",
    ]
    assert {spec.title for spec in response.context["cl"].filter_specs} == {"staff status", "active"}


@pytest.mark.parametrize("query", ["LIDDELL", "alice@EXAMPLE", "alic"])
def test_changelist_searches_username_email_and_display_name(staff_client, alice, bob, query):
    alice.display_name = "Alice Liddell"
    alice.save()

    response = staff_client.get(CHANGELIST, {"q": query})

    assert [member.username for member in response.context["cl"].result_list] == ["alice"]


def test_change_form_edits_display_name_age_and_bio(staff_client, alice):
    change = reverse("admin:users_user_change", args=[alice.pk])
    assert {"display_name", "age", "bio", "email"} <= set(staff_client.get(change).context["adminform"].form.fields)

    response = staff_client.post(
        change,
        {
            "username": "alice",
            "email": alice.email,
            "display_name": "Alice L.",
            "age": 30,
            "bio": "From the admin.",
            "is_active": "on",
            "date_joined_0": "2026-01-02",
            "date_joined_1": "03:04:05",
        },
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.age, alice.bio) == ("Alice L.", 30, "From the admin.")


def test_add_form_asks_for_the_email(staff_client):
    response = staff_client.post(
        reverse("admin:users_user_add"),
        {
            "username": "dora",
            "email": "dora@example.com",
            "display_name": "Dora",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    assert User.objects.get(username="dora").email == "dora@example.com"


def test_add_form_refuses_an_email_taken_in_another_case(staff_client, alice):
    response = staff_client.post(
        reverse("admin:users_user_add"),
        {
            "username": "dora",
            "email": "ALICE@example.com",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == ["A member with this email address already exists."]


def test_delete_confirmation_counts_the_notes_that_go_too(staff_client, alice):
    NoteFactory.create_batch(2, owner_id=alice.pk)

    response = staff_client.get(reverse("admin:users_user_delete", args=[alice.pk]))

    assert "2 notes in the document store" in response.content.decode()
    assert dict(response.context["model_count"])["notes"] == 2


def test_deleting_a_member_in_the_admin_deletes_their_notes(staff_client, alice, bob, mongo_db):
    alice_id = alice.pk
    NoteFactory.create_batch(2, owner_id=alice_id)
    NoteFactory(owner_id=bob.pk)

    response = staff_client.post(reverse("admin:users_user_delete", args=[alice_id]), {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=alice_id).exists()
    assert mongo_db["notes_note"].count_documents({"owner_id": alice_id}) == 0
    assert mongo_db["notes_note"].count_documents({"owner_id": bob.pk}) == 1


def test_bulk_delete_in_the_admin_deletes_every_selected_members_notes(staff_client, alice, bob, mongo_db):
    keeper = UserFactory()
    ids = [alice.pk, bob.pk]
    for owner_id in [*ids, keeper.pk]:
        NoteFactory.create_batch(2, owner_id=owner_id)

    confirmation = staff_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": ids})
    assert "4 notes in the document store" in confirmation.content.decode()
    response = staff_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})

    assert response.status_code == 302
    assert User.objects.filter(pk__in=ids).count() == 0
    assert mongo_db["notes_note"].count_documents({"owner_id": {"$in": ids}}) == 0
    assert mongo_db["notes_note"].count_documents({"owner_id": keeper.pk}) == 2
