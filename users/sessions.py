"""Who is logged in is the relational store's word: a session's copy in Redis cannot outlive its row.

Sessions are read from Redis and kept durably in the relational store (the `cached_db` engine).
A logout while Redis is down deletes the row but cannot delete the copy; were Redis to come back
with its data (append-only file, a network blip), the copy would log the member in again. So
the one query that loads the member also asks that their session's row still exists.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import cached_db, db
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.db.models import Exists
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


class MemberBackend(ModelBackend):
    """ModelBackend (username or email, see User.objects) whose get_user() also needs a live session row."""

    def get_user(self, user_id: object) -> User | None:
        # On the primary (never a replica behind it): an ended session must not open a page again.
        members = User._default_manager.db_manager(RELATIONAL_DB).filter(pk=user_id)
        session = _request_session.get()
        if session is not None and session.session_key:
            live = Session.objects.filter(session_key=session.session_key, expire_date__gt=timezone.now())
            members = members.filter(Exists(live))
        user = members.first()
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
