"""The site's header, kept per process for each member it shows (users/templatetags/site_header.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def header(client) -> str:
    page = client.get(reverse("users:directory")).content.decode()
    return re.search(r'<header class="container">.*?</header>', page, flags=re.DOTALL).group(0)


def test_a_visitor_gets_log_in_and_sign_up(client):
    shown = header(client)

    assert "Log in" in shown
    assert "Sign up" in shown
    assert "Log out" not in shown
    assert "My notes" not in shown


def test_a_member_sees_a_new_name_on_the_next_page(alice, alice_client):
    assert f">{alice.public_name}</a>" in header(alice_client)

    alice.display_name = "Alice Liddell"
    alice.save()

    assert ">Alice Liddell</a>" in header(alice_client)


def test_the_admin_links_come_and_go_with_staff_status(alice, alice_client):
    assert reverse("admin:index") not in header(alice_client)

    alice.is_staff = True
    alice.save()

    assert reverse("admin:index") in header(alice_client)
    assert reverse("health:status") in header(alice_client)


def test_the_header_holds_no_token_the_page_logs_out_through_its_own_form(alice, alice_client, client):
    client.force_login(alice)  # another session, another CSRF token

    assert header(alice_client) == header(client)
    assert "csrfmiddlewaretoken" not in header(alice_client)
    page = alice_client.get(reverse("users:directory")).content.decode()
    logout_form = re.search(r'<form method="post" action="([^"]+)" id="logout-form" hidden>.*?</form>', page)
    assert logout_form.group(1) == reverse("users:logout")
    assert "csrfmiddlewaretoken" in logout_form.group(0)
    assert page.count('form="logout-form"') == 2  # the bar and the phone menu


def test_a_visitors_page_has_no_log_out_form(client):
    assert 'id="logout-form"' not in client.get(reverse("users:directory")).content.decode()
