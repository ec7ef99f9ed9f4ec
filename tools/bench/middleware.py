"""The benchmark's profiling middleware: pyinstrument on the requests the benchmark marks, in the gunicorn worker.

Installed outermost by bench/settings.py, and only when BENCH_PROFILE_DIR is set; it then leaves
every request alone except one carrying `X-Bench-Profile: <scenario key>`, which the benchmark
sends after the timed wrk runs (wrk never does). Such a request runs under pyinstrument while the
round trips to each store are counted, and its samples are written to
BENCH_PROFILE_DIR/<scenario key>/<pid>-<n>.json for bench/profiles.py to summarise.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import redis.connection
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections
from django.http import HttpRequest, HttpResponse
from pyinstrument import Profiler
from pymongo.synchronous.pool import Connection as MongoConnection

PROFILE_HEADER = "X-Bench-Profile"
PROFILE_META_KEY = "HTTP_X_BENCH_PROFILE"  # one dict look-up per request: request.headers would copy all of META
PROFILE_DIRECTORY_VARIABLE = "BENCH_PROFILE_DIR"
SAMPLING_INTERVAL = 0.0005  # seconds between pyinstrument's samples
SCENARIO_KEY = re.compile(r"[a-z0-9-]{1,80}")
RELATIONAL, DOCUMENT, REDIS = "relational", "document", "Redis"


@contextmanager
def _counting_calls(owner: type, name: str, store: str, counts: Counter[str]) -> Iterator[None]:
    """Count the calls of `owner.name` made on this thread (not the driver's monitor threads) as round trips."""
    original = getattr(owner, name)
    thread = threading.get_ident()

    @functools.wraps(original)
    def counted(*args: Any, **kwargs: Any) -> Any:
        if threading.get_ident() == thread:
            counts[store] += 1
        return original(*args, **kwargs)

    setattr(owner, name, counted)
    try:
        yield
    finally:
        setattr(owner, name, original)


@contextmanager
def round_trips() -> Iterator[Counter[str]]:
    """Count the round trips to each store while the block runs.

    Relational: each statement executed (Django's execute_wrapper). Document store: each message
    pymongo sends (a command, a find, a getMore). Redis: each packed command redis-py sends (a
    pipeline is one).
    """
    counts: Counter[str] = Counter({RELATIONAL: 0, DOCUMENT: 0, REDIS: 0})

    def count_statement(execute: Callable[..., Any], *args: Any) -> Any:
        counts[RELATIONAL] += 1
        return execute(*args)

    with ExitStack() as stack:
        for connection in connections.all():
            if connection.vendor != "mongodb":
                stack.enter_context(connection.execute_wrapper(count_statement))
        stack.enter_context(_counting_calls(MongoConnection, "send_message", DOCUMENT, counts))
        stack.enter_context(_counting_calls(redis.connection.AbstractConnection, "send_packed_command", REDIS, counts))
        yield counts


class ProfileMiddleware:
    """Profile the requests the benchmark marks; pass every other request straight through."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        directory = os.environ.get(PROFILE_DIRECTORY_VARIABLE)
        if not directory:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.directory = Path(directory)
        self.numbers = itertools.count(1)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(PROFILE_META_KEY)
        if key is None or not SCENARIO_KEY.fullmatch(key):
            return self.get_response(request)
        profiler = Profiler(interval=SAMPLING_INTERVAL, async_mode="disabled")
        with round_trips() as counts:
            profiler.start()
            try:
                response = self.get_response(request)
            finally:
                session = profiler.stop()
        target = self.directory / key / f"{os.getpid()}-{next(self.numbers)}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(
                {
                    "status": response.status_code,
                    "seconds": session.duration,
                    "records": session.frame_records,
                    "round_trips": dict(counts),
                }
            )
        )
        return response
