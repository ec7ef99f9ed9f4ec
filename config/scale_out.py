"""Read the scale-out settings (relational replicas, Redis Sentinels) from the environment, failing with one line that names the variable."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import dj_database_url

from config.environment import ConfigurationError, text

REPLICA_ALIAS_PREFIX = "replica"
DEFAULT_SENTINEL_PORT = 26379


def replica_alias(number: int) -> str:
    """The DATABASES alias of the replica at this position (1-based) in DATABASE_REPLICA_URLS."""
    return f"{REPLICA_ALIAS_PREFIX}{number}"


def _seconds(variable: str, *, default: float) -> float:
    value = text(variable)
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        raise ConfigurationError(variable, f"expected a number of seconds, got {value!r}") from None
    if not 0 < seconds <= 3600:
        raise ConfigurationError(variable, f"must be more than 0 and at most 3600 seconds, got {value}")
    return seconds


def replica_max_lag() -> float:
    """DATABASE_REPLICA_MAX_LAG: a replica further behind than this many seconds serves no read."""
    return _seconds("DATABASE_REPLICA_MAX_LAG", default=2.0)


def relational_replicas(primary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Parse DATABASE_REPLICA_URLS into DATABASES entries: `replica1`, `replica2`, … (none when unset).

    Each entry lists the replica first and the primary second, with target_session_attrs
    prefer-standby: a connection opened while the replica is down lands on the primary
    (psycopg tries the standby, then any server), so a stopped replica is never an error.
    """
    urls = [url.strip() for url in text("DATABASE_REPLICA_URLS").split(",") if url.strip()]
    if not urls:
        return {}
    if primary["ENGINE"] != "django.db.backends.postgresql":
        raise ConfigurationError("DATABASE_REPLICA_URLS", "needs a PostgreSQL DATABASE_URL (SQLite has no replicas)")
    replicas = {}
    for number, url in enumerate(urls, start=1):
        try:
            config = dj_database_url.parse(url)
        except ValueError as error:
            raise ConfigurationError("DATABASE_REPLICA_URLS", f"replica {number}: {error}") from None
        if config["ENGINE"] != "django.db.backends.postgresql" or not config.get("HOST"):
            raise ConfigurationError("DATABASE_REPLICA_URLS", f"replica {number} must be a postgres://host/… URL")
        if config["NAME"] != primary["NAME"]:
            raise ConfigurationError(
                "DATABASE_REPLICA_URLS",
                f"replica {number} names database {config['NAME']!r}; a streaming replica holds {primary['NAME']!r}",
            )
        replicas[replica_alias(number)] = {
            **primary,
            "ENGINE": "replicas.backend",
            "HOST": f"{config['HOST']},{primary['HOST']}",
            "PORT": f"{config['PORT'] or 5432},{primary['PORT'] or 5432}",
            "USER": config["USER"] or primary["USER"],
            "PASSWORD": config["PASSWORD"] or primary["PASSWORD"],
            "OPTIONS": {**primary.get("OPTIONS", {}), "target_session_attrs": "prefer-standby"},
            # Tests run on the primary's test database; a replica cannot create one.
            "TEST": {"MIRROR": "default"},
        }
    return replicas


def redis_sentinels() -> list[tuple[str, int]]:
    """Parse REDIS_SENTINELS (host:port,host:port,…) into (host, port) pairs; none when unset."""
    sentinels = []
    for entry in (part.strip() for part in text("REDIS_SENTINELS").split(",")):
        if not entry:
            continue
        parts = urlsplit(f"//{entry}")
        try:
            port = parts.port or DEFAULT_SENTINEL_PORT
        except ValueError:
            raise ConfigurationError("REDIS_SENTINELS", f"{entry!r} has no valid port") from None
        if not parts.hostname:
            raise ConfigurationError("REDIS_SENTINELS", f"{entry!r} names no host")
        sentinels.append((parts.hostname, port))
    return sentinels


def sentinel_master_name() -> str:
    """REDIS_SENTINEL_MASTER: the name the Sentinels monitor the master under (required with REDIS_SENTINELS)."""
    name = text("REDIS_SENTINEL_MASTER")
    if not name:
        raise ConfigurationError("REDIS_SENTINEL_MASTER", "is not set (required with REDIS_SENTINELS)")
    if not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ConfigurationError(
            "REDIS_SENTINEL_MASTER", f"expected a name of letters, digits, '-', '_', '.', got {name!r}"
        )
    return name


def sentinel_cache_locations(cache_url: str, session_cache_url: str, master_name: str) -> tuple[str, str]:
    """The two cache aliases' LOCATIONs through Sentinel: the master's name as host, REDIS_URL's databases and password."""

    def through_sentinel(url: str) -> str:
        parts = urlsplit(url)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@{master_name}" if credentials else master_name
        return parts._replace(netloc=netloc).geturl()

    return through_sentinel(cache_url), through_sentinel(session_cache_url)


def sentinel_options(sentinels: list[tuple[str, int]]) -> dict[str, Any]:
    """django-redis OPTIONS for the Sentinel client, with the Sentinels' own password when REDIS_SENTINEL_PASSWORD is set."""
    password = os.environ.get("REDIS_SENTINEL_PASSWORD") or None
    return {
        "CLIENT_CLASS": "config.cache_client.DirectDecodeSentinelClient",
        "CONNECTION_FACTORY": "django_redis.pool.SentinelConnectionFactory",
        "SENTINELS": sentinels,
        "SENTINEL_KWARGS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "password": password},
    }
