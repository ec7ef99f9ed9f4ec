"""No open redirect through `next`: after logging in (or out) a member stays on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import logged_in
from tests.reliability.junk import DRILL, any_text
from tests.reliability.routes import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("users:login")
LOGOUT = reverse("users:logout")
OFF_SITE = [
    "//evil.example",
    "///evil.example",
    "////evil.example/",
    "https://evil.example",
    "http://evil.example/next",
    "https:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    " //evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "\x00//evil.example",
    "//evil.example@testserver",
    "//testserver@evil.example",
    "http://testserver@evil.example",
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://evil.example",
    "//evil%2Eexample",
    "/\t/\t/evil.example",
    "https://evil.example\\@testserver",
    "//ｅｖｉｌ.example",
    "http:/\\/\\evil.example",
]
C0_AND_SPACE = "".join(map(chr, range(0x21)))
nexts = st.one_of(
    st.sampled_from(OFF_SITE),
    st.tuples(st.sampled_from(OFF_SITE), any_text).map("".join),
    st.tuples(any_text, st.sampled_from(OFF_SITE)).map("".join),
    any_text,
)


def stays_on_site(location: str) -> bool:
    """Whether a browser that follows `location` from http://testserver/users/login/ stays on testserver.

    Browsers drop leading and trailing C0 controls and spaces, ignore tabs and newlines anywhere
    and read a backslash as a slash (WHATWG URL standard), so this reads `location` as they do.
    """
    url = location.strip(C0_AND_SPACE).replace("\\", "/")
    url = "".join(char for char in url if char not in "\t\n\r")
    parts = urlsplit(url)
    if parts.scheme:
        return parts.scheme in ("http", "https") and parts.netloc == "testserver"
    return not url.startswith("//")


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_login_with_an_off_site_next_stays_on_site(alice, next_url):
    response = Client().post(LOGIN, {"username": "alice", "password": PASSWORD, "next": next_url})

    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


def test_no_next_of_any_shape_leads_off_site(alice, bob):
    bob_client = logged_in(bob)

    @DRILL
    @given(next_url=nexts)
    def drill(next_url: str) -> None:
        after_login = Client().post(LOGIN, {"username": "alice", "password": PASSWORD, "next": next_url})
        already_in = bob_client.get(LOGIN, {"next": next_url})
        after_logout = logged_in(alice).post(LOGOUT, {"next": next_url})

        for response in (after_login, already_in, after_logout):
            assert response.status_code == 302
            assert stays_on_site(response["Location"]), response["Location"]

    drill()


def test_the_login_form_carries_next_escaped(client):
    response = client.get(LOGIN, {"next": '/notes/"><script>alert(1)</script>'})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_safe_next_is_followed(alice):
    response = Client().post(LOGIN, {"username": "alice", "password": PASSWORD, "next": "/users/?q=bob"})

    assert response["Location"] == "/users/?q=bob"


def test_a_member_sent_back_to_the_login_page_is_not_a_500(alice):
    response = logged_in(alice).get(LOGIN, {"next": LOGIN})

    assert response.status_code == 302
    assert stays_on_site(response["Location"])
