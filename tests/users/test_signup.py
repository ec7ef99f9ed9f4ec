"""Sign-up: a new member's account, with every field validated inline."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD
from users.models import USERNAME_RULES, User

pytestmark = pytest.mark.django_db

SIGNUP = reverse("users:signup")


def sign_up(client, **overrides: object):
    fields = {
        "username": "dora",
        "email": "dora@example.com",
        "display_name": "Dora M.",
        "age": "34",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(SIGNUP, fields)


def test_sign_up_page_has_a_csrf_protected_form(client):
    response = client.get(SIGNUP)

    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert [field.name for field in response.context["form"]] == [
        "username",
        "email",
        "display_name",
        "age",
        "show_age",
        "password1",
        "password2",
    ]


def test_new_member_is_created_logged_in_and_sent_to_write_their_first_note(client):
    response = sign_up(client)

    member = User.objects.get(username="dora")
    assert response.status_code == 302
    assert response["Location"] == reverse("notes:create")
    assert (member.email, member.display_name, member.age, member.show_age) == (
        "dora@example.com",
        "Dora M.",
        34,
        False,
    )
    assert member.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(member.pk)


def test_logged_in_member_is_sent_from_sign_up_to_their_profile(alice_client, alice):
    response = alice_client.get(SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("users:profile", kwargs={"pk": alice.pk})


def test_email_taken_in_another_case_is_an_inline_error(client, alice):
    response = sign_up(client, email=alice.email.upper())

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["A member with this email address already exists."]
    assert 'id="id_email_error"' in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.filter(username="dora").exists()


def test_username_taken_in_another_case_is_an_inline_error(client, alice):
    response = sign_up(client, username="ALICE")

    assert response.context["form"].errors["username"] == ["A user with that username already exists."]


def test_username_with_an_at_sign_is_refused_so_it_cannot_pass_for_an_email(client, alice):
    response = sign_up(client, username=alice.email)

    assert response.context["form"].errors["username"] == [USERNAME_RULES]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kx7#q", "This password is too short. It must contain at least 8 characters."),
        ("password", "This password is too common."),
        ("40938172665", "This password is entirely numeric."),
        ("dora@example", "The password is too similar to the email address."),
        ("Dora M. 2024", "The password is too similar to the display name."),
    ],
)
def test_weak_password_is_refused_by_django_validators(client, password, message):
    response = sign_up(client, password1=password, password2=password)

    assert message in response.context["form"].errors["password2"]
    assert not User.objects.filter(username="dora").exists()


def test_passwords_that_differ_are_refused(client):
    response = sign_up(client, password2=PASSWORD + "!")

    assert response.context["form"].errors["password2"] == ["The two password fields didn’t match."]


@pytest.mark.parametrize(
    ("age", "message"),
    [
        ("151", "Ensure this value is less than or equal to 150."),
        ("-1", "Ensure this value is greater than or equal to 0."),
        ("old", "Enter a whole number."),
    ],
)
def test_age_outside_0_to_150_is_refused(client, age, message):
    response = sign_up(client, age=age)

    assert response.context["form"].errors["age"] == [message]


def test_age_may_be_left_empty(client):
    sign_up(client, age="")

    assert User.objects.get(username="dora").age is None


def test_email_is_required(client):
    response = sign_up(client, email="")

    assert response.context["form"].errors["email"] == ["This field is required."]


@pytest.mark.parametrize("username", ["road trip", "dora!", "<b>", "a/b"])
def test_a_username_against_the_rules_gets_the_same_words_as_the_help(client, username):
    page = client.get(SIGNUP).content.decode()
    response = sign_up(client, username=username)

    assert response.context["form"].errors["username"] == [USERNAME_RULES]
    assert USERNAME_RULES.replace("&", "&amp;") in page
    assert not User.objects.filter(username=username).exists()


def test_the_model_refuses_what_the_form_refuses(alice):
    alice.username = "has space"

    with pytest.raises(ValidationError) as refused:
        alice.full_clean()

    assert refused.value.message_dict["username"] == [USERNAME_RULES]
