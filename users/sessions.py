"""Who is logged in is the relational store's word: a session's copy in Redis cannot outlive its row.

Sessions are read from Redis and kept durably in the relational store (the `cached_db` engine).
A logout while Redis is down deletes the row but cannot delete the copy; were Redis to come back
with its data (append-only file, a network blip), the copy would log the member in again. So
the one query that loads the member also asks that their session's row still exists.

Every member's request runs that query, so it is written once as SQL (`live_member()`) and sent
straight to the cursor: built through the ORM, the same statement cost 0.9 ms of CPU a request,
more than the floor view's whole request, and as a raw queryset still 0.11 ms, three times the
cursor's 0.04 ms (docs/benchmarks.md, issue #18).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import cached_db, db
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models.expressions import Col
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


@dataclass(frozen=True)
class _LiveMemberStatement:
    """The live-member SELECT for one database, and the converters its columns need (a raw row to field values)."""

    sql: str
    field_names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Col], ...]


@cache
def live_member_statement(alias: str, vendor: str) -> _LiveMemberStatement:
    """Write the statement and find its columns' converters once per database: both depend only on the backend.

    The converters are those of the first connection to `alias`; they read only its settings,
    which every connection to `alias` shares (threads have their own connections). Parameters: member id, session key, now. The member's columns come in `concrete_fields`
    order, the order `Model.from_db()` takes.
    """
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = User._meta.concrete_fields
    session_key = Session._meta.get_field("session_key").column
    expire_date = Session._meta.get_field("expire_date").column
    sql = (
        f"SELECT {', '.join(quote(str(field.column)) for field in fields)} FROM {quote(User._meta.db_table)}"
        f" WHERE {quote(str(User._meta.pk.column))} = %s AND EXISTS ("
        f"SELECT 1 FROM {quote(Session._meta.db_table)} WHERE {quote(str(session_key))} = %s"
        f" AND {quote(str(expire_date))} > %s)"
    )
    columns = [field.get_col(User._meta.db_table) for field in fields]
    converters = (
        (position, tuple(connection.ops.get_db_converters(column) + column.get_db_converters(connection)), column)
        for position, column in enumerate(columns)
    )
    field_names = tuple(field.attname for field in fields)
    return _LiveMemberStatement(sql, field_names, tuple(converter for converter in converters if converter[1]))


def live_member(user_id: object, session_key: str) -> User | None:
    """Return the member `user_id` if the session `session_key` still has an unexpired row, in one query.

    On the primary (never a replica behind it): an ended session must not open a page again.
    The row becomes a member as the ORM would make it (the backend's converters, `from_db()`),
    without a queryset around one statement.
    """
    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    connection = connections[RELATIONAL_DB]
    statement = live_member_statement(RELATIONAL_DB, connection.vendor)
    expiry = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [pk, session_key, expiry])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for position, converters, column in statement.converters:
        for convert in converters:
            values[position] = convert(values[position], column, connection)
    return User.from_db(RELATIONAL_DB, statement.field_names, values)


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
