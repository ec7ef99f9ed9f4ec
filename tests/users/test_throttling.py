"""Login throttling: 5 failures for one account or from one address lock it out with a 429."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from axes.helpers import make_cache_key_list
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD
from users.throttling import client_ip_address

pytestmark = pytest.mark.django_db

LOGIN = reverse("users:login")
HOME_ADDRESS = "203.0.113.10"
CAFE_ADDRESS = "198.51.100.20"
LOCKOUT_MESSAGE = "Too many failed log-ins"


def attempt(client, login_name: str, password: str = "wrong password", address: str = HOME_ADDRESS):
    return client.post(LOGIN, {"username": login_name, "password": password}, REMOTE_ADDR=address)


def fail(client, login_name: str, times: int, address: str = HOME_ADDRESS) -> list[int]:
    return [attempt(client, login_name, address=address).status_code for _ in range(times)]


def test_fifth_failure_locks_the_account_with_a_429_page_that_says_why(client, alice):
    assert fail(client, "alice", 4) == [200] * 4

    response = attempt(client, "alice")

    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()
    assert "paused for 15 minutes" in response.content.decode()
    assert "users/lockout.html" in [template.name for template in response.templates]


def test_locked_account_is_refused_even_the_right_password(client, alice):
    fail(client, "alice", 5)

    response = attempt(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_count_against_the_account_whether_typed_as_username_or_email_from_any_address(client, alice):
    attempt(client, "alice", address="192.0.2.1")
    attempt(client, "alice@example.com", address="192.0.2.2")
    attempt(client, "ALICE@EXAMPLE.COM", address="192.0.2.3")
    attempt(client, "Alice@example.com", address="192.0.2.4")
    attempt(client, "alice", address="192.0.2.5")

    assert attempt(client, "alice@example.com", PASSWORD, address=CAFE_ADDRESS).status_code == 429


def test_another_account_from_another_address_is_unaffected(client, alice, bob):
    fail(client, "alice", 5)

    response = attempt(client, "bob", PASSWORD, address=CAFE_ADDRESS)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_five_failures_from_one_address_lock_it_for_every_account(client, bob):
    for name in ("ann", "ben", "cat", "dan", "eve"):
        attempt(client, name)

    assert attempt(client, "bob", PASSWORD).status_code == 429
    assert attempt(client, "bob", PASSWORD, address=CAFE_ADDRESS).status_code == 302


def test_successful_login_forgives_the_accounts_failures(client, alice):
    assert fail(client, "alice", 4) == [200] * 4
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.logout()

    assert fail(client, "alice", 4, address=CAFE_ADDRESS) == [200] * 4
    assert attempt(client, "alice", PASSWORD, address=CAFE_ADDRESS).status_code == 302


def test_successful_login_does_not_forgive_the_address(client, alice):
    for name in ("ann", "ben", "cat", "dan"):
        attempt(client, name)
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.logout()

    assert attempt(client, "ann").status_code == 429


def test_failures_are_forgotten_fifteen_minutes_after_the_last_one(client, alice):
    fail(client, "alice", 2)

    (account_key,) = make_cache_key_list([{"username": "alice"}])
    assert cache.get(account_key) == 2
    assert 15 * 60 - 5 < cache.ttl(account_key) <= 15 * 60


def test_lockout_lifts_when_the_window_passes(client, alice, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    fail(client, "alice", 5)
    assert attempt(client, "alice", PASSWORD).status_code == 429

    time.sleep(1.5)

    assert attempt(client, "alice", PASSWORD).status_code == 302


def test_attempts_during_a_lockout_do_not_extend_it(client, alice):
    fail(client, "alice", 5)
    (account_key,) = make_cache_key_list([{"username": "alice"}])
    cache.touch(account_key, 60)

    fail(client, "alice", 3)

    assert cache.ttl(account_key) <= 60


def test_admin_login_is_throttled_too(client, staff):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "staff", "password": "wrong"}, REMOTE_ADDR=HOME_ADDRESS)

    response = client.post(
        reverse("admin:login"), {"username": "staff", "password": PASSWORD}, REMOTE_ADDR=CAFE_ADDRESS
    )

    assert response.status_code == 429


def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_address_it_forwards(client, bob, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(5):
        client.post(
            LOGIN, {"username": "nobody", "password": "x"}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"{HOME_ADDRESS}"
        )

    forged = client.post(
        LOGIN,
        {"username": "bob", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=f"{CAFE_ADDRESS}, {HOME_ADDRESS}",
    )
    other_client = client.post(
        LOGIN, {"username": "bob", "password": PASSWORD}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=CAFE_ADDRESS
    )

    assert forged.status_code == 429
    assert other_client.status_code == 302


@pytest.fixture
def redis_away(own_redis) -> None:
    """Point the caches at a redis-server of the test's own, then stop it."""
    own_redis.stop()


def test_while_redis_is_away_a_failed_login_is_a_form_error_and_a_good_one_logs_in(client, alice, redis_away):
    failures = fail(client, "alice", 6)

    assert failures == [200] * 6
    assert attempt(client, "alice", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "198.51.100.20", "10.0.0.2"),
        (1, "198.51.100.20", "198.51.100.20"),
        (1, "203.0.113.66, 198.51.100.20", "198.51.100.20"),
        (2, "203.0.113.66, 198.51.100.20, 10.0.0.1", "198.51.100.20"),
        (2, "198.51.100.20", "10.0.0.2"),
    ],
)
def test_client_address_is_the_one_the_trusted_proxies_saw(rf, settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post(LOGIN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip_address(request) == expected
