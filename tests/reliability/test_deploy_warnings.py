"""Production mistakes said aloud (issue #15, item 10): reset mail in the log, a shared gunicorn control socket."""

from __future__ import annotations

import runpy

from tests.production import ROOT, manage, production_env


def test_check_deploy_warns_when_reset_mail_would_go_to_the_log(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert "users.W001" in result.stderr + result.stdout
    assert "EMAIL_HOST is not set" in result.stderr + result.stdout


def test_check_deploy_is_quiet_once_an_smtp_server_is_set(tmp_path):
    result = manage(production_env(tmp_path, EMAIL_HOST="smtp.polystore.test"), "check", "--deploy")

    assert "users.W001" not in result.stderr + result.stdout


def test_gunicorn_shares_no_control_socket_with_other_instances():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert config["control_socket_disable"] is True
