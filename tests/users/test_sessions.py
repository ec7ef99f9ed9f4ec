"""Who is logged in: the member's row and their session's unexpired row, read in one query (users/sessions.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from users.sessions import SessionStore, live_member

pytestmark = pytest.mark.django_db


def test_a_member_with_a_live_session_is_logged_in_with_one_query(alice_client, alice, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert alice_client.get("/no/such/page/").wsgi_request.user == alice


def test_a_session_whose_row_has_expired_logs_out_even_with_its_copy_in_redis(alice_client):
    key = alice_client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))

    assert alice_client.get("/no/such/page/").wsgi_request.user.is_anonymous


def test_a_member_deactivated_while_logged_in_is_logged_out(alice_client, alice):
    alice.is_active = False
    alice.save()

    assert alice_client.get("/no/such/page/").wsgi_request.user.is_anonymous


def test_a_deleted_member_is_logged_out(alice_client, alice):
    alice.delete()

    assert alice_client.get("/no/such/page/").wsgi_request.user.is_anonymous


def test_live_member_needs_a_live_row_for_the_session_key_and_a_member_id(alice, alice_client):
    key = alice_client.cookies["sessionid"].value

    assert live_member(str(alice.pk), key) == alice
    assert live_member(alice.pk, "no-such-session") is None
    assert live_member("not a number", key) is None
    assert live_member(alice.pk + 1000, key) is None


def test_the_member_comes_with_every_field_typed(alice_client, alice):
    user = alice_client.get("/no/such/page/").wsgi_request.user

    assert user.pk == alice.pk
    assert user.is_active is True
    assert user.is_staff is False
    assert user.date_joined == alice.date_joined
    assert user.get_session_auth_hash() == alice.get_session_auth_hash()
    assert alice_client.session[SESSION_KEY] == str(alice.pk)


def test_live_member_loads_every_field_as_the_orm_does(alice_client, alice):
    alice.last_login = timezone.now()
    alice.age = 41
    alice.save()
    key = alice_client.cookies["sessionid"].value

    member = live_member(alice.pk, key)
    loaded = type(alice).objects.get(pk=alice.pk)

    for field in loaded._meta.concrete_fields:
        value, expected = getattr(member, field.attname), getattr(loaded, field.attname)
        assert (value, type(value)) == (expected, type(expected)), field.name
    assert member._state.adding is False
    assert member._state.db == loaded._state.db


def test_a_members_page_writes_neither_the_session_row_nor_its_copy_in_redis(alice_client, django_assert_num_queries):
    alice_client.get("/no/such/page/")  # the copy is in Redis from here on
    sessions = caches[settings.SESSION_CACHE_ALIAS]
    copy = SessionStore.cache_key_prefix + alice_client.cookies["sessionid"].value
    sessions.expire(copy, 100)

    with django_assert_num_queries(1):  # the member and their live row: no save
        assert alice_client.get("/no/such/page/").wsgi_request.user.is_authenticated
    assert 0 < sessions.ttl(copy) <= 100  # a save would have set it to the session's age again
