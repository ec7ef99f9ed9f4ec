"""Taking over an account through its email (issue #15, item 1): staff against staff, and the email change itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory, logged_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's


def edit(client, member, **changes: str):
    form = {"display_name": member.display_name, "email": member.email, "age": "", "bio": "", **changes}
    return client.post(reverse("users:edit", kwargs={"pk": member.pk}), form)


def test_staff_cannot_set_another_staff_members_email(mailoutbox):
    attacker = UserFactory(username="staff-a", is_staff=True)
    victim = UserFactory(username="staff-b", is_staff=True)

    response = edit(logged_in(attacker), victim, email="mine@attacker.example", current_password=PASSWORD)

    assert response.status_code == 403
    victim.refresh_from_db()
    assert victim.email == "staff-b@example.com"
    assert mailoutbox == []


@pytest.mark.parametrize("password", ["", "not my password"])
def test_a_new_email_needs_the_current_password(alice, alice_client, mailoutbox, password):
    response = edit(alice_client, alice, email="new@example.com", current_password=password)

    assert response.status_code == 200
    assert "Enter your current password to change the email address." in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"
    assert mailoutbox == []


def test_a_new_email_is_announced_to_the_old_address(
    alice, alice_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(alice_client, alice, email="new@example.com", current_password=PASSWORD)

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "new@example.com"
    [mail] = mailoutbox
    assert mail.to == ["alice@example.com"]
    assert "was changed" in mail.subject
    assert "alice@example.com" in mail.body
    assert "new@example.com" not in mail.body


def test_other_profile_changes_need_no_password_and_send_no_mail(
    alice, alice_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(alice_client, alice, display_name="Alice L.")

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.display_name == "Alice L."
    assert mailoutbox == []


def test_wrong_current_passwords_are_throttled_like_logins(alice, alice_client):
    change = reverse("users:password_change")
    new_password = "An0ther-long-passphrase"
    wrong = {"old_password": "guess", "new_password1": new_password, "new_password2": new_password}
    assert [alice_client.post(change, wrong).status_code for _ in range(4)] == [200] * 4
    assert edit(alice_client, alice, email="new@example.com", current_password="guess").status_code == 429

    right = {**wrong, "old_password": PASSWORD}
    assert alice_client.post(change, right).status_code == 429
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
