from __future__ import annotations

import logging

from django.core.cache import cache

from page_cache.versions import topics_changed, version_key


def test_a_change_gives_every_topic_a_version_it_never_had_that_expires():
    topics = ["members", *(f"member:{pk}" for pk in range(1, 501))]
    topics_changed("members")
    before = cache.get(version_key("members"))

    topics_changed(*topics)

    versions = {cache.get(version_key(topic)) for topic in topics}
    assert len(versions) == 1
    assert versions.isdisjoint({None, before})
    assert 0 < cache.ttl(version_key("member:500")) <= 2 * 60 * 60


def test_a_change_while_redis_is_down_is_logged_not_raised(own_redis, caplog):
    own_redis.stop()

    with caplog.at_level(logging.WARNING, logger="page_cache.versions"):
        topics_changed("members", "member:1")

    assert "Page cache unavailable" in caplog.text
