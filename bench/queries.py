"""Queries each page sends to each store, counted in-process with Django's test client."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.scenarios import Scenario, Subjects
from users.models import User


@dataclass(frozen=True)
class PageQueries:
    relational: int
    document: int
    seconds: float  # one in-process request, for orientation; the load figures are wrk's
    status: int


def count_page_queries(scenarios: list[Scenario], subjects: Subjects) -> dict[str, PageQueries]:
    """Request each page once per login, as wrk does, and count the queries on each database alias."""
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
        with (
            CaptureQueriesContext(connections["default"]) as relational,
            CaptureQueriesContext(connections["mongodb"]) as document,
        ):
            started = time.perf_counter()
            if scenario.form is None:
                response = client.get(path)
            else:
                response = client.post(path, scenario.form())
            seconds = time.perf_counter() - started
        counts[scenario.key] = PageQueries(len(relational), len(document), seconds, response.status_code)
    return counts
