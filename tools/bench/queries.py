"""Queries each page sends to each store, counted in-process with Django's test client."""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import connections
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tools.bench.scenarios import Scenario, Subjects
from users.models import User


@dataclass(frozen=True)
class PageQueries:
    relational: int
    document: int
    seconds: float  # one in-process request, for orientation; the load figures are wrk's
    status: int


def _request(client: Client, scenario: Scenario, path: str) -> HttpResponse:
    return client.get(path) if scenario.form is None else client.post(path, scenario.form())


def count_page_queries(scenarios: list[Scenario], subjects: Subjects) -> dict[str, PageQueries]:
    """Request each page once per login, as wrk does, and count the queries on each database alias.

    A cached variant is counted on its second request (a hit: the first may fill the cache); an
    uncached one with PAGE_CACHE_SECONDS=0, as its server runs.
    """
    clients: dict[str | None, Client] = {}
    counts = {}
    for scenario in scenarios:
        if scenario.missing(subjects):
            continue
        if scenario.login not in clients:
            client = Client(HTTP_HOST="127.0.0.1", headers={"X-Forwarded-Proto": "https"})
            if scenario.login is not None:
                client.force_login(User.objects.get(username=getattr(subjects, scenario.login)))
            clients[scenario.login] = client
        client = clients[scenario.login]
        path = scenario.path(subjects)
        page_cache = override_settings(PAGE_CACHE_SECONDS=0) if scenario.variant == "uncached" else nullcontext()
        with page_cache:
            if scenario.variant == "cached":
                _request(client, scenario, path)
            with (
                CaptureQueriesContext(connections["default"]) as relational,
                CaptureQueriesContext(connections["mongodb"]) as document,
            ):
                started = time.perf_counter()
                response = _request(client, scenario, path)
                seconds = time.perf_counter() - started
        counts[scenario.key] = PageQueries(len(relational), len(document), seconds, response.status_code)
    return counts
