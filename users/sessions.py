"""Who is logged in is the relational store's word: a session's copy in Redis cannot outlive its row.

Sessions are read from Redis and kept durably in the relational store (the `cached_db` engine).
A logout while Redis is down deletes the row but cannot delete the copy; were Redis to come back
with its data (append-only file, a network blip), the copy would log the member in again. So
the one query that loads the member also asks that their session's row still exists.

Every member's request runs that query, so it is written once as SQL (`live_member()`): built
through the ORM, the same statement cost 0.9 ms of CPU a request, more than the floor view's
whole request (docs/benchmarks.md, issue #18).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import cached_db, db
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from config.routers import RELATIONAL_DB
from users.models import User

_request_session: ContextVar[SessionBase | None] = ContextVar("request_session", default=None)


class RequestSessionMiddleware:
    """Make the request's session known to MemberBackend.get_user() while the request is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_session.set(request.session)
        try:
            return self.get_response(request)
        finally:
            _request_session.reset(token)


def _column(model: type[Model], field_name: str) -> str:
    """Return a field's column (set once the model is ready; the stubs type it as optional)."""
    [column] = [field.column for field in model._meta.concrete_fields if field.name == field_name]
    return str(column)


def _live_member_sql(quote: Callable[[str], str]) -> str:
    """Select the member whose session has an unexpired row: parameters member id, session key, now."""
    return (
        f"SELECT * FROM {quote(User._meta.db_table)} WHERE {quote(_column(User, 'id'))} = %s AND EXISTS ("
        f"SELECT 1 FROM {quote(Session._meta.db_table)} WHERE {quote(_column(Session, 'session_key'))} = %s"
        f" AND {quote(_column(Session, 'expire_date'))} > %s)"
    )


def live_member(user_id: object, session_key: str) -> User | None:
    """Return the member `user_id` if the session `session_key` still has an unexpired row, in one query.

    On the primary (never a replica behind it): an ended session must not open a page again.
    """
    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    connection = connections[RELATIONAL_DB]
    expiry = connection.ops.adapt_datetimefield_value(timezone.now())
    members = User._default_manager.db_manager(RELATIONAL_DB).raw(
        _live_member_sql(connection.ops.quote_name), [pk, session_key, expiry]
    )
    return next(iter(members), None)


class MemberBackend(ModelBackend):
    """ModelBackend (username or email, see User.objects) whose get_user() also needs a live session row."""

    def get_user(self, user_id: object) -> User | None:
        session = _request_session.get()
        if session is None or not session.session_key:
            user = User._default_manager.db_manager(RELATIONAL_DB).filter(pk=user_id).first()
        else:
            user = live_member(user_id, session.session_key)
        return user if user is not None and self.user_can_authenticate(user) else None


class SessionStore(cached_db.SessionStore):
    """cached_db, except that a new session's first copy goes to the relational store only.

    A login saves the new session twice: created (cycle_key, before the member is set) and at
    the response, with the member. Should Redis lose the second write (a Sentinel failover takes
    the last writes the replica had not received), its copy would be the first: a session with
    no member, and a logout. Without the first copy, Redis has the full session or none.
    """

    def save(self, must_create: bool = False) -> None:
        if must_create:
            db.SessionStore.save(self, must_create=True)
        else:
            super().save(must_create=False)
