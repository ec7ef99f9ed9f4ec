"""Drill 1: a minute of mixed traffic from 32 members against gunicorn; no 5xx, no lost write, nobody logged out."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import requests

from tools.drills.client import LOGIN_PATH, Outcome
from tools.drills.ledger import Verification
from tools.drills.report import DrillResult, say, status_counts
from tools.drills.site import DEMO_PASSWORD, STAFF, Site, booted_workers, demo_usernames, prepare, serve
from tools.drills.stores import DrillStores
from tools.drills.traffic import Traffic

MEMBER_PAGES = ["/admin/users/user/", "/users/", "/users/?q=demo"]


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value at or above `share` of the values."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def latency_figures(outcomes: list[Outcome]) -> dict[str, str]:
    """p50/p99 of every answered request, and of reads, form posts and logins apart."""
    groups = {
        "all requests": [o for o in outcomes if o.status is not None],
        "page reads (GET)": [o for o in outcomes if o.status is not None and o.method == "GET"],
        "note writes (POST)": [
            o for o in outcomes if o.status is not None and o.method == "POST" and o.kind == "notes"
        ],
        "logins (POST)": [o for o in outcomes if o.status is not None and o.method == "POST" and o.path == LOGIN_PATH],
    }
    return {
        f"latency, {name}": f"p50 {ms(percentile([o.seconds for o in group], 0.5))}, "
        f"p99 {ms(percentile([o.seconds for o in group], 0.99))} ({len(group):,} requests)"
        for name, group in groups.items()
        if group
    }


def session_still_valid(base_url: str, session_key: str) -> bool:
    """Whether an ended session's cookie still opens a member's page (a logout that did not hold)."""
    response = requests.get(
        f"{base_url}/notes/",
        headers={"X-Forwarded-Proto": "https", "Cookie": f"sessionid={session_key}"},
        allow_redirects=False,
        timeout=30,
    )
    return not (response.status_code == 302 and response.headers.get("Location", "").startswith(LOGIN_PATH))


def verify_writes(traffic: Traffic, stores: DrillStores, site: Site) -> Verification:
    client = stores.mongo.client()
    try:
        return traffic.ledger.verify(client[site.mongo_database]["notes_note"])
    finally:
        client.close()


def record_writes(result: DrillResult, traffic: Traffic, verification: Verification) -> None:
    ledger = traffic.ledger
    result.figures["writes acknowledged"] = dict(ledger.acknowledged)
    result.figures["writes not acknowledged (may or may not have landed)"] = dict(ledger.unacknowledged)
    result.figures["notes checked with raw pymongo"] = verification.checked
    for lost in verification.lost[:10]:
        result.findings.append(f"lost {lost.what} of note {lost.note_id}: {lost.detail}")


def run_load(stores: DrillStores, site: Site, *, clients: int, seconds: float) -> DrillResult:
    result = DrillResult("load")
    prepare(site, members=clients + 16, notes_per_member=5)
    result.tried.append(
        f"{seconds:.0f} s of mixed traffic from {clients} concurrent members (threads, requests.Session each) "
        f"against gunicorn.conf.py with DJANGO_DEBUG=false on 127.0.0.1, relational store on {site.relational}"
    )
    result.tried.append(
        "browse public notes and the directory, search, read notes and profiles, create/edit/delete notes "
        "through the real forms with CSRF, log out and back in; a staff member reads the users admin"
    )
    with serve(site) as server:
        traffic = Traffic(
            server.base_url,
            usernames=demo_usernames(clients),
            password=DEMO_PASSWORD,
            staff=STAFF,
            member_pages=MEMBER_PAGES,
        )
        traffic.log_everyone_in()
        workers_before = booted_workers(server)
        say(f"load: {clients} members logged in; {seconds:.0f} s of traffic")
        started = traffic.start()
        time.sleep(seconds)
        ended = traffic.finish()
        ended_sessions = list(traffic.shared.ended_sessions)
        revived = [key for _, key in ended_sessions if session_still_valid(server.base_url, key)]
        workers_replaced = booted_workers(server) - workers_before
    outcomes = traffic.record
    answered = [o for o in outcomes if o.status is not None]
    result.figures["requests"] = (
        f"{len(outcomes):,} in {ended - started:.0f} s ({len(outcomes) / (ended - started):,.1f}/s)"
    )
    result.figures["answers by status"] = status_counts([o.label for o in outcomes])
    result.figures.update(latency_figures(answered))
    verification = verify_writes(traffic, stores, site)
    record_writes(result, traffic, verification)
    server_errors = [o for o in outcomes + traffic.probes if o.server_error]
    result.check(
        "no 5xx and no request left unanswered",
        not server_errors,
        f"{len(server_errors)}: {status_counts([f'{o.label} {o.method} {o.path}' for o in server_errors][:20])}"
        if server_errors
        else f"{len(outcomes) + len(traffic.probes):,} answers",
    )
    result.check(
        "no acknowledged write lost (checked with raw pymongo)",
        not verification.lost,
        f"{len(verification.lost)} lost of {sum(traffic.ledger.acknowledged.values())} acknowledged",
    )
    logouts = traffic.shared.logouts
    result.check(
        "nobody logged out without asking",
        not logouts,
        "; ".join(f"{x.client} at {x.path}: {x.evidence}" for x in logouts[:5]) or "0 involuntary logouts",
    )
    result.check(
        "a logout stays a logout (the ended session cookie no longer works)",
        not revived,
        f"{len(revived)} of {len(ended_sessions)} ended sessions still open a member's page",
    )
    result.check("no gunicorn worker had to be replaced", workers_replaced == 0, f"{workers_replaced} replaced")
    return result
