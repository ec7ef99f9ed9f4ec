"""Read Polystore's settings from the environment, failing with one line that names the variable."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import dj_database_url
from pymongo.errors import InvalidURI
from pymongo.uri_parser import parse_uri
from redis.connection import parse_url as parse_redis_url

# Where the local stores listen (tools/stores starts them there): the defaults in development only.
LOCAL_MONGODB_URI = "mongodb://127.0.0.1:27017/polystore"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
RELATIONAL_ENGINES = {
    "django.db.backends.sqlite3": "sqlite",
    "django.db.backends.postgresql": "postgresql",
}


class ConfigurationError(Exception):
    """A setting's environment variable is missing or malformed.

    Deliberately not ImproperlyConfigured: Django's command runner swallows that one while
    it loads settings, and the operator would see a confusing error further on.
    """

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


def _raw(variable: str, *, default: str | None, debug: bool) -> str:
    """Return the variable's value; the default is for development only."""
    value = os.environ.get(variable)
    if value is not None and value.strip():
        return value.strip()
    if default is not None and debug:
        return default
    raise ConfigurationError(variable, "is not set (required when DJANGO_DEBUG is off)")


def boolean(variable: str, *, default: bool) -> bool:
    value = os.environ.get(variable)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigurationError(variable, f"expected true or false, got {value!r}")


def integer(variable: str, *, default: int, minimum: int = 0) -> int:
    value = os.environ.get(variable)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(variable, f"expected a whole number, got {value!r}") from None
    if number < minimum:
        raise ConfigurationError(variable, f"must be at least {minimum}, got {number}")
    return number


def text(variable: str, *, default: str = "") -> str:
    """Return the variable's value without surrounding blanks, or the default when it is unset or blank."""
    value = os.environ.get(variable)
    if value is None or not value.strip():
        return default
    return value.strip()


def secret_key(*, debug: bool) -> str:
    key = _raw("DJANGO_SECRET_KEY", default="django-insecure-local-development-only", debug=debug)
    if not debug and (len(key) < 40 or key.startswith("django-insecure")):
        raise ConfigurationError("DJANGO_SECRET_KEY", "must be a random string of at least 40 characters")
    return key


def allowed_hosts(*, debug: bool) -> list[str]:
    hosts = [h.strip() for h in _raw("DJANGO_ALLOWED_HOSTS", default="127.0.0.1,localhost", debug=debug).split(",")]
    hosts = [h for h in hosts if h]
    if not hosts:
        raise ConfigurationError("DJANGO_ALLOWED_HOSTS", "lists no host")
    if "*" in hosts and not debug:
        raise ConfigurationError("DJANGO_ALLOWED_HOSTS", "'*' is not allowed in production; name the hosts")
    return hosts


def relational_database(*, debug: bool, base_dir: Path) -> dict[str, Any]:
    """Parse DATABASE_URL (SQLite or PostgreSQL) into a Django DATABASES entry."""
    url = _raw("DATABASE_URL", default=f"sqlite:///{base_dir / 'var' / 'db.sqlite3'}", debug=debug)
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ConfigurationError("DATABASE_URL", str(error)) from None
    if config["ENGINE"] not in RELATIONAL_ENGINES:
        raise ConfigurationError("DATABASE_URL", "must start with sqlite:// or postgres://")
    if not config.get("NAME"):
        raise ConfigurationError("DATABASE_URL", "names no database")
    if config["ENGINE"] == "django.db.backends.postgresql":
        if not config.get("HOST"):
            raise ConfigurationError("DATABASE_URL", "names no host")
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    return dict(config)


def document_database(*, debug: bool) -> dict[str, Any]:
    """Parse MONGODB_URI into the `mongodb` DATABASES entry, with short server timeouts."""
    uri = _raw("MONGODB_URI", default=LOCAL_MONGODB_URI, debug=debug)
    try:
        parsed = parse_uri(uri)
    except (InvalidURI, ValueError) as error:
        raise ConfigurationError("MONGODB_URI", str(error)) from None
    if not parsed["database"]:
        raise ConfigurationError("MONGODB_URI", "names no database (add it as the path: mongodb://host:port/polystore)")
    # Fail within seconds when the server is away, unless the URI asks for other timeouts.
    timeouts = {"serverSelectionTimeoutMS": 2000, "connectTimeoutMS": 1000, "socketTimeoutMS": 10000}
    # On a replica set (README, "Scale-out"): a write is acknowledged once a majority holds it, so a
    # failover cannot take it back; one retry rides over an election; reads stay on the primary,
    # where an owner sees their own writes (counters and integrity checks compare against them).
    replication = {"w": "majority", "retryWrites": True, "retryReads": True, "readPreference": "primary"}
    options = {name: value for name, value in (timeouts | replication).items() if name not in parsed["options"]}
    return {"ENGINE": "mongodb_engine", "HOST": uri, "NAME": parsed["database"], "OPTIONS": options}


def redis_urls(*, debug: bool) -> tuple[str, str]:
    """Return the cache URL and the sessions URL: REDIS_URL's logical database, and the next one.

    Sessions get a database of their own because a cache clear() is FLUSHDB (django-redis #168).
    """
    url = _raw("REDIS_URL", default=LOCAL_REDIS_URL, debug=debug)
    try:
        database = int(parse_redis_url(url).get("db", 0))
    except ValueError as error:
        raise ConfigurationError("REDIS_URL", str(error)) from None
    if database >= 15:
        raise ConfigurationError("REDIS_URL", "database must be 0-14: sessions use the next one")
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "db"])
    cache_url, sessions_url = (
        urlunsplit(parts._replace(path=f"/{db}", query=query)) for db in (database, database + 1)
    )
    return cache_url, sessions_url
