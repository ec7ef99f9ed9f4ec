"""Login throttling with django-axes on Redis: who an attempt counts against, and forgiveness."""

from __future__ import annotations

import logging
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.cache import AxesCacheHandler
from axes.helpers import get_cache, make_cache_key_list
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django_redis import get_redis_connection
from redis.exceptions import RedisError

from users.models import User

logger = logging.getLogger(__name__)


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


def login_failures_forget(*, user: User) -> None:
    """Forget the failed logins counted against a member's account (not against any address)."""
    (account_key,) = make_cache_key_list([{"username": user.get_username()}])
    get_cache().delete(account_key)


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


class MemberLoginHandler(AxesCacheHandler):
    """Axes' cache handler, forgiving the account (not the address) on success, and sparing pages when Redis is away.

    Stock axes also deletes the address's count on success, so anyone with an account of their
    own could keep guessing other members' passwords from one address by logging in between tries.
    And with Redis away its counter arithmetic meets None and fails the login page with a 500;
    here the failure goes uncounted and logged, like every other cache miss during an outage.
    """

    @property
    def cache(self) -> Any:
        """The configured cache, looked up on each use (axes keeps the one it met at start-up)."""
        return get_cache()

    @cache.setter
    def cache(self, value: Any) -> None:
        """Ignore axes' start-up assignment; see the getter."""

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        try:
            get_redis_connection(settings.AXES_CACHE).ping()
        except RedisError as error:
            logger.warning("AXES: Login failure not counted: the throttling cache does not answer (%s).", error)
            return
        super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        logger.info("AXES: Successful login by member %s.", user.pk)
        if settings.AXES_RESET_ON_SUCCESS:
            login_failures_forget(user=user)
