"""CSRF: every request that may change something, to the users and notes pages and the admin login, needs the token."""

from __future__ import annotations

import pytest

from tests.reliability.routes import URLCONFS, World

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

UNSAFE_METHODS = ("post", "put", "patch", "delete")


def unsafe_requests() -> list[tuple[str, str]]:
    """(URL name, method) for each unsafe method a users or notes view handles, read from the URLconfs."""
    found = []
    for urlconf in URLCONFS:
        for pattern in urlconf.urlpatterns:
            view = getattr(pattern.callback, "view_class", None)  # None: a @require_POST function view
            methods = ("post",) if view is None else [method for method in UNSAFE_METHODS if hasattr(view, method)]
            found += [(f"{urlconf.app_name}:{pattern.name}", method) for method in methods]
    return [*found, ("admin:login", "post")]


def test_every_form_page_and_the_logout_are_covered():
    names = {name for name, method in unsafe_requests() if method == "post"}

    assert {
        "users:signup",
        "users:login",
        "users:logout",
        "users:edit",
        "users:delete",
        "notes:create",
        "notes:edit",
        "notes:delete",
        "notes:pin",
        "notes:check",
        "notes:transfer",
    } <= names


def test_a_request_without_the_csrf_token_is_refused_and_changes_nothing(stored):
    world = World.create()
    clients = {persona: world.client(persona, enforce_csrf_checks=True) for persona in ("anonymous", "owner")}
    before = stored()
    answers = {}

    for name, method in unsafe_requests():
        for persona, client in clients.items():
            response = getattr(client, method)(world.url(name), world.post_data(name))
            refused = response.status_code == 403 and "CSRF verification failed" in response.content.decode()
            answers[f"{method.upper()} {name} as {persona}"] = "refused" if refused else response.status_code

    assert answers == dict.fromkeys(answers, "refused")
    assert stored() == before
