"""The session and CSRF cookies: HttpOnly and SameSite as settings say, Secure with production settings."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.production import manage, production_env

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production_static")]

COOKIE_SETTINGS = [
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
]


def test_session_cookie_set_at_login_is_httponly_and_samesite_lax(alice):
    response = Client().post(reverse("users:login"), {"username": "alice", "password": PASSWORD})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert response.status_code == 302
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")


def test_csrf_cookie_is_httponly_and_samesite_lax():
    response = Client().get(reverse("users:login"))

    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")


def test_production_settings_make_both_cookies_secure_httponly_and_lax(tmp_path):
    probe = f"from django.conf import settings; import json; print(json.dumps({{n: getattr(settings, n) for n in {COOKIE_SETTINGS}}}))"

    result = manage(production_env(tmp_path), "shell", "-c", probe)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
    }
