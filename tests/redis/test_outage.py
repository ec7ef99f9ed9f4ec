"""Redis down: every page still answers, nobody is logged out, /readyz says so; then it recovers."""

from __future__ import annotations

import pytest
import redis
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse

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


def test_a_logout_while_redis_is_down_holds_when_redis_comes_back_with_its_data(client, alice, own_redis):
    assert client.login(username="alice", password="correct horse battery staple")
    old_cookie = client.cookies["sessionid"].value
    copies = redis.Redis(port=own_redis.port, db=1)
    [key] = copies.keys("*django.contrib.sessions*")
    copy = copies.dump(key)
    own_redis.stop()

    client.post(reverse("users:logout"))
    own_redis.start()
    copies.restore(key, 0, copy)  # as an append-only file would bring it back

    client.cookies["sessionid"] = old_cookie
    response = client.get(reverse("notes:list"))
    assert response.status_code == 302
    assert response.wsgi_request.user.is_anonymous
    assert not Session.objects.filter(session_key=old_cookie).exists()


def test_a_member_whose_session_row_exists_stays_logged_in_with_one_query(client, alice, django_assert_num_queries):
    assert client.login(username="alice", password="correct horse battery staple")

    with django_assert_num_queries(1):  # the member and their session's row, together
        assert client.get("/no/such/page/").wsgi_request.user == alice
