"""The router's choices against a real streaming replica: reads, writes, read-your-writes, a replica down or behind."""

from __future__ import annotations

import io
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import router, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from replicas.reads import PIN_COOKIE, ReplicaReadsMiddleware, read_scope
from tests.replicas.conftest import ALIAS, add_member, seconds_until
from users.models import User


def member_seen(username: str) -> bool:
    """Read like a member's GET would: through the router, in a scope that allows replicas."""
    with read_scope(replicas_allowed=True):
        return User.objects.filter(username=username).exists()


def test_a_members_get_reads_from_the_replica(replica):
    username = f"r-{uuid.uuid4().hex[:8]}"
    add_member(replica, username)
    replica.replica.wait_caught_up()
    with read_scope(replicas_allowed=True):
        assert router.db_for_read(User) == ALIAS
    assert member_seen(username)  # the test database behind `default` has no such member

    replica.replica.pause_replay()
    late = f"r-{uuid.uuid4().hex[:8]}"
    add_member(replica, late)

    assert not member_seen(late)  # the replica, behind the primary, answered


def skipped() -> bool:
    """Whether a member's GET would read from the primary now."""
    with read_scope(replicas_allowed=True):
        return router.db_for_read(User) == "default"


def test_writes_go_to_the_primary_and_pin_the_rest_of_the_request(replica):
    with read_scope(replicas_allowed=True) as scope:
        assert router.db_for_write(User) == "default"
        assert scope.wrote
        assert router.db_for_read(User) == "default"


def test_outside_a_request_and_in_posts_reads_go_to_the_primary(replica):
    assert router.db_for_read(User) == "default"
    with read_scope(replicas_allowed=False):
        assert router.db_for_read(User) == "default"


def test_reads_inside_a_transaction_go_to_the_primary(replica):
    with read_scope(replicas_allowed=True), transaction.atomic():
        assert router.db_for_read(User) == "default"


def test_sessions_are_always_read_from_the_primary(replica):
    with read_scope(replicas_allowed=True):
        assert router.db_for_read(Session) == "default"


def routed_reads(request) -> list[str]:
    """Run the request through the middleware; return where a read in its view went, and the response."""
    seen: list[str] = []

    def view(request):
        seen.append(router.db_for_read(User))
        if request.method == "POST":
            router.db_for_write(User)
        return HttpResponse()

    response = ReplicaReadsMiddleware(view)(request)
    return seen, response


def test_read_your_writes_a_browser_that_wrote_reads_from_the_primary(replica):
    factory = RequestFactory()
    before, _ = routed_reads(factory.get("/users/"))
    assert before == [ALIAS]

    written, response = routed_reads(factory.post("/users/me/edit/"))
    assert written == ["default"]
    assert PIN_COOKIE in response.cookies

    pinned = factory.get("/users/")
    pinned.COOKIES[PIN_COOKIE] = response.cookies[PIN_COOKIE].value
    after, _ = routed_reads(pinned)
    assert after == ["default"]

    forged = factory.get("/users/")
    forged.COOKIES[PIN_COOKIE] = "1"
    assert routed_reads(forged)[0] == [ALIAS]  # an unsigned pin is ignored


def test_the_admins_change_forms_read_from_the_primary(replica):
    middleware = ReplicaReadsMiddleware(lambda request: HttpResponse())
    seen = []
    for path in ("/admin/users/user/7/change/", "/admin/users/user/add/", "/admin/users/user/"):
        request = RequestFactory().get(path)
        request.resolver_match = resolve(path)
        request.user = User(username="staff", is_staff=True)
        with read_scope(replicas_allowed=True):
            middleware.process_view(request, request.resolver_match.func, (), {})
            seen.append(router.db_for_read(User))
    assert seen == ["default", "default", ALIAS]


def test_a_stopped_replica_is_skipped_within_a_second_and_no_read_fails(replica):
    username = f"r-{uuid.uuid4().hex[:8]}"
    add_member(replica, username)
    replica.replica.wait_caught_up()
    assert member_seen(username)  # Django's connection to the replica is open now

    replica.replica.stop()
    assert member_seen(username)  # the broken connection is reopened on the primary, the read sent again

    assert seconds_until(skipped, "the replica skipped") <= 1.0

    replica.replica.start()
    assert seconds_until(lambda: not skipped(), "the replica used again") <= 1.5


def test_a_replica_further_behind_than_the_bound_is_skipped(replica, settings):
    add_member(replica, f"r-{uuid.uuid4().hex[:8]}")
    replica.replica.wait_caught_up()  # its last replayed commit is a fresh one
    replica.replica.pause_replay()
    add_member(replica, f"r-{uuid.uuid4().hex[:8]}")
    assert not skipped()

    waited = seconds_until(skipped, "the lagging replica skipped")
    assert settings.DATABASE_REPLICA_MAX_LAG - 0.2 <= waited <= settings.DATABASE_REPLICA_MAX_LAG + 1.0

    replica.replica.resume_replay()
    seconds_until(lambda: not skipped(), "the replica used again once caught up", timeout=3)


def test_migrations_run_on_the_primary_only(replica):
    assert router.allow_migrate(ALIAS, "users", model_name="user") is False
    assert router.allow_migrate("default", "users", model_name="user") is True


def test_readyz_and_check_backends_report_each_replica_and_its_lag(replica, client, settings):
    replica.replica.pause_replay()
    add_member(replica, f"r-{uuid.uuid4().hex[:8]}")

    body = client.get("/readyz").json()

    assert body["replicas"][ALIAS]["answers"] is True
    assert body["replicas"][ALIAS]["lag_seconds"] >= 0
    assert "replica1" not in body["failing"]

    replica.replica.stop()
    output = io.StringIO()
    call_command("check_backends", stdout=output)
    assert f"{ALIAS}" in output.getvalue()
    assert "skipped" in output.getvalue()
    assert client.get("/readyz").json()["replicas"][ALIAS]["answers"] is False


def test_pages_the_page_cache_keeps_are_rendered_from_the_primary(replica):
    middleware = ReplicaReadsMiddleware(lambda request: HttpResponse())
    seen = []
    for user, path in (
        (AnonymousUser(), "/users/"),
        (AnonymousUser(), "/users/?q=ann"),
        (User(username="m"), "/users/"),
        (User(username="m"), "/users/?q=ann"),
    ):
        request = RequestFactory().get(path)
        request.resolver_match = resolve(request.path)
        request.user = user
        with read_scope(replicas_allowed=True):
            middleware.process_view(request, request.resolver_match.func, (), {})
            seen.append(router.db_for_read(User))
    # Kept for anonymous visitors, and its fragment for members (either would outlive the lag); a search is not kept.
    assert seen == ["default", ALIAS, "default", ALIAS]


@pytest.mark.django_db(transaction=True)  # the test database's tables, and no transaction around the test
def test_member_names_kept_in_redis_are_read_from_the_primary(replica):
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from users.names import member_names

    with (
        read_scope(replicas_allowed=True),
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[ALIAS]) as on_replica,
    ):
        member_names([2_000_000_001])

    assert len(on_primary) == 1
    assert len(on_replica) == 0


@pytest.mark.django_db(transaction=True, databases=["default", "mongodb"])
def test_counts_kept_in_redis_are_read_from_the_primary(replica):
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from page_cache.paginator import CountCachingPaginator

    with (
        read_scope(replicas_allowed=True),
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[ALIAS]) as on_replica,
    ):
        members = CountCachingPaginator(User.objects.order_by("pk"), 25, scope="members", topics=["members"]).count

    assert members >= 0
    assert len(on_primary) == 1
    assert len(on_replica) == 0
