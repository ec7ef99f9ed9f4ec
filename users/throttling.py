"""Login throttling with django-axes on Redis: who an attempt counts against, when it locks, and forgiveness.

Two counts, each forgotten AXES_COOLOFF_TIME after its last failure: an account from one address
locks after AXES_FAILURE_LIMIT failures (that pair only: the others behind the same office NAT
still log in, and so does the account from elsewhere), and an address locks for every account
after LOGIN_ADDRESS_FAILURE_LIMIT failures, whatever accounts they named.

Axes' own cache handler applies one limit to all its keys and hashes an account and an address
into one key, so it can say neither the address's higher limit nor "forget this account at every
address" (a password reset). This handler keeps axes' backend, middleware, signals, settings,
callables and commands, and owns the counts' keys.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.base import AbstractAxesHandler, AxesBaseHandler
from axes.helpers import get_cache, get_cache_timeout, get_client_username
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_redis import get_redis_connection
from redis.exceptions import RedisError

from users.models import User

logger = logging.getLogger(__name__)

FAILURES_PREFIX = "login-failures:"


def _key_part(value: str | None) -> str:
    """Hash a typed name or an address into a key part free of glob pattern characters."""
    return hashlib.sha256((value or "").encode()).hexdigest()


def account_failures_key(account: str | None, address: str | None) -> str:
    """Return the key counting failed logins to `account` from `address`."""
    return f"{FAILURES_PREFIX}account:{_key_part(account)}:{_key_part(address)}"


def account_failures_pattern(*, account: str | None = None, address: str | None = None) -> str:
    """Return the glob pattern of the counts of one account from any address, or of any account from one address."""
    account_part = "*" if account is None else _key_part(account)
    address_part = "*" if address is None else _key_part(address)
    return f"{FAILURES_PREFIX}account:{account_part}:{address_part}"


def address_failures_key(address: str | None) -> str:
    """Return the key counting failed logins from `address`, to any account."""
    return f"{FAILURES_PREFIX}address:{_key_part(address)}"


def login_account(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """Name the account a login attempt is for, whether it was typed as a username or an email.

    Without this, `alice`, `alice@example.com` and `ALICE@example.com` would be three separate
    counters for one account. Names of no account are compared in lower case.
    """
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get("username")
    if not typed:
        return None
    # Remembered on the request: axes asks several times per login.
    resolved: dict[str, str] = request.__dict__.setdefault("_login_accounts", {}) if request is not None else {}
    if typed not in resolved:
        try:
            resolved[typed] = User.objects.get_by_natural_key(typed).get_username()
        except User.DoesNotExist:
            resolved[typed] = typed.lower()
    return resolved[typed]


def client_ip_address(request: HttpRequest) -> str | None:
    """Return the client's address: the socket's, or the one the trusted proxies put in X-Forwarded-For.

    Each trusted proxy appends the address it received the request from, so the client is the
    TRUSTED_PROXY_COUNT-th entry from the right; anything further left may be forged.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


@dataclass(frozen=True)
class LoginFailures:
    """The failed logins one attempt meets: its account's from its address, and its address's."""

    account: int
    address: int

    @property
    def account_locked(self) -> bool:
        return self.account >= settings.AXES_FAILURE_LIMIT

    @property
    def address_locked(self) -> bool:
        return self.address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT

    @property
    def locked(self) -> bool:
        return self.account_locked or self.address_locked


def _attempt_keys(request: HttpRequest, credentials: dict[str, Any] | None) -> tuple[str, str]:
    """Return the keys of an attempt's two counts: its account from its address, and its address."""
    address = request.axes_ip_address  # type: ignore[attr-defined] # set by axes before it asks a handler
    return account_failures_key(get_client_username(request, credentials), address), address_failures_key(address)


def login_failures(request: HttpRequest, credentials: dict[str, Any] | None = None) -> LoginFailures:
    """Read the counts an attempt meets; zero while Redis does not answer (throttling fails open)."""
    account_key, address_key = _attempt_keys(request, credentials)
    counts = get_cache().get_many([account_key, address_key])
    return LoginFailures(account=counts.get(account_key, 0), address=counts.get(address_key, 0))


def _count_failure(keys: tuple[str, str], timeout: int | None) -> LoginFailures | None:
    """Add one failure to both counts, each forgotten `timeout` seconds from now; None when Redis does not answer."""
    cache = get_cache()
    try:
        with get_redis_connection(settings.AXES_CACHE).pipeline() as pipeline:  # MULTI/EXEC
            for key in keys:
                pipeline.incr(cache.make_key(key))
                if timeout:
                    pipeline.expire(cache.make_key(key), timeout)
            replies = pipeline.execute()
    except RedisError as error:
        logger.warning("AXES: Login failure not counted: the throttling cache does not answer (%s).", error)
        return None
    account, address = replies[:: 2 if timeout else 1]  # each INCR's reply, without the EXPIREs'
    return LoginFailures(account=account, address=address)


def _forget(pattern: str) -> int:
    """Delete the counts whose keys match the glob `pattern`; return how many."""
    cache: Any = get_cache()  # django-redis's, which has delete_pattern()
    return cache.delete_pattern(pattern) or 0


def _duration(seconds: float) -> str:
    """Say a cool-off in whole minutes, rounded up."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def login_warning(request: HttpRequest) -> str | None:
    """Say so when the failure just counted leaves one attempt before a lockout, else None."""
    failures: LoginFailures | None = getattr(request, "login_failures", None)
    if failures is None:
        return None
    pause = _duration(get_cache_timeout(request) or 0)
    if failures.address == settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1:
        return f"1 attempt left before logging in from this address is paused for {pause}."
    if failures.account == settings.AXES_FAILURE_LIMIT - 1:
        return f"1 attempt left before this account is locked for {pause} from this address."
    return None


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials: Any) -> HttpResponse:
    """Render the 429 page of a locked-out attempt: which lock holds, and how long is left of its cool-off."""
    failures = login_failures(request, credentials)
    account_key, address_key = _attempt_keys(request, credentials)
    locks = {account_key: failures.account_locked, address_key: failures.address_locked}
    cache: Any = get_cache()  # django-redis's, which has ttl()
    seconds_left = max((cache.ttl(key) or 0 for key, locked in locks.items() if locked), default=0)
    context = {
        "address_locked": failures.address_locked,
        "account_limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        "time_left": _duration(seconds_left or get_cache_timeout(request) or 0),
    }
    return render(request, "users/lockout.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)


def login_failures_forget(*, user: User) -> None:
    """Forget the failed logins counted against a member's account from every address (not the addresses' own)."""
    _forget(account_failures_pattern(account=user.get_username()))


def password_confirms(*, request: HttpRequest, user: User, password: str) -> bool:
    """Check a member's current password as a login does: refused while locked out, counted when wrong."""
    return authenticate(request, username=user.get_username(), password=password) == user


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuse locked-out logins; first of AUTHENTICATION_BACKENDS, it authenticates nobody itself.

    Every login form passes the request. A call without one comes from code (the test client's
    `login()`, a shell), where there is no client to throttle: axes would raise, this passes it on.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class MemberLoginHandler(AbstractAxesHandler, AxesBaseHandler):
    """Count failed logins against the account from its address and against the address; forgive the pair on success.

    A success does not forgive the address: anyone with an account of their own could otherwise
    keep guessing other members' passwords from one address by logging in between tries. With
    Redis away a failure goes uncounted and logged, like every other cache miss during an outage.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Return the account's failures from this address (axes' interface; is_locked() weighs the address's too)."""
        return login_failures(request, credentials).account

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        return login_failures(request, credentials).locked

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            logger.error("AXES: A failed login without a request cannot be counted.")
            return
        if request.axes_locked_out:  # type: ignore[attr-defined] # refused by the backend: uncounted, so not extended
            self._lock_out(request, credentials)
            return
        failures = _count_failure(_attempt_keys(request, credentials), get_cache_timeout(request))
        if failures is None:
            return
        request.login_failures = failures  # type: ignore[attr-defined] # read by login_warning()
        logger.warning(
            "AXES: Login failure %d for the account from this address, %d from the address.",
            failures.account,
            failures.address,
        )
        if failures.locked:
            self._lock_out(request, credentials)

    def _lock_out(self, request: HttpRequest, credentials: dict[str, Any]) -> None:
        """Mark the request for axes' middleware, which answers it with lockout_response(), and tell listeners."""
        request.axes_locked_out = True  # type: ignore[attr-defined]
        request.axes_credentials = credentials  # type: ignore[attr-defined]
        user_locked_out.send(
            "axes",
            request=request,
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        )

    def user_logged_in(self, sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        logger.info("AXES: Successful login by member %s.", user.pk)
        if settings.AXES_RESET_ON_SUCCESS:
            address = request.axes_ip_address  # type: ignore[attr-defined]
            get_cache().delete(account_failures_key(user.get_username(), address))

    def user_logged_out(self, sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
        """Count nothing: a logout is no attempt."""

    def reset_attempts(
        self, *, ip_address: str | None = None, username: str | None = None, ip_or_username: bool = False
    ) -> int:
        """Forget counts for axes' commands: an address's and every account's from it, an account's from every address.

        Given both, `axes_reset_ip_username` forgets that account from that address only.
        """
        account = login_account(None, {"username": username}) if username is not None else None
        if account is not None and ip_address is not None and not ip_or_username:
            return int(get_cache().delete(account_failures_key(account, ip_address)))
        forgotten = 0
        if ip_address is not None:
            forgotten += _forget(account_failures_pattern(address=ip_address))
            forgotten += int(get_cache().delete(address_failures_key(ip_address)))
        if account is not None:
            forgotten += _forget(account_failures_pattern(account=account))
        return forgotten
