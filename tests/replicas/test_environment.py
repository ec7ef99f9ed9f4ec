"""DATABASE_REPLICA_URLS, REDIS_SENTINELS and their companions: parsed, or a startup error naming the variable."""

from __future__ import annotations

import pytest

from config import scale_out as environment
from config.environment import ConfigurationError

PRIMARY = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "polystore",
    "HOST": "db-a",
    "PORT": 5432,
    "USER": "polystore",
    "PASSWORD": "secret",
    "OPTIONS": {"connect_timeout": 3},
}


def test_each_replica_url_is_an_alias_that_falls_back_to_the_primary(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_REPLICA_URLS", "postgres://polystore:secret@db-b:5433/polystore, postgres://db-c/polystore"
    )

    replicas = environment.relational_replicas(PRIMARY)

    assert list(replicas) == ["replica1", "replica2"]
    assert replicas["replica1"]["HOST"] == "db-b,db-a"
    assert replicas["replica1"]["PORT"] == "5433,5432"
    assert replicas["replica1"]["OPTIONS"]["target_session_attrs"] == "prefer-standby"
    assert replicas["replica2"]["USER"] == "polystore"  # the primary's role when the URL names none
    assert replicas["replica2"]["TEST"] == {"MIRROR": "default"}


def test_no_replica_urls_means_no_replicas(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URLS", raising=False)
    assert environment.relational_replicas(PRIMARY) == {}


@pytest.mark.parametrize(
    ("variable", "value", "read", "message"),
    [
        ("DATABASE_REPLICA_URLS", "mysql://db-b/polystore", "replicas", "must be a postgres://host/"),
        ("DATABASE_REPLICA_URLS", "postgres://db-b/other", "replicas", "a streaming replica holds 'polystore'"),
        ("DATABASE_REPLICA_URLS", "postgres://db-b/polystore", "sqlite", "needs a PostgreSQL DATABASE_URL"),
        ("DATABASE_REPLICA_MAX_LAG", "soon", "lag", "expected a number of seconds"),
        ("DATABASE_REPLICA_MAX_LAG", "0", "lag", "must be more than 0"),
        ("REDIS_SENTINELS", "sentinel-a:port", "sentinels", "has no valid port"),
        ("REDIS_SENTINEL_MASTER", "my master!", "master", "expected a name"),
    ],
)
def test_bad_values_name_the_variable(monkeypatch, variable, value, read, message):
    monkeypatch.setenv(variable, value)
    reader = {
        "replicas": lambda: environment.relational_replicas(PRIMARY),
        "sqlite": lambda: environment.relational_replicas({"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}),
        "lag": environment.replica_max_lag,
        "sentinels": environment.redis_sentinels,
        "master": environment.sentinel_master_name,
    }[read]

    with pytest.raises(ConfigurationError) as raised:
        reader()

    assert raised.value.variable == variable
    assert message in str(raised.value)


def test_sentinels_without_a_master_name_stop_startup_naming_it(manage):
    result = manage("check", env={"REDIS_SENTINELS": "127.0.0.1:26379", "REDIS_SENTINEL_MASTER": ""})

    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: REDIS_SENTINEL_MASTER:")
    assert "Traceback" not in result.stderr


def test_sentinels_are_listed_with_the_default_port(monkeypatch):
    monkeypatch.setenv("REDIS_SENTINELS", "sentinel-a:26380, sentinel-b")
    assert environment.redis_sentinels() == [("sentinel-a", 26380), ("sentinel-b", 26379)]


def test_sentinel_locations_keep_the_databases_and_password():
    cache, sessions = environment.sentinel_cache_locations(
        "redis://:pw@redis-a:6379/4", "redis://:pw@redis-a:6379/5", "polystore"
    )
    assert (cache, sessions) == ("redis://:pw@polystore/4", "redis://:pw@polystore/5")


def test_mongodb_writes_wait_for_a_majority_and_reads_stay_on_the_primary(monkeypatch):
    from config.environment import document_database

    monkeypatch.setenv("MONGODB_URI", "mongodb://a:27017,b:27017,c:27017/polystore?replicaSet=rs0")
    options = document_database(debug=True)["OPTIONS"]
    assert options | {"w": "majority", "retryWrites": True, "readPreference": "primary"} == options

    monkeypatch.setenv("MONGODB_URI", "mongodb://a:27017/polystore?readPreference=secondaryPreferred&w=1")
    options = document_database(debug=True)["OPTIONS"]
    assert "readPreference" not in options  # the URI's own choice wins
    assert "w" not in options
