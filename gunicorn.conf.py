"""gunicorn settings for Polystore: the Dockerfile's server, and the one `make test` checks."""

from __future__ import annotations

import multiprocessing
import os
import sys

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so that no slow leak grows without bound, but rarely: a fresh
# worker's first note page takes ~0.9 s (its first MongoDB query alone ~0.65 s), and recycling
# every 5,000 requests put that second into p99 under load (docs/benchmarks.md).
max_requests = 100_000
max_requests_jitter = 10_000
# gunicorn's control socket defaults to one path per user ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl),
# so every gunicorn of a user on the host shares it and one instance removed another's; nothing here uses it.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def on_starting(server) -> None:
    """Refuse to start, with one line naming the variable, when the environment is incomplete; log deploy warnings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.environment import ConfigurationError

    try:
        import django

        django.setup()
    except ConfigurationError as error:
        sys.exit(f"Configuration error: {error}")
    from django.core import checks

    for message in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security]):
        server.log.warning("%s", message)
