"""Changing a password, and resetting a forgotten one by email."""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase"


def reset_link(email) -> str:
    return re.search(r"https?://testserver(/users/password/reset/\S+/)", email.body).group(1)


def test_anonymous_visitor_is_sent_to_log_in_to_change_a_password(client):
    response = client.get(reverse("users:password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("users:login"))


def test_member_changes_their_password_and_stays_logged_in(alice_client, alice):
    response = alice_client.post(
        reverse("users:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    alice.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("users:profile", kwargs={"pk": alice.pk})
    assert alice.check_password(NEW_PASSWORD)
    assert alice_client.get(reverse("users:password_change")).status_code == 200


def test_wrong_old_password_is_an_inline_error(alice_client):
    response = alice_client.post(
        reverse("users:password_change"),
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    assert 'id="id_old_password_error"' in response.content.decode()


def test_forgotten_password_is_reset_through_the_emailed_link(client, alice, mailoutbox):
    response = client.post(reverse("users:password_reset"), {"email": "ALICE@example.com"})

    assert response["Location"] == reverse("users:password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.com"]
    assert mailoutbox[0].subject == "Reset your Polystore password"

    form_page = client.get(reset_link(mailoutbox[0]), follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done["Location"] == reverse("users:password_reset_complete")
    assert Client().login(request=HttpRequest(), username="alice", password=NEW_PASSWORD)


def test_reset_link_works_once(client, alice, mailoutbox):
    client.post(reverse("users:password_reset"), {"email": alice.email})
    form_page = client.get(reset_link(mailoutbox[0]), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = Client().get(reset_link(mailoutbox[0]), follow=True)

    assert again.context["validlink"] is False
    assert "This link no longer works" in again.content.decode()


def test_unknown_email_gets_the_same_answer_and_no_mail(client, mailoutbox):
    response = client.post(reverse("users:password_reset"), {"email": "nobody@example.com"})

    assert response["Location"] == reverse("users:password_reset_done")
    assert mailoutbox == []


def test_password_reset_lifts_the_lockout_on_the_account_from_every_address(client, alice, mailoutbox):
    for address in ("192.0.2.1", "192.0.2.2"):
        for _ in range(5):
            client.post(reverse("users:login"), {"username": "alice", "password": "wrong"}, REMOTE_ADDR=address)

    client.post(reverse("users:password_reset"), {"email": alice.email})  # from a third address: her phone
    form_page = client.get(reset_link(mailoutbox[0]), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    for address in ("192.0.2.1", "192.0.2.2"):
        response = client.post(
            reverse("users:login"), {"username": "alice", "password": NEW_PASSWORD}, REMOTE_ADDR=address
        )
        assert response.status_code == 302
        client.logout()
