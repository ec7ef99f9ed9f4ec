"""Junk in URLs: note and member ids, reset links, and `?page=`, `?q=`, `?tag=` on every list page."""

from __future__ import annotations

from urllib.parse import unquote, urlencode

import pytest
from django.urls import Resolver404, resolve, reverse
from hypothesis import assume, example, given
from hypothesis import strategies as st

from page_cache.paginator import MAX_REDIRECT_LENGTH
from tests.reliability.junk import (
    DRILL,
    is_page_one,
    is_past_the_end,
    junk_text,
    member_ids,
    missing_object_ids,
    not_object_ids,
    page_numbers,
)
from tests.reliability.routes import URLCONFS, World, routes
from users.models import User

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])

NOTES = reverse("notes:list")
MEMBERS = reverse("users:directory")
PAGE_SUFFIXES = ["", "edit/", "delete/"]
NOTE_SUFFIXES = [*PAGE_SUFFIXES, "restore/", "delete-forever/"]
NOT_ALLOWED = {("notes:detail", "post"), ("notes:restore", "get")}  # 405: the view takes only the other method
LIST_PAGES = ["notes:list", "notes:public", "notes:trash", "users:directory"]


def url_name(path: str) -> str | None:
    """The namespaced view name that `path` (as sent, percent-encoded) resolves to, if any."""
    try:
        match = resolve(unquote(path))
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}"


def test_staff_gets_404_for_junk_or_missing_note_ids_and_nothing_changes(staff_client, alice_note, stored):
    before = stored()

    @DRILL
    @given(
        segment=st.one_of(not_object_ids, missing_object_ids, missing_object_ids.map(str.upper)),
        suffix=st.sampled_from(NOTE_SUFFIXES),
        method=st.sampled_from(["get", "post"]),
    )
    def drill(segment: str, suffix: str, method: str) -> None:
        path = f"{NOTES}{segment}/{suffix}"
        name = url_name(path)
        assume(name in (None, "notes:detail", "notes:edit", "notes:delete", "notes:restore", "notes:delete_forever"))
        assume(segment.lower() != str(alice_note.pk))

        response = getattr(staff_client, method)(path)

        expected = 405 if (name, method) in NOT_ALLOWED else 404
        assert response.status_code == expected, (path, response.status_code)
        assert stored() == before

    drill()


def test_staff_gets_404_for_junk_or_missing_member_ids_and_nothing_changes(staff_client, alice, stored):
    before = stored()
    existing = set(User.objects.values_list("pk", flat=True))

    @DRILL
    @given(segment=member_ids, suffix=st.sampled_from(PAGE_SUFFIXES), method=st.sampled_from(["get", "post"]))
    def drill(segment: str, suffix: str, method: str) -> None:
        path = f"{MEMBERS}{segment}/{suffix}"
        name = url_name(path)
        assume(name in (None, "users:profile", "users:edit", "users:delete"))
        assume(not (segment.isascii() and segment.isdigit() and int(segment) in existing))

        response = getattr(staff_client, method)(path)

        expected = 405 if (name, method) == ("users:profile", "post") else 404
        assert response.status_code == expected, (path, response.status_code)
        assert stored() == before

    drill()


def test_junk_password_reset_links_show_the_invalid_link_page(client, alice, stored):
    before = stored()

    @DRILL
    @given(uidb64=not_object_ids, token=not_object_ids, method=st.sampled_from(["get", "post"]))
    def drill(uidb64: str, token: str, method: str) -> None:
        path = f"{MEMBERS}password/reset/{uidb64}/{token}/"
        assume(url_name(path) == "users:password_reset_confirm")

        response = getattr(client, method)(path, {"new_password1": "x", "new_password2": "x"})

        assert response.status_code == 200, (path, response.status_code)
        assert response.context["validlink"] is False
        assert stored() == before

    drill()


@pytest.mark.parametrize("page", LIST_PAGES)
def test_list_pages_answer_junk_page_search_and_tag_with_200_404_or_the_last_page(
    alice_client, alice_note, stored, page
):
    before = stored()

    @DRILL
    @given(
        number=st.none() | page_numbers,
        search=st.none() | junk_text,
        tag=st.none() | junk_text,
    )
    @example(number="-1", search="\x00", tag="\x00")
    @example(number="9" * 5000, search="$where", tag="a.b")
    def drill(number: str | None, search: str | None, tag: str | None) -> None:
        query = {name: value for name, value in {"page": number, "q": search, "tag": tag}.items() if value is not None}
        response = alice_client.get(reverse(page), query)

        kept = urlencode({name: value for name, value in query.items() if name != "page"})
        if is_past_the_end(number) and len(reverse(page)) + 1 + len(kept) <= MAX_REDIRECT_LENGTH:
            assert response.status_code == 302, (query, response.status_code)
            assert "page=" not in response["Location"]
        else:
            assert response.status_code == (200 if is_page_one(number) else 404), (query, response.status_code)
        assert stored() == before

    drill()


def test_directory_search_for_a_nul_character_finds_nobody(alice_client, alice):
    response = alice_client.get(MEMBERS, {"q": "ali\x00ce"})

    assert response.status_code == 200
    assert list(response.context["members"]) == []


OTHER_METHODS = ["head", "options", "put", "patch", "delete", "trace"]


def test_other_http_methods_are_never_a_500():
    answers = {}
    for urlconf in URLCONFS:
        for name, _ in routes(urlconf):
            world = World.create()
            client = world.client("owner", raise_request_exception=False)
            for method in OTHER_METHODS:
                answers[f"{method.upper()} {name}"] = getattr(client, method)(world.url(name)).status_code

    assert {request: status for request, status in answers.items() if status >= 500} == {}


def test_an_http_delete_of_an_account_is_not_a_500(stored):
    world = World.create()
    owner = world.client("owner", raise_request_exception=False)
    before = stored()

    response = owner.delete(world.url("users:delete"))

    assert response.status_code < 500
    assert stored() == before
