"""Login throttling: 5 failures lock an account from one address, 50 lock the address; a warning first, a 429 page with the time left."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from tests.factories import PASSWORD
from users.throttling import account_failures_key, address_failures_key, client_ip_address

pytestmark = pytest.mark.django_db

LOGIN = reverse("users:login")
HOME_ADDRESS = "203.0.113.10"
CAFE_ADDRESS = "198.51.100.20"
LOCKOUT_MESSAGE = "Too many failed log-ins"
ACCOUNT_WARNING = "1 attempt left before this account is locked for 15 minutes from this address."
ADDRESS_WARNING = "1 attempt left before logging in from this address is paused for 15 minutes."


def attempt(client, login_name: str, password: str = "wrong password", address: str = HOME_ADDRESS):
    return client.post(LOGIN, {"username": login_name, "password": password}, REMOTE_ADDR=address)


def fail(client, login_name: str, times: int, address: str = HOME_ADDRESS) -> list[int]:
    return [attempt(client, login_name, address=address).status_code for _ in range(times)]


def fail_as_strangers(client, times: int, address: str = HOME_ADDRESS) -> list[int]:
    """Fail once for each of `times` different names of nobody, as a guesser sweeping accounts does."""
    return [attempt(client, f"stranger{n}", address=address).status_code for n in range(times)]


def test_fifth_failure_from_one_address_locks_the_account_there_with_a_429_page_that_says_why(client, alice):
    assert fail(client, "alice", 4) == [200] * 4

    response = attempt(client, "alice")

    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKOUT_MESSAGE in page
    assert "5 failed attempts to log in to this account from your network" in page
    assert "Try again in 15 minutes." in page
    assert "users/lockout.html" in [template.name for template in response.templates]


def test_locked_account_is_refused_even_the_right_password(client, alice):
    fail(client, "alice", 5)

    response = attempt(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_count_against_the_account_whether_typed_as_username_or_email(client, alice):
    for login_name in ("alice", "alice@example.com", "ALICE@EXAMPLE.COM", "Alice@example.com", "ALICE"):
        attempt(client, login_name)

    assert attempt(client, "alice@example.com", PASSWORD).status_code == 429


def test_the_locked_account_still_logs_in_from_another_address(client, alice):
    fail(client, "alice", 5)

    response = attempt(client, "alice", PASSWORD, address=CAFE_ADDRESS)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_other_accounts_behind_the_same_address_are_unaffected(client, alice, bob):
    fail(client, "alice", 5)

    response = attempt(client, "bob", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_fifty_failures_from_one_address_lock_it_for_every_account(client, bob, settings):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 50
    assert fail_as_strangers(client, 49) == [200] * 49

    last = attempt(client, "stranger49")
    refused = attempt(client, "bob", PASSWORD)

    assert last.status_code == 429
    assert refused.status_code == 429
    assert "50 failed attempts to log in from your network" in refused.content.decode()
    assert "not on your network" in refused.content.decode()
    assert attempt(client, "bob", PASSWORD, address=CAFE_ADDRESS).status_code == 302


def test_the_warning_comes_with_the_fourth_failure_only(client, alice):
    pages = [attempt(client, "alice").content.decode() for _ in range(4)]

    assert [ACCOUNT_WARNING in page for page in pages] == [False, False, False, True]
    assert "do not match a member" in pages[3]


def test_a_wrong_current_password_warns_before_the_last_attempt_too(alice, alice_client):
    wrong = {
        "old_password": "guess",
        "new_password1": "An0ther-long-passphrase",
        "new_password2": "An0ther-long-passphrase",
    }

    pages = [alice_client.post(reverse("users:password_change"), wrong).content.decode() for _ in range(4)]

    assert [ACCOUNT_WARNING in page for page in pages] == [False, False, False, True]


def test_the_address_warns_before_its_last_attempt(client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    pages = [attempt(client, f"stranger{n}").content.decode() for n in range(7)]

    assert [ADDRESS_WARNING in page for page in pages] == [False] * 6 + [True]


def test_the_lockout_page_says_how_long_is_left_of_the_cool_off(client, alice):
    fail(client, "alice", 5)
    cache.touch(account_failures_key("alice", HOME_ADDRESS), 4 * 60 + 10)

    assert "Try again in 5 minutes." in attempt(client, "alice", PASSWORD).content.decode()

    cache.touch(account_failures_key("alice", HOME_ADDRESS), 30)

    assert "Try again in 1 minute." in attempt(client, "alice", PASSWORD).content.decode()


def test_successful_login_forgives_the_account_at_that_address_only(client, alice):
    assert fail(client, "alice", 4, address=CAFE_ADDRESS) == [200] * 4
    assert fail(client, "alice", 4) == [200] * 4
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.logout()

    assert fail(client, "alice", 4) == [200] * 4
    assert attempt(client, "alice", address=CAFE_ADDRESS).status_code == 429


def test_successful_login_does_not_forgive_the_address(client, alice, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    fail_as_strangers(client, 7)
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.logout()

    assert attempt(client, "ann").status_code == 429


def test_failures_are_forgotten_fifteen_minutes_after_the_last_one(client, alice):
    fail(client, "alice", 2)

    for key in (account_failures_key("alice", HOME_ADDRESS), address_failures_key(HOME_ADDRESS)):
        assert cache.get(key) == 2
        assert 15 * 60 - 5 < cache.ttl(key) <= 15 * 60


def test_lockout_lifts_when_the_window_passes(client, alice, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    fail(client, "alice", 5)
    assert attempt(client, "alice", PASSWORD).status_code == 429

    time.sleep(1.5)

    assert attempt(client, "alice", PASSWORD).status_code == 302


def test_attempts_during_a_lockout_do_not_extend_it(client, alice):
    fail(client, "alice", 5)
    account_key = account_failures_key("alice", HOME_ADDRESS)
    cache.touch(account_key, 60)

    fail(client, "alice", 3)

    assert cache.get(account_key) == 5
    assert cache.ttl(account_key) <= 60


def test_admin_login_is_throttled_too(client, staff):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "staff", "password": "wrong"}, REMOTE_ADDR=HOME_ADDRESS)

    response = client.post(
        reverse("admin:login"), {"username": "staff", "password": PASSWORD}, REMOTE_ADDR=HOME_ADDRESS
    )

    assert response.status_code == 429


def test_reset_commands_forget_an_address_or_an_account_from_every_address(client, alice, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    fail(client, "alice", 5)
    fail(client, "alice", 5, address=CAFE_ADDRESS)
    fail_as_strangers(client, 3)

    call_command("axes_reset_ip", HOME_ADDRESS)

    assert cache.get(address_failures_key(HOME_ADDRESS)) is None
    assert attempt(client, "alice", address=CAFE_ADDRESS).status_code == 429
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.logout()
    fail(client, "alice", 5)

    call_command("axes_reset_username", "ALICE@example.com")

    assert attempt(client, "alice", PASSWORD).status_code == 302
    assert attempt(client, "alice", PASSWORD, address=CAFE_ADDRESS).status_code == 302


def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_address_it_forwards(client, bob, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(5):
        client.post(
            LOGIN, {"username": "bob", "password": "x"}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"{HOME_ADDRESS}"
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
