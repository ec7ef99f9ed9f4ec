"""The Content-Security-Policy header: the configured policy, built once, byte for byte what django-csp builds."""

from __future__ import annotations

import pytest
from csp.constants import NONCE
from csp.exceptions import CSPNonceError
from csp.utils import build_policy

from security_headers.middleware import configured_policies

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"


def directives(header: str) -> dict[str, list[str]]:
    """A policy header as {directive: its sources}."""
    return {name: sources for name, *sources in (part.split() for part in header.split("; "))}


@pytest.fixture
def csp_views(settings):
    settings.ROOT_URLCONF = "tests.security_headers.urls"


def test_every_page_gets_django_csps_header_for_the_configured_policy(client, alice_client, settings):
    configured = {name: list(sources) for name, sources in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()}

    pages = (client.get("/users/"), client.get("/users/"), alice_client.get("/users/"), client.get("/no/such/page/"))
    for response in pages:
        assert response[HEADER] == build_policy()
        assert directives(response[HEADER]) == configured
        assert REPORT_ONLY not in response


def test_the_header_follows_a_changed_policy(client, settings):
    client.get("/no/such/page/")
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}

    assert client.get("/no/such/page/")[HEADER] == "default-src 'none'"


def test_a_report_only_policy_and_excluded_paths_are_kept_as_django_csp_keeps_them(client, settings, csp_views):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-reports/"},
        "EXCLUDE_URL_PREFIXES": ["/excluded/"],
    }

    assert client.get("/plain/")[REPORT_ONLY] == "default-src 'self'; report-uri /csp-reports/"
    excluded = client.get("/excluded/plain/")
    assert REPORT_ONLY not in excluded
    assert excluded[HEADER] == build_policy()


def test_no_policy_configured_sends_no_header(client, settings, csp_views):
    settings.CONTENT_SECURITY_POLICY = None

    assert HEADER not in client.get("/plain/")
    assert configured_policies()[0].value == ""


def test_a_view_that_changes_the_policy_gets_it_built_by_django_csp(client, csp_views):
    updated = directives(client.get("/update/")[HEADER])

    assert updated["img-src"] == ["'self'", "data:", "https://images.example"]
    assert HEADER not in client.get("/exempt/")


def test_a_nonce_used_by_the_page_is_in_its_header_and_not_in_the_next(client, settings, csp_views):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    response = client.get("/nonce/")
    nonce = response.wsgi_request.csp_nonce

    assert f"'nonce-{nonce}'" in response[HEADER]
    assert response.content.decode() == f"<script nonce='{nonce}'></script>"
    following = client.get("/plain/")[HEADER]
    assert following == build_policy()
    assert "nonce" not in following


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error(client, csp_views):
    request = client.get("/plain/").wsgi_request

    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
