"""Settings come from the environment; a bad value stops startup with one line naming it."""

from __future__ import annotations

import pytest

from config import environment
from config.environment import ConfigurationError


def test_malformed_database_url_stops_startup_with_one_line_naming_it(manage):
    result = manage("check", env={"DATABASE_URL": "mysql//no-scheme-separator"})

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("Configuration error: DATABASE_URL:")
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key(manage):
    env = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": ""}

    result = manage("check", env=env)

    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY: is not set" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "reader", "message"),
    [
        ("DATABASE_URL", "mysql://db/app", "relational", "must start with sqlite:// or postgres://"),
        ("DATABASE_URL", "postgres:///app", "relational", "names no host"),
        ("MONGODB_URI", "http://127.0.0.1/x", "document", "MONGODB_URI"),
        ("MONGODB_URI", "mongodb://127.0.0.1:27017", "document", "names no database"),
        ("REDIS_URL", "http://127.0.0.1", "redis", "REDIS_URL"),
        ("REDIS_URL", "redis://127.0.0.1:6379/15", "redis", "sessions use the next one"),
        ("DJANGO_DEBUG", "maybe", "debug", "expected true or false"),
    ],
)
def test_bad_values_name_the_variable(monkeypatch, tmp_path, variable, value, reader, message):
    monkeypatch.setenv(variable, value)
    read = {
        "relational": lambda: environment.relational_database(debug=True, base_dir=tmp_path),
        "document": lambda: environment.document_database(debug=True),
        "redis": lambda: environment.redis_urls(debug=True),
        "debug": lambda: environment.boolean("DJANGO_DEBUG", default=False),
    }[reader]

    with pytest.raises(ConfigurationError) as error:
        read()

    assert error.value.variable == variable
    assert message in str(error.value)


@pytest.mark.parametrize("variable", ["DATABASE_URL", "MONGODB_URI", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"])
def test_production_has_no_defaults_for_urls_or_hosts(monkeypatch, tmp_path, variable):
    monkeypatch.delenv(variable, raising=False)
    read = {
        "DATABASE_URL": lambda: environment.relational_database(debug=False, base_dir=tmp_path),
        "MONGODB_URI": lambda: environment.document_database(debug=False),
        "REDIS_URL": lambda: environment.redis_urls(debug=False),
        "DJANGO_ALLOWED_HOSTS": lambda: environment.allowed_hosts(debug=False),
    }[variable]

    with pytest.raises(ConfigurationError, match=f"{variable}: is not set"):
        read()


def test_postgres_url_selects_psycopg_with_a_connect_timeout(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://user:secret@db.internal:5433/polystore")

    config = environment.relational_database(debug=False, base_dir=tmp_path)

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "polystore")
    assert config["OPTIONS"]["connect_timeout"] == 3


def test_sessions_get_the_redis_database_after_the_cache(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://:pw@cache.internal:6380/4?health_check_interval=10")

    cache_url, sessions_url = environment.redis_urls(debug=False)

    assert cache_url == "redis://:pw@cache.internal:6380/4?health_check_interval=10"
    assert sessions_url == "redis://:pw@cache.internal:6380/5?health_check_interval=10"


def test_mongodb_uri_timeouts_can_be_overridden_in_the_uri(monkeypatch):
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:27017/polystore?serverSelectionTimeoutMS=9000")

    config = environment.document_database(debug=False)

    assert config["NAME"] == "polystore"
    assert "serverSelectionTimeoutMS" not in config["OPTIONS"]
    assert config["OPTIONS"]["connectTimeoutMS"] == 1000
