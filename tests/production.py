"""Production settings on throwaway stores, for the tests that run manage.py or gunicorn as production does."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


# Beside the test run's own databases, so that two test runs on one machine never share them.
MONGODB_DATABASE = f"{settings.DATABASES['mongodb']['NAME']}_production"


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """Production settings on throwaway stores: a migrated SQLite file, its own MongoDB database."""
    mongodb = urlsplit(settings.DATABASES["mongodb"]["HOST"])
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "polystore.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "MONGODB_URI": urlunsplit(mongodb._replace(path=f"/{MONGODB_DATABASE}")),
        # The test run's own cache database (make test: 14), which every test starts by emptying.
        "REDIS_URL": settings.CACHE_URL,
        **overrides,
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(port: int, path: str, *, https: bool = True, host: str = "polystore.test") -> Answer:
    """GET a path as a TLS-terminating proxy would forward it (X-Forwarded-Proto)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    if https:
        request.add_header("X-Forwarded-Proto", "https")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return Answer(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read().decode())
