"""Logging in by username or email, logging out, and axes leaving the other ways in working."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from users.models import User

pytestmark = pytest.mark.django_db

LOGIN = reverse("users:login")


def test_login_page_has_a_csrf_protected_form_that_asks_for_username_or_email(client):
    response = client.get(LOGIN)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Username or email" in page


@pytest.mark.parametrize("login_name", ["alice", "Alice", "ALICE", "alice@example.com", "ALICE@Example.COM"])
def test_member_logs_in_with_username_or_email_in_any_case(client, alice, login_name):
    response = client.post(LOGIN, {"username": login_name, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("notes:list")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_login_follows_a_safe_next_address(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD, "next": reverse("users:directory")})

    assert response["Location"] == reverse("users:directory")


def test_wrong_password_is_an_error_above_the_form(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": "not it"})

    assert response.status_code == 200
    assert "do not match a member" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_username_wins_over_an_email_that_spells_it(client, alice):
    squatter = UserFactory(username="bob@example.com", email="squatter@example.com")
    UserFactory(username="bob", email="bob@example.com")

    client.post(LOGIN, {"username": "bob@example.com", "password": PASSWORD})

    assert client.session["_auth_user_id"] == str(squatter.pk)


def test_of_two_older_usernames_that_differ_only_in_case_only_the_exact_one_logs_in(client):
    lower = UserFactory(username="kim")
    User.objects.bulk_create([User(username="Kim", email="kim2@example.com", password=lower.password)])

    exact = client.post(LOGIN, {"username": "Kim", "password": PASSWORD})
    session_of_exact = client.session["_auth_user_id"]
    client.logout()
    ambiguous = client.post(LOGIN, {"username": "KIM", "password": PASSWORD})

    assert exact.status_code == 302
    assert session_of_exact == str(User.objects.get(username="Kim").pk)
    assert ambiguous.status_code == 200
    assert "do not match a member" in ambiguous.content.decode()


def test_inactive_member_cannot_log_in(client, alice):
    alice.is_active = False
    alice.save()

    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_that_ends_the_session(alice_client):
    assert alice_client.get(reverse("users:logout")).status_code == 405

    response = alice_client.post(reverse("users:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home:home")
    assert "_auth_user_id" not in alice_client.session


@pytest.mark.parametrize("request_given", [{}, {"request": HttpRequest()}])
def test_test_client_login_works_with_or_without_a_request(client, alice, request_given):
    assert client.login(**request_given, username="alice@example.com", password=PASSWORD)
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_force_login_works_with_axes_first_among_the_backends(client, alice):
    client.force_login(alice)

    assert client.get(reverse("users:password_change")).status_code == 200


def test_staff_logs_in_to_the_admin(client, staff):
    response = client.post(reverse("admin:login"), {"username": "staff", "password": PASSWORD, "next": "/admin/"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
