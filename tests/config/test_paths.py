"""Which view a path resolves to, remembered per process and shared by the middleware that ask (config/paths.py)."""

from __future__ import annotations

from config.paths import resolved


def test_a_path_is_resolved_once_and_a_junk_path_to_none():
    match = resolved("/users/")

    assert match is not None
    assert match.view_name == "users:directory"
    assert resolved("/users/") is match
    assert resolved("/no/such/page/") is None


def test_a_changed_urlconf_is_resolved_afresh(settings):
    assert resolved("/excluded/plain/") is None
    settings.ROOT_URLCONF = "tests.security_headers.urls"

    match = resolved("/excluded/plain/")
    assert match is not None
    assert match.func.__name__ == "plain"
