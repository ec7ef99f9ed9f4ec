"""Local runs read .env.local through manage.py; production never reads it and still refuses to start."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.production import ROOT


def run_manage_beside(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run a copy of manage.py that lives in `folder` (so it reads folder/.env.local), without DJANGO_DEBUG."""
    shutil.copy(ROOT / "manage.py", folder / "manage.py")
    environment = {name: value for name, value in os.environ.items() if name != "DJANGO_DEBUG"}
    environment.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        check=False,
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_fresh_checkout_with_the_local_env_file_runs_commands_without_exporting_anything(tmp_path):
    shutil.copy(ROOT / ".env.local.example", tmp_path / ".env.local")

    result = run_manage_beside(tmp_path, "check")

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_environment_wins_over_the_local_env_file(tmp_path):
    shutil.copy(ROOT / ".env.local.example", tmp_path / ".env.local")

    result = run_manage_beside(tmp_path, "check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="")

    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY: is not set" in result.stderr


def test_without_the_local_env_file_the_error_says_how_to_get_one(tmp_path):
    result = run_manage_beside(tmp_path, "check", DJANGO_SECRET_KEY="")

    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY: is not set" in result.stderr
    assert "make install" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_image_and_compose_never_read_the_local_env_file():
    ignored = (ROOT / ".dockerignore").read_text().split()
    compose = (ROOT / "docker-compose.yml").read_text()
    server_entry_points = [(ROOT / "config" / name).read_text() for name in ("wsgi.py", "asgi.py", "settings.py")]

    assert ".env.local" in ignored
    assert ".env.local" not in compose
    assert not any("dotenv" in source for source in server_entry_points)
