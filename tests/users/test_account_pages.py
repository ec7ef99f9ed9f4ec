"""Editing and deleting an account: the owner and staff may, other members get 403, visitors log in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notes.models import Note
from tests.factories import PASSWORD, NoteFactory, UserFactory, logged_in
from users.models import User

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

PAGES = ["users:edit", "users:delete"]


def url(name: str, member) -> str:
    return reverse(name, kwargs={"pk": member.pk})


def profile_fields(**overrides: object) -> dict[str, object]:
    return {"display_name": "Alice L.", "email": "alice@example.com", "age": "30", "bio": "Hello.", **overrides}


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_is_sent_to_log_in(client, alice, page):
    response = client.get(url(page, alice))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('users:login')}?next={url(page, alice)}"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["alice_client", "staff_client"])
def test_owner_and_staff_open_the_page(request, alice, page, persona):
    assert request.getfixturevalue(persona).get(url(page, alice)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_another_member_gets_403(bob_client, alice, page):
    assert bob_client.get(url(page, alice)).status_code == 403
    assert bob_client.post(url(page, alice), profile_fields(display_name="Hacked")).status_code == 403

    alice.refresh_from_db()
    assert alice.display_name == ""


@pytest.mark.parametrize("page", PAGES)
def test_staff_who_is_not_a_superuser_gets_403_on_a_superuser(carol, staff, page):
    assert logged_in(carol).get(url(page, staff)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_unknown_member_is_a_404(alice_client, page):
    assert alice_client.get(reverse(page, kwargs={"pk": 424242})).status_code == 404


def test_owner_edits_their_profile(alice_client, alice):
    response = alice_client.post(
        url("users:edit", alice), profile_fields(email="alice@example.net", current_password=PASSWORD)
    )

    alice.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == url("users:profile", alice)
    assert (alice.display_name, alice.email, alice.age, alice.bio) == ("Alice L.", "alice@example.net", 30, "Hello.")
    assert alice.show_age is False


def test_owner_chooses_to_show_their_age_to_members(alice_client, alice):
    assert "show_age" in alice_client.get(url("users:edit", alice)).context["form"].fields

    alice_client.post(url("users:edit", alice), profile_fields(show_age="on"))

    alice.refresh_from_db()
    assert (alice.age, alice.show_age) == (30, True)


def test_staff_edits_another_members_profile(staff_client, alice):
    staff_client.post(url("users:edit", alice), profile_fields(display_name="Renamed by staff"))

    alice.refresh_from_db()
    assert alice.display_name == "Renamed by staff"


def test_edit_form_has_csrf_and_current_values(alice_client, alice):
    page = alice_client.get(url("users:edit", alice)).content.decode()

    assert 'name="csrfmiddlewaretoken"' in page
    assert 'value="alice@example.com"' in page


def test_email_of_another_member_in_another_case_is_an_inline_error(alice_client, alice, bob):
    response = alice_client.post(url("users:edit", alice), profile_fields(email="BOB@example.com"))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["A member with this email address already exists."]
    assert 'id="id_email_error"' in response.content.decode()


def test_own_email_in_another_case_is_accepted(alice_client, alice):
    response = alice_client.post(url("users:edit", alice), profile_fields(email="Alice@example.com"))

    assert response.status_code == 302


def test_bio_over_2000_characters_is_an_inline_error(alice_client, alice):
    response = alice_client.post(url("users:edit", alice), profile_fields(bio="x" * 2001))

    assert response.context["form"].errors["bio"] == ["Ensure this value has at most 2000 characters (it has 2001)."]


@pytest.mark.parametrize("age", ["151", "-3"])
def test_age_out_of_range_is_an_inline_error(alice_client, alice, age):
    response = alice_client.post(url("users:edit", alice), profile_fields(age=age))

    assert "age" in response.context["form"].errors


def test_delete_page_says_the_account_and_all_its_notes_go(alice_client, alice):
    NoteFactory.create_batch(2, owner_id=alice.pk)
    NoteFactory(owner_id=alice.pk, visibility=Note.Visibility.PUBLIC)

    page = alice_client.get(url("users:delete", alice)).content.decode()

    assert "@alice" in page
    assert "all <strong>3 notes</strong>" in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_owner_deletes_their_account_and_notes_and_is_logged_out(alice_client, alice, bob, mongo_db):
    NoteFactory.create_batch(3, owner_id=alice.pk)
    NoteFactory(owner_id=bob.pk)

    response = alice_client.post(url("users:delete", alice))

    assert response.status_code == 302
    assert response["Location"] == reverse("home:home")
    assert not User.objects.filter(pk=alice.pk).exists()
    assert mongo_db["notes_note"].count_documents({"owner_id": alice.pk}) == 0
    assert mongo_db["notes_note"].count_documents({"owner_id": bob.pk}) == 1
    assert "_auth_user_id" not in alice_client.session


def test_staff_deletes_another_account_and_stays_logged_in(staff_client, staff, alice, mongo_db):
    NoteFactory.create_batch(2, owner_id=alice.pk)

    response = staff_client.post(url("users:delete", alice))

    assert response["Location"] == reverse("users:directory")
    assert not User.objects.filter(pk=alice.pk).exists()
    assert mongo_db["notes_note"].count_documents({"owner_id": alice.pk}) == 0
    assert staff_client.session["_auth_user_id"] == str(staff.pk)


def test_other_member_cannot_delete_an_account(bob_client, alice, mongo_db):
    NoteFactory(owner_id=alice.pk)

    assert bob_client.post(url("users:delete", alice)).status_code == 403
    assert User.objects.filter(pk=alice.pk).exists()
    assert mongo_db["notes_note"].count_documents({"owner_id": alice.pk}) == 1


def test_member_without_notes_deletes_their_account():
    member = UserFactory()

    assert logged_in(member).post(url("users:delete", member)).status_code == 302

    assert not User.objects.filter(pk=member.pk).exists()
