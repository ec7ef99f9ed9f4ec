"""System checks about members' accounts that `check --deploy` (and gunicorn at start) report."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

CONSOLE_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"


@register(Tags.security, deploy=True)
def password_reset_mail_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Warn when password-reset mail, links that set a member's password, would be written to the log."""
    if settings.DEBUG or settings.EMAIL_BACKEND != CONSOLE_EMAIL_BACKEND:
        return []
    return [
        Warning(
            "EMAIL_HOST is not set: password-reset mail, with links that set a member's password, "
            "is written to the log, and nobody receives it.",
            hint="Set EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to an SMTP server.",
            id="users.W001",
        )
    ]
