"""A Sentinel failover may lose Redis's last writes: Redis must then hold a member's whole session or none of it."""

from __future__ import annotations

import pickle

import pytest
from django.contrib.auth import SESSION_KEY

from users.sessions import SessionStore

pytestmark = pytest.mark.django_db


def cached_copy(sessions_redis, session_key: str) -> dict | None:
    raw = sessions_redis.get(f":1:{SessionStore.cache_key_prefix}{session_key}")
    return None if raw is None else pickle.loads(raw)  # django-redis's default serializer


def test_a_new_sessions_first_copy_goes_to_the_relational_store_only(sessions_redis):
    store = SessionStore()
    store["step"] = "created"
    store.create()

    assert cached_copy(sessions_redis, store.session_key) is None
    assert SessionStore(store.session_key)["step"] == "created"  # read back from the relational store

    store["step"] = "saved"
    store.save()
    assert cached_copy(sessions_redis, store.session_key) == {"step": "saved"}


def test_after_a_login_redis_holds_the_member_or_nothing(client, alice, sessions_redis):
    response = client.post("/users/login/", {"username": "alice", "password": "correct horse battery staple"})

    assert response.status_code == 302
    copy = cached_copy(sessions_redis, client.session.session_key)
    assert copy is None or copy[SESSION_KEY] == str(alice.pk)
