"""Redis down: every page still answers, nobody is logged out, /readyz says so; then it recovers."""

from __future__ import annotations

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def test_pages_answer_and_members_stay_logged_in_while_redis_is_down(client, alice, own_redis):
    assert client.login(username="alice", password="correct horse battery staple")
    own_redis.stop()

    home = client.get("/")
    readiness = client.get("/readyz")
    admin = client.get("/admin/", follow=False)

    assert home.status_code == 200
    assert home.wsgi_request.user == alice
    assert readiness.status_code == 503
    assert readiness.json()["failing"] == ["redis"]
    assert admin.status_code == 302  # alice is no staff: the admin sends her to its login page


def test_the_cache_is_used_again_once_redis_is_back(client, own_redis):
    own_redis.stop()
    cache.set("during-outage", 1)
    assert cache.get("during-outage") is None

    own_redis.start()
    cache.set("after-outage", 2)

    assert cache.get("after-outage") == 2
    assert client.get("/readyz").status_code == 200


def test_a_login_made_during_the_outage_survives_redis_coming_back(client, alice, own_redis):
    own_redis.stop()
    assert client.login(username="alice", password="correct horse battery staple")

    own_redis.start()

    assert client.get("/").wsgi_request.user == alice
