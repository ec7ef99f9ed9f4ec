"""Outgoing mail: SMTP configured from the environment, the console otherwise."""

from __future__ import annotations

import json

PRINT_EMAIL_SETTINGS = """
import json
from django.conf import settings
names = ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
         "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""
# Blank is "unset" for these; EMAIL_PORT and EMAIL_USE_TLS stay out of the tests' own environment.
TEXT_VARIABLES = ["EMAIL_HOST", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "DEFAULT_FROM_EMAIL"]


def email_settings(manage, **env: str) -> dict[str, object]:
    result = manage("shell", "-c", PRINT_EMAIL_SETTINGS, env={**dict.fromkeys(TEXT_VARIABLES, ""), **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_mail_is_printed_to_the_console_without_an_email_host(manage):
    configured = email_settings(manage)

    assert configured["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert configured["DEFAULT_FROM_EMAIL"] == "Polystore <polystore@localhost>"


def test_mail_goes_through_smtp_when_an_email_host_is_set(manage):
    configured = email_settings(
        manage,
        EMAIL_HOST="smtp.example.com",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="mailer",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_USE_TLS="false",
        DEFAULT_FROM_EMAIL="Polystore <noreply@example.com>",
    )

    assert configured == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": False,
        "DEFAULT_FROM_EMAIL": "Polystore <noreply@example.com>",
    }


def test_smtp_defaults_to_port_587_with_tls(manage):
    configured = email_settings(manage, EMAIL_HOST="smtp.example.com")

    assert (configured["EMAIL_PORT"], configured["EMAIL_USE_TLS"]) == (587, True)


def test_a_malformed_email_port_stops_startup_naming_the_variable(manage):
    result = manage("shell", "-c", PRINT_EMAIL_SETTINGS, env={"EMAIL_HOST": "smtp.example.com", "EMAIL_PORT": "smtp"})

    assert result.returncode != 0
    assert "EMAIL_PORT: expected a whole number, got 'smtp'" in result.stderr
