"""Junk in every form: each drill spoils at least one field, so the form must say no and store nothing."""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from notes.models import MAX_ATTRIBUTE_NAME_LENGTH, MAX_ATTRIBUTE_VALUE_LENGTH, MAX_BODY_LENGTH
from tests.notes.posts import editor_form
from tests.reliability.junk import DRILL, NASTY, Repeated, any_text, junk_text, overlong
from tests.reliability.routes import NEW_PASSWORD, PASSWORD
from users.models import MAX_AGE

pytestmark = pytest.mark.django_db(databases=["default", "mongodb"])


def spoiled(fields: dict[str, st.SearchStrategy[Any]], spoils: dict[str, st.SearchStrategy[Any]]):
    """Draw every field from `fields`, then at least one of them from its `spoils` (values it must refuse)."""

    @st.composite
    def values(draw: Callable) -> dict[str, Any]:
        drawn = {name: draw(strategy) for name, strategy in fields.items()}
        for name in draw(st.lists(st.sampled_from(sorted(spoils)), min_size=1, unique=True)):
            drawn[name] = draw(spoils[name])
        return drawn

    return values()


def assert_refused(response, sent: dict[str, Any], stored_before, stored) -> None:
    """The form shows its errors, or a body over the upload limit is refused (413, or Django's 400); nothing changed.

    The size is counted as Django's MultiPartParser counts it: each field's name + 2, and its value.
    """
    if response.status_code == 413 or (
        sum(len(name) + 2 + len(str(value).encode()) for name, value in sent.items())
        > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    ):
        assert response.status_code in (400, 413), response.status_code
    else:
        assert response.status_code == 200, response.status_code
        assert response.context["form"].errors
    assert stored() == stored_before


# ----------------------------------------------------------------------------- the note editor

not_integers = st.text(alphabet=string.ascii_letters + "$.-", min_size=1, max_size=5)

note_fields = {
    "title": st.one_of(st.just("A note"), junk_text),
    "body": st.one_of(st.just(""), junk_text),
    "visibility": st.one_of(st.sampled_from(["private", "public"]), junk_text),
    "pinned": st.one_of(st.just(False), junk_text),
    "tags": st.one_of(st.just("home, work"), junk_text),
    "checklist": st.lists(st.fixed_dictionaries({"text": junk_text, "done": st.booleans()}), max_size=3),
    "attributes": st.lists(st.fixed_dictionaries({"name": junk_text, "value": junk_text}), max_size=3),
    # A huge row count makes Django build (and the page render) 1,100 blank rows: one explicit example.
    "checklist-TOTAL_FORMS": st.none() | st.sampled_from(["-1", "0", "7"]),
    "attributes-INITIAL_FORMS": st.none() | st.sampled_from(["-1", "5", "9" * 30]),
}
attribute_names_refused = st.one_of(
    junk_text.map(lambda name: "$" + name),
    st.tuples(any_text, any_text).map(".".join),
    overlong(MAX_ATTRIBUTE_NAME_LENGTH),
)
note_spoils = {
    "title": st.one_of(st.sampled_from(["", " ", "\x00"]), overlong(200)),
    "body": st.builds(Repeated, st.text(min_size=1, max_size=2), st.just(MAX_BODY_LENGTH + 1)),
    "visibility": junk_text.filter(lambda text: text not in ("private", "public")),
    "tags": junk_text.map(lambda text: f"{text} not!a-slug"),
    "attributes": st.one_of(
        st.lists(st.fixed_dictionaries({"name": attribute_names_refused, "value": junk_text}), min_size=1, max_size=3),
        st.fixed_dictionaries({"name": st.just("size"), "value": overlong(MAX_ATTRIBUTE_VALUE_LENGTH)}).map(
            lambda row: [row]
        ),
        junk_text.filter(str.strip).map(lambda value: [{"name": "", "value": value}]),
        st.just([{"name": "twice", "value": "1"}, {"name": "twice", "value": "2"}]),
    ),
    "checklist": st.one_of(
        st.just([{"text": Repeated("x", 501)}]),
        st.lists(st.fixed_dictionaries({"text": junk_text, "ORDER": not_integers}), min_size=1, max_size=2),
    ),
    "checklist-TOTAL_FORMS": st.one_of(not_integers, st.just("")),
}


def note_post(values: dict[str, Any]) -> dict[str, Any]:
    """The editor's POST data for drawn values; management-form junk overrides the row counts."""
    data = editor_form(**{name: value for name, value in values.items() if "-" not in name})
    data.update({name: value for name, value in values.items() if "-" in name and value is not None})
    return data


@pytest.mark.parametrize("page", ["notes:create", "notes:edit"])
def test_note_editor_refuses_junk_and_stores_nothing(alice_client, alice_note, stored, page):
    url = reverse(page, args=[alice_note.pk] if page == "notes:edit" else [])
    before = stored()

    @DRILL
    @given(values=spoiled(note_fields, note_spoils))
    @example(values={"title": "A note", "attributes": [{"name": "$where", "value": "1"}]})
    @example(values={"title": "A note", "attributes": [{"name": "a.b", "value": "1"}]})
    @example(values={"title": "A note", "attributes": [{"name": "$set", "value": "1"}, {"name": ".", "value": "2"}]})
    @example(values={"title": "\x00", "checklist-TOTAL_FORMS": "9" * 30, "attributes-TOTAL_FORMS": "9" * 30})
    def drill(values: dict[str, Any]) -> None:
        sent = note_post(values)
        response = alice_client.post(url, sent)

        assert_refused(response, sent, before, stored)

    drill()


# ----------------------------------------------------------------------------- members' forms

passwords = st.one_of(st.sampled_from([PASSWORD, NEW_PASSWORD]), junk_text)
emails = st.one_of(st.just("newcomer@example.com"), junk_text)
ages = st.one_of(st.sampled_from(["", "30"]), junk_text)
not_ages = st.one_of(
    st.integers(max_value=-1).map(str),
    st.integers(min_value=MAX_AGE + 1).map(str),
    st.text(alphabet=string.ascii_letters + "$.,-", min_size=1).filter(lambda text: text != "."),
)
not_emails = junk_text.filter(lambda text: "@" not in text)


@st.composite
def mismatched_passwords(draw: Callable) -> tuple[str, str]:
    first = draw(passwords)
    return first, first + draw(st.text(min_size=1, max_size=3).filter(str.strip))


signup_fields = {
    "username": st.one_of(st.just("newcomer"), junk_text),
    "email": emails,
    "display_name": junk_text,
    "age": ages,
    "passwords": st.tuples(passwords, passwords),
}
signup_spoils = {
    "username": st.one_of(
        st.sampled_from(["", "alice", "new comer", "new@comer", "$where", "a/b"]),
        junk_text.map(lambda text: text + "@"),
        overlong(150),
    ),
    "email": st.one_of(not_emails, st.just("ALICE@example.com")),
    "display_name": overlong(100),
    "age": not_ages,
    "passwords": st.one_of(
        mismatched_passwords(), st.sampled_from([("", ""), ("1234", "1234"), ("password", "password")])
    ),
}


def test_signup_refuses_junk_and_creates_nobody(client, alice, stored):
    before = stored()

    @DRILL
    @given(values=spoiled(signup_fields, signup_spoils))
    @example(values={"username": "x\x00y", "email": "x@example.com", "passwords": (PASSWORD, PASSWORD)})
    def drill(values: dict[str, Any]) -> None:
        first, second = values["passwords"]
        sent = {
            **{name: value for name, value in values.items() if name != "passwords"},
            "password1": first,
            "password2": second,
        }
        response = Client().post(reverse("users:signup"), sent)

        assert_refused(response, sent, before, stored)

    drill()


profile_fields = {"display_name": junk_text, "email": emails, "age": ages, "bio": junk_text}
profile_spoils = {"display_name": overlong(100), "email": not_emails, "age": not_ages, "bio": overlong(2000)}


def test_profile_form_refuses_junk_and_changes_nothing(alice_client, alice, bob, stored):
    url = reverse("users:edit", args=[alice.pk])
    before = stored()

    @DRILL
    @given(
        values=spoiled(profile_fields, {**profile_spoils, "email": st.one_of(not_emails, st.just(bob.email.upper()))})
    )
    def drill(values: dict[str, Any]) -> None:
        response = alice_client.post(url, values)

        assert_refused(response, values, before, stored)

    drill()


login_names = st.one_of(
    st.sampled_from(["alice", "ALICE@example.com", *NASTY]), any_text, overlong(254), overlong(5_000), overlong(60_000)
)


def test_login_refuses_junk_and_changes_nothing(alice, stored):
    before = stored()

    @DRILL
    @given(username=login_names, password=passwords.filter(lambda password: password != PASSWORD))
    @example(username="alice\x00", password="x")
    @example(username="alice", password=Repeated("x", 100_001))
    def drill(username: str, password: str) -> None:
        cache.clear()  # failed logins count towards a lockout (429) that would hide the form
        sent = {"username": username, "password": password}
        response = Client().post(reverse("users:login"), sent)

        assert_refused(response, sent, before, stored)

    drill()


def test_a_login_name_over_50_kb_is_not_a_503(alice, stored):
    before = stored()

    sent = {"username": Repeated("x", 50_001), "password": "x"}
    response = Client().post(reverse("users:login"), sent)

    assert_refused(response, sent, before, stored)


def test_password_change_refuses_junk_and_changes_nothing(alice_client, stored):
    before = stored()

    @DRILL
    @given(old=passwords.filter(lambda password: password != PASSWORD), new=st.tuples(passwords, passwords))
    def drill(old: str, new: tuple[str, str]) -> None:
        cache.clear()  # wrong current passwords count towards a lockout (429), as failed logins do
        sent = {"old_password": old, "new_password1": new[0], "new_password2": new[1]}
        response = alice_client.post(reverse("users:password_change"), sent)

        assert_refused(response, sent, before, stored)

    drill()


def test_password_reset_answers_junk_without_mail_or_changes(client, alice, stored):
    before = stored()

    @DRILL
    @given(email=st.one_of(not_emails, junk_text.map(lambda text: f"{text}@junk.example")))
    @example(email="\x00@example.com")
    def drill(email: str) -> None:
        mail.outbox.clear()
        response = client.post(reverse("users:password_reset"), {"email": email})

        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert response.context["form"].errors
        else:
            assert response["Location"] == reverse("users:password_reset_done")
        assert mail.outbox == []
        assert stored() == before

    drill()


def test_a_body_over_the_upload_limit_is_a_413_and_stores_nothing(alice_client, alice_note, stored, settings):
    before = stored()

    response = alice_client.post(
        reverse("notes:edit", args=[alice_note.pk]), editor_form(body="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    )

    assert response.status_code == 413
    assert stored() == before
