from __future__ import annotations

import logging

import pytest
import redis
from django.core.cache import cache

from page_cache.versions import topics_changed, version_key, versioned_get, versioned_set


def test_a_change_gives_every_topic_a_version_it_never_had_that_expires():
    topics = ["members", *(f"member:{pk}" for pk in range(1, 501))]
    topics_changed("members")
    before = cache.get(version_key("members"))

    topics_changed(*topics)

    versions = {cache.get(version_key(topic)) for topic in topics}
    assert len(versions) == 1
    assert versions.isdisjoint({None, before})
    assert 0 < cache.ttl(version_key("member:500")) <= 2 * 60 * 60


def test_a_change_of_new_topics_gives_each_a_version_it_never_had_kept_until_the_next_change():
    topics = ["members", *(f"member:{pk}" for pk in range(1, 501))]
    topics_changed("members", "member:500")
    before = {cache.get(version_key("members")), cache.get(version_key("member:500"))}

    topics_changed(*topics, expiring=False)

    versions = {cache.get(version_key(topic)) for topic in topics}
    assert len(versions) == 1
    assert versions.isdisjoint({None, *before})
    assert cache.ttl(version_key("member:500")) is None
    topics_changed("member:500")
    assert 0 < cache.ttl(version_key("member:500")) <= 2 * 60 * 60


@pytest.mark.parametrize("expiring", [True, False])
def test_a_change_while_redis_is_down_is_logged_not_raised(own_redis, caplog, expiring):
    own_redis.stop()

    with caplog.at_level(logging.WARNING, logger="page_cache.versions"):
        topics_changed("members", "member:1", expiring=expiring)

    assert "Page cache unavailable" in caplog.text


def test_a_value_made_before_a_change_is_never_read_after_it():
    filing, value = versioned_get("page:slow", ["notes"])
    assert value is None
    topics_changed("notes")  # a note is written while a slow request renders the page

    versioned_set(filing, "rendered before the write", 60)  # the slow request files what it rendered

    filing, value = versioned_get("page:slow", ["notes"])
    assert value is None
    versioned_set(filing, "rendered after the write", 60)
    assert versioned_get("page:slow", ["notes"])[1] == "rendered after the write"


@pytest.mark.parametrize("value", [0, 1_234, "a page", b"<html>", {"blocks": {"content": "<p>"}}])
def test_every_kind_of_value_reads_back_as_filed(value):
    filing, _ = versioned_get("thing", ["members", "notes"])

    versioned_set(filing, value, 60)

    assert versioned_get("thing", ["members", "notes"])[1] == value
    assert versioned_get("thing", ["members"])[1] is None  # other topics, another stamp


def test_the_bump_runs_again_on_a_server_that_lost_its_script(own_redis):
    topics_changed("members")
    filing, _ = versioned_get("page", ["members"])
    versioned_set(filing, "cached page", 60)
    redis.Redis.from_url(own_redis.url(0)).script_flush()  # as a restarted or newly promoted server

    assert versioned_get("page", ["members"])[1] == "cached page"
    topics_changed("members")
    assert versioned_get("page", ["members"])[1] is None
