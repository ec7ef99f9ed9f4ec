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
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def on_starting(server) -> None:
    """Refuse to start, with one line naming the variable, when the environment is incomplete."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.environment import ConfigurationError

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - reading a setting loads them all
    except ConfigurationError as error:
        sys.exit(f"Configuration error: {error}")
