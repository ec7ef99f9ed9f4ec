"""Drill 2: stop each store for 10 s while the load runs; 503s where the store is needed, never a 500.

Redis, then the MongoDB-wire server, then PostgreSQL (the relational store of this drill's site)
are stopped one after the other, each for `outage` seconds, with the traffic of drill 1 running
throughout. For each fault: the answers seen by status from the stop until things settle, the time
from the store answering again to the first request that succeeded with it, and the acknowledged
writes lost. gunicorn is never restarted; the drill checks that it did not have to be.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from tools.drills.client import Outcome
from tools.drills.load import MEMBER_PAGES, ms, percentile, record_writes, session_still_valid, verify_writes
from tools.drills.report import DrillResult, say, status_counts
from tools.drills.site import DEMO_PASSWORD, STAFF, Site, booted_workers, demo_usernames, prepare, serve
from tools.drills.stores import DrillStores
from tools.drills.traffic import Traffic
from tools.stores.document import DocumentServer
from tools.stores.postgres import PostgresCluster
from tools.stores.redis import RedisServer

WARM_UP_SECONDS = 8.0
SETTLE_SECONDS = 8.0  # watched after recovery, for errors that come late
RECOVERY_LIMIT_SECONDS = 30.0


@dataclass
class Fault:
    store: RedisServer | DocumentServer | PostgresCluster
    # Which answers must keep succeeding during the fault, and which prove recovery afterwards.
    must_work: tuple[str, ...]  # page kinds (client.page_kind) that must not fail at all
    proves_recovery: tuple[str, ...]  # page kinds whose success after the restart proves recovery
    logouts: int = 0  # members asked to log out (and back in) while the store is down
    stopped_at: float = 0.0
    down_at: float = 0.0
    back_at: float = 0.0
    recovered_at: float | None = None
    ends_at: float = 0.0

    @property
    def name(self) -> str:
        return self.store.name

    def within(self, outcome: Outcome) -> bool:
        return self.stopped_at <= outcome.ended < self.ends_at


def faults_for(stores: DrillStores) -> list[Fault]:
    faults = [
        # Redis is a cache and the sessions' fast copy: nothing may fail; /readyz sees it back.
        # Some members log out meanwhile: their logout must hold once Redis is back.
        Fault(
            stores.redis,
            must_work=("notes", "members", "admin", "login", "home"),
            proves_recovery=("health",),
            logouts=6,
        ),
        # Notes pages answer 503; the directory, logins and the users admin keep working.
        Fault(stores.mongo, must_work=("members", "admin", "login"), proves_recovery=("notes",)),
    ]
    if stores.postgres is not None:
        # Every page that reads a member answers 503 (anonymous cached pages may still be served).
        faults.append(Fault(stores.postgres, must_work=(), proves_recovery=("members", "notes", "admin")))
    return faults


def first_success(outcomes: list[Outcome], kinds: tuple[str, ...], after: float) -> float | None:
    ends = [
        o.ended for o in outcomes if o.kind in kinds and o.started >= after and o.status is not None and o.status < 400
    ]
    return min(ends) if ends else None


def inject(fault: Fault, traffic: Traffic, *, outage: float) -> None:
    say(f"faults: stopping {fault.name}")
    fault.stopped_at = time.monotonic()
    fault.store.stop()
    fault.down_at = time.monotonic()
    for member in traffic.members[: fault.logouts]:
        member.log_out_soon.set()
    time.sleep(max(0.0, outage - (fault.down_at - fault.stopped_at)))
    fault.store.start()
    fault.back_at = time.monotonic()
    say(f"faults: {fault.name} answers again after {fault.back_at - fault.stopped_at:.1f} s")
    deadline = fault.back_at + RECOVERY_LIMIT_SECONDS
    while time.monotonic() < deadline:
        fault.recovered_at = first_success(traffic.record + traffic.probes, fault.proves_recovery, fault.back_at)
        if fault.recovered_at is not None:
            break
        time.sleep(0.1)
    time.sleep(SETTLE_SECONDS)
    fault.ends_at = time.monotonic()


def judge(result: DrillResult, fault: Fault, traffic: Traffic, lost_at: list[float]) -> None:
    window = [o for o in traffic.record + traffic.probes if fault.within(o) and o.kind != "health"]
    failed = [o for o in window if not o.ok and o.status != 404]
    readyz = [o for o in traffic.probes if fault.within(o) and o.kind == "health"]
    label = f"{fault.name} stopped {fault.back_at - fault.stopped_at:.1f} s"
    recovery = (
        f"{fault.recovered_at - fault.back_at:.2f} s"
        if fault.recovered_at is not None
        else f"none within {RECOVERY_LIMIT_SECONDS:.0f} s"
    )
    result.figures[f"{label}: answers"] = f"{len(window):,} (until {SETTLE_SECONDS:.0f} s after recovery)"
    result.figures[f"{label}: errors by status"] = status_counts([f"{o.label} {o.kind}" for o in failed])
    result.figures[f"{label}: /readyz"] = status_counts([o.label for o in readyz])
    result.figures[f"{label}: recovery (store back → first success)"] = recovery
    outage = [o for o in window if o.status is not None and o.ended < fault.back_at and o.kind in fault.must_work]
    if outage:
        seconds = [o.seconds for o in outage]
        result.figures[f"{label}: latency of the pages that must keep working, while down"] = (
            f"p50 {ms(percentile(seconds, 0.5))}, p99 {ms(percentile(seconds, 0.99))} ({len(outage)} answers)"
        )
    lost = [at for at in lost_at if fault.stopped_at <= at < fault.ends_at]
    result.figures[f"{label}: acknowledged writes lost"] = len(lost)
    hard = [o for o in window if o.server_error and o.status != 503]
    result.check(
        f"{fault.name}: no 500 (nor a request left unanswered)",
        not hard,
        str(status_counts([f"{o.label} {o.method} {o.path}" for o in hard][:20])) if hard else "",
    )
    unfriendly = [o for o in window if o.status == 503 and not o.friendly]
    result.check(
        f"{fault.name}: every 503 is the styled page with Retry-After",
        not unfriendly,
        f"{len(unfriendly)} plain 503s" if unfriendly else f"{sum(o.status == 503 for o in window)} 503s",
    )
    broken = [o for o in failed if o.kind in fault.must_work]
    if fault.must_work:
        result.check(
            f"{fault.name}: {', '.join(fault.must_work)} pages keep working",
            not broken,
            str(status_counts([f"{o.label} {o.method} {o.path}" for o in broken][:20])) if broken else "",
        )
    result.check(
        f"{fault.name}: recovers without restarting gunicorn, within {RECOVERY_LIMIT_SECONDS:.0f} s",
        fault.recovered_at is not None,
        recovery,
    )
    logouts = [x for x in traffic.shared.logouts if fault.stopped_at <= x.at < fault.ends_at]
    result.check(
        f"{fault.name}: nobody logged out",
        not logouts,
        "; ".join(f"{x.client} at {x.path}: {x.evidence}" for x in logouts[:5]),
    )


def run_faults(stores: DrillStores, site: Site, *, clients: int, outage: float) -> DrillResult:
    result = DrillResult("faults")
    faults = faults_for(stores)
    prepare(site, members=clients + 16, notes_per_member=5)
    result.tried.append(
        f"the load of drill 1 ({clients} members, relational store on {site.relational}); after {WARM_UP_SECONDS:.0f} s, "
        f"stop {', then '.join(f.name for f in faults)} for {outage:.0f} s each (SIGTERM / pg_ctl stop -m fast), "
        f"start it again on the same port and data, and watch until {SETTLE_SECONDS:.0f} s after recovery"
    )
    with serve(site) as server:
        traffic = Traffic(
            server.base_url,
            usernames=demo_usernames(clients),
            password=DEMO_PASSWORD,
            staff=STAFF,
            member_pages=MEMBER_PAGES,
            seed=20,
        )
        traffic.log_everyone_in()
        workers_before = booted_workers(server)
        started = traffic.start()
        time.sleep(WARM_UP_SECONDS)
        for fault in faults:
            inject(fault, traffic, outage=outage)
        ended = traffic.finish()
        redis_fault = faults[0]
        ended_in_outage = [
            key for at, key in traffic.shared.ended_sessions if redis_fault.stopped_at <= at < redis_fault.back_at
        ]
        revived = [key for key in ended_in_outage if session_still_valid(server.base_url, key)]
        workers_replaced = booted_workers(server) - workers_before
        master_alive = server.pid and _alive(server.pid)
    outcomes = traffic.record
    result.figures["requests"] = f"{len(outcomes):,} in {ended - started:.0f} s"
    result.figures["answers by status, whole run"] = status_counts([o.label for o in outcomes])
    verification = verify_writes(traffic, stores, site)
    record_writes(result, traffic, verification)
    for fault in faults:
        judge(result, fault, traffic, [lost.acknowledged_at for lost in verification.lost])
    result.check(
        "no acknowledged write lost over the whole run (raw pymongo)",
        not verification.lost,
        f"{len(verification.lost)} lost of {sum(traffic.ledger.acknowledged.values())} acknowledged",
    )
    result.check(
        "nobody logged out over the whole run",
        not traffic.shared.logouts,
        f"{len(traffic.shared.logouts)} involuntary logouts",
    )
    result.check(
        "a logout made while Redis was down stays a logout after Redis is back",
        not revived,
        f"{len(revived)} of {len(ended_in_outage)} sessions ended during the outage open a member's page again",
    )
    result.check(
        "gunicorn kept running: same master, no worker replaced",
        master_alive and workers_replaced == 0,
        f"master alive: {bool(master_alive)}, workers replaced: {workers_replaced}",
    )
    return result


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
