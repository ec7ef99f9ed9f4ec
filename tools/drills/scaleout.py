"""Drill 4: the load of drill 1 on real replicas: a Redis failover, a PostgreSQL replica down, read-your-writes, a web replica killed.

The site runs as two gunicorn instances sharing one loopback port (SO_REUSEPORT: the kernel
spreads connections between them, as a load balancer would), on a PostgreSQL primary with a
streaming replica (DATABASE_REPLICA_URLS) and Redis with a replica and three Sentinels
(REDIS_SENTINELS), all started by the stores library under var/drills/scaleout/. The notes stay
on the drills' document server. With the traffic of drill 1 running throughout:

1. the Redis master is SIGKILLed; the Sentinels promote the replica; the old master comes back as a replica;
2. the PostgreSQL replica is stopped for `outage` seconds and started again;
3. read-your-writes: members edit their profile and read it back, `pairs` times, while the replica's
   replay is paused (in rounds shorter than the site's lag bound, so that it keeps serving reads);
4. one of the two gunicorn instances (master and workers) is SIGKILLed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime

import psycopg
import redis

from tools.bench.server import Server, gunicorn
from tools.drills.client import Outcome, Visitor, page_form
from tools.drills.ledger import Ledger
from tools.drills.load import MEMBER_PAGES, ms, record_writes, verify_writes
from tools.drills.report import DrillResult, say, status_counts
from tools.drills.site import (
    DEMO_PASSWORD,
    STAFF,
    WORKERS,
    Site,
    collect_static,
    demo_usernames,
    prepare,
    site_environment,
)
from tools.drills.stores import VAR, DrillStores
from tools.drills.traffic import Member, Shared, Traffic
from tools.stores.processes import HOST, free_port
from tools.stores.replication import ReplicatedPostgres, SentinelRedis

DIRECTORY = VAR / "scaleout"
DATABASE = "drills_scaleout"
REDIS_DATABASE = 6
SITE_MAX_LAG = 10  # DATABASE_REPLICA_MAX_LAG of the drill's site
WARM_UP_SECONDS = 8.0
SETTLE_SECONDS = 6.0
WRITE_RESUME_LIMIT = 10.0  # TARGETS: writes to the cache and sessions resume within 10 s of the kill
SWITCH_LIMIT = 1.0  # TARGETS: reads move to the primary within 1 s of the replica stopping
RYW_WRITERS = 8
RYW_ROUND_SECONDS = 3.0  # replay paused this long per round: well under SITE_MAX_LAG, so the replica keeps serving
WEB_KILL_WATCH_SECONDS = 10.0
INSTANCE_WORKERS = max(2, WORKERS // 2 + 1)


@dataclass
class ScaleoutStores:
    postgres: ReplicatedPostgres
    redis: SentinelRedis

    @classmethod
    def start(cls) -> ScaleoutStores:
        stores = cls(
            ReplicatedPostgres.in_directory(DIRECTORY / "postgres"),
            SentinelRedis.in_directory(DIRECTORY / "redis"),
        )
        if DIRECTORY.exists():
            shutil.rmtree(DIRECTORY)
        try:
            say(f"scaleout: PostgreSQL primary + streaming replica up in {stores.postgres.start():.1f} s")
            say(f"scaleout: Redis master + replica + 3 Sentinels up in {stores.redis.start():.1f} s")
        except BaseException:
            stores.stop()
            raise
        return stores

    def stop(self) -> None:
        for group in (self.redis, self.postgres):
            try:
                group.stop()
            except Exception as error:  # noqa: BLE001 - stop the other anyway, and say so
                say(f"could not stop the drills' {group.__class__.__name__}: {error}")


def scaleout_site(stores: DrillStores, scale: ScaleoutStores) -> Site:
    """The drill's site: relational store on the replicated cluster, both cache aliases through the Sentinels."""
    base = site_environment(stores, "scaleout", redis_database=REDIS_DATABASE, postgres=False)
    env = base.env | {
        "DATABASE_URL": scale.postgres.primary.create_database(DATABASE),
        "DATABASE_REPLICA_URLS": scale.postgres.replica.url(DATABASE),
        "DATABASE_REPLICA_MAX_LAG": str(SITE_MAX_LAG),
        "REDIS_URL": f"redis://{scale.redis.master_name}/{REDIS_DATABASE}",
        "REDIS_SENTINELS": scale.redis.sentinel_hosts,
        "REDIS_SENTINEL_MASTER": scale.redis.master_name,
    }
    return Site(base.name, env, base.mongo_database, "postgresql")


@contextmanager
def two_instances(site: Site) -> Iterator[list[Server]]:
    """Two gunicorn instances on one loopback port (--reuse-port), each with gunicorn.conf.py."""
    port = free_port()
    with ExitStack() as stack:
        servers = [
            stack.enter_context(
                gunicorn(
                    site.env,
                    workers=INSTANCE_WORKERS,
                    log=VAR / f"scaleout-{name}-gunicorn.log",
                    extra_args=["--reuse-port"],
                    port=port,
                )
            )
            for name in ("a", "b")
        ]
        say(f"scaleout: two gunicorn instances ({INSTANCE_WORKERS} workers each) share http://{HOST}:{port}")
        yield servers


# ---------------------------------------------------------------------------------------- Redis failover
def set_calls(port: int) -> int | None:
    """SET commands the Redis server on the port has run since its stats were reset."""
    try:
        stats = redis.Redis(host=HOST, port=port, socket_timeout=0.5).info("commandstats")
    except redis.RedisError:
        return None
    return int(stats.get("cmdstat_set", {}).get("calls", 0))


def role(port: int) -> str:
    try:
        return str(redis.Redis(host=HOST, port=port, socket_timeout=0.5).info("replication")["role"])
    except redis.RedisError:
        return "down"


@dataclass
class Window:
    name: str
    started: float
    ended: float = 0.0

    def holds(self, outcome: Outcome) -> bool:
        return self.started <= outcome.ended < (self.ended or float("inf"))


def redis_failover(scale: ScaleoutStores, result: DrillResult) -> Window:
    old, new = scale.redis.master, scale.redis.replica
    say(f"scaleout: SIGKILL the Redis master (port {old.port}) under load")
    window = Window("Redis failover", time.monotonic())
    old.kill()
    promoted = resumed = None
    deadline = window.started + 30
    baseline = None
    while time.monotonic() < deadline and resumed is None:
        if promoted is None and role(new.port) == "master":
            promoted = time.monotonic()
            baseline = set_calls(new.port)  # from now on, every SET comes from the app
        elif promoted is not None and (calls := set_calls(new.port)) is not None and calls > baseline:
            resumed = time.monotonic()
        time.sleep(0.02)
    window.ended = resumed or time.monotonic()
    result.figures["Redis failover: replica promoted by the Sentinels after the kill"] = (
        f"{promoted - window.started:.2f} s" if promoted else "not within 30 s"
    )
    result.figures["Redis failover: the app's first write to the new master after the kill"] = (
        f"{resumed - window.started:.2f} s" if resumed else "not within 30 s"
    )
    result.check(
        f"Redis: writes to the cache and sessions resume within {WRITE_RESUME_LIMIT:.0f} s of the kill, no app restart",
        resumed is not None and resumed - window.started <= WRITE_RESUME_LIMIT,
        f"{resumed - window.started:.2f} s" if resumed else "never",
    )
    time.sleep(SETTLE_SECONDS)
    old.start()
    rejoined = time.monotonic()
    while role(old.port) != "slave" and time.monotonic() - rejoined < 30:
        time.sleep(0.1)
    result.figures["Redis failover: the old master, started again, is a replica of the new one after"] = (
        f"{time.monotonic() - rejoined:.1f} s ({role(old.port)})"
    )
    return window


def after_failover_checks(scale: ScaleoutStores, base_url: str, username: str, result: DrillResult) -> None:
    """Page versions and view counters work on the promoted master: the Redis-outage drill's guarantees."""
    checker = Member(
        "checker", base_url, [], username=username, password=DEMO_PASSWORD, ledger=Ledger(), shared=Shared(), seed=9
    )
    anonymous = Visitor("anonymous", base_url, [])
    if not checker.log_in():
        result.check("after the failover: a member logs in", False, "could not log in")
        return
    checker.learn_own_notes()
    profile = f"/users/{checker.member_id}/"
    fields = checker.note_fields("/notes/new/") or {}
    title = f"failover check {int(time.time())}"
    outcome, _ = checker.post("/notes/new/", fields | {"title": title, "body": "x", "visibility": "public"})
    note_path = outcome.location
    anonymous.get(profile)
    anonymous.get(profile)  # now kept by the page cache
    fields = checker.note_fields(f"{note_path}edit/") or {}
    checker.post(f"{note_path}edit/", fields | {"title": f"{title} edited"})
    _, page = anonymous.get(profile)
    result.check(
        "after the failover: an edit shows at once on an anonymous visitor's cached page (page versions)",
        f"{title} edited" in page,
        f"profile page shows {'the edit' if f'{title} edited' in page else 'the old title'}",
    )
    fields = checker.note_fields("/notes/new/") or {}
    outcome, _ = checker.post(
        "/notes/new/", fields | {"title": f"{title} counted", "body": "x", "visibility": "private"}
    )
    private = outcome.location  # only its owner reads it: the count is theirs alone
    master = redis.Redis(host=HOST, port=scale.redis.master_port(), db=REDIS_DATABASE, socket_timeout=1)
    key = f"notes:views:{private.strip('/').split('/')[-1]}"
    before = int(master.get(key) or 0)
    for _ in range(10):
        checker.get(private)
    after = int(master.get(key) or 0)
    result.check(
        "after the failover: 10 views of a note add 10 to its counter on the new master",
        after - before == 10,
        f"{before} -> {after}",
    )


# ---------------------------------------------------------------------------------------- PostgreSQL replica down
def replica_scans(scale: ScaleoutStores) -> int | None:
    """Scans of the members' table the replica has served (the health checks never touch it)."""
    try:
        with psycopg.connect(scale.postgres.replica.url(DATABASE), autocommit=True, connect_timeout=2) as connection:
            row = connection.execute(
                "SELECT seq_scan + COALESCE(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'users_user'"
            ).fetchone()
    except psycopg.Error:
        return None
    return int(row[0]) if row else 0


def log_times(servers: list[Server], since: float, until: float, *messages: str) -> list[float]:
    """Seconds from `since` (wall clock) to each of the app's log lines with one of `messages`, up to `until`."""
    delays = []
    for server in servers:
        for line in server.log.read_text(errors="replace").splitlines():
            if line.startswith("{") and any(message in line for message in messages):
                at = datetime.strptime(json.loads(line)["time"], "%Y-%m-%d %H:%M:%S,%f").timestamp()
                if since <= at < until:
                    delays.append(at - since)
    return sorted(delays)


def replica_outage(scale: ScaleoutStores, servers: list[Server], outage: float, result: DrillResult) -> Window:
    replica = scale.postgres.replica
    scans_before = replica_scans(scale)
    say(f"scaleout: stopping the PostgreSQL replica for {outage:.0f} s under load")
    window = Window("PostgreSQL replica stopped", time.monotonic())
    wall = time.time()
    replica.stop()
    time.sleep(outage)
    replica.start()
    back = time.monotonic()
    baseline = replica_scans(scale) or 0
    used_again = None
    while time.monotonic() - back < 30:
        if (replica_scans(scale) or 0) > baseline:
            used_again = time.monotonic()
            break
        time.sleep(0.05)
    time.sleep(SETTLE_SECONDS)
    window.ended = time.monotonic()
    # A read still routed to the stopped replica lands on the primary (a new connection) or is sent
    # again there (a broken one); both are logged. The last of them is when the router had moved.
    routed = log_times(servers, wall, wall + outage, "this connection went to the primary", "broke under a read")
    noticed = log_times(servers, wall, wall + outage, "does not answer; reads go to the primary")
    result.figures["PostgreSQL replica: reads it served before the stop (scans of users_user)"] = scans_before
    result.figures["PostgreSQL replica: reads still routed to it after the stop (served by the primary)"] = (
        f"{len(routed)}, the last {routed[-1]:.2f} s after the stop" if routed else "0"
    )
    result.figures["PostgreSQL replica: workers' checks that saw it down, after the stop"] = (
        ", ".join(f"{delay:.2f} s" for delay in noticed) or "none"
    )
    result.figures["PostgreSQL replica: reads back on it after it started again"] = (
        f"{used_again - back:.2f} s" if used_again else "not within 30 s"
    )
    result.check(
        f"PostgreSQL replica stopped: reads move to the primary within {SWITCH_LIMIT:.0f} s",
        bool(noticed) and (not routed or routed[-1] <= SWITCH_LIMIT),
        f"the last read routed to the replica {routed[-1]:.2f} s after the stop"
        if routed
        else "no read routed to it after the stop",
    )
    result.check(
        "PostgreSQL replica: it served reads before the stop and after its return",
        bool(scans_before) and used_again is not None,
    )
    return window


# ---------------------------------------------------------------------------------------- read-your-writes
@dataclass
class ReadYourWrites:
    pairs: int = 0
    stale: int = 0
    failed: int = 0
    behind_on_replica: int = 0  # writes the replica did not hold yet when checked: it really lagged
    max_lag: float = 0.0
    replica_reads: int = 0


def ryw_writer(member: Member, wanted: int, tally: ReadYourWrites, lock: threading.Lock, stop: threading.Event) -> None:
    edit, profile = f"/users/{member.member_id}/edit/", f"/users/{member.member_id}/"
    number = 0
    while not stop.is_set():
        with lock:
            if tally.pairs + tally.failed >= wanted:
                return
        outcome, body = member.get(edit)
        if outcome.status != 200:
            with lock:
                tally.failed += 1
            continue
        number += 1
        name = f"ryw {member.name} {number} {time.monotonic_ns()}"
        outcome, _ = member.post(edit, page_form(body) | {"display_name": name})
        if outcome.status != 302:
            with lock:
                tally.failed += 1
            continue
        outcome, body = member.get(profile)
        with lock:
            if outcome.status != 200:
                tally.failed += 1
            else:
                tally.pairs += 1
                tally.stale += name not in body


def read_your_writes(
    scale: ScaleoutStores, base_url: str, usernames: list[str], pairs: int, result: DrillResult
) -> Window:
    window = Window("read-your-writes", time.monotonic())
    members = [
        Member(f"w{n}", base_url, [], username=u, password=DEMO_PASSWORD, ledger=Ledger(), shared=Shared(), seed=n)
        for n, u in enumerate(usernames)
    ]
    for member in members:
        member.log_in()
        member.learn_own_notes()
    tally, lock = ReadYourWrites(), threading.Lock()
    replica = scale.postgres.replica
    say(f"scaleout: {pairs} write-then-read pairs by {len(members)} members while the replica's replay is paused")
    while tally.pairs + tally.failed < pairs:
        scans = replica_scans(scale) or 0
        replica.pause_replay()
        stop = threading.Event()
        threads = [threading.Thread(target=ryw_writer, args=(m, pairs, tally, lock, stop)) for m in members]
        for thread in threads:
            thread.start()
        time.sleep(RYW_ROUND_SECONDS)
        tally.max_lag = max(tally.max_lag, replica.lag_seconds())  # while the writers still write
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        tally.behind_on_replica += sum(on_replica_behind(scale, m.member_id) for m in members)
        tally.replica_reads += (replica_scans(scale) or 0) - scans
        replica.resume_replay()
        replica.wait_caught_up()
    window.ended = time.monotonic()
    result.figures["read-your-writes: pairs (profile edit, then the profile read back)"] = (
        f"{tally.pairs:,} ({tally.failed} not answered 2xx/3xx)"
    )
    result.figures["read-your-writes: the replica's lag at the end of a round's writes, at most"] = (
        f"{tally.max_lag:.1f} s"
    )
    result.figures["read-your-writes: members whose last edit the replica did not hold yet, summed over rounds"] = (
        tally.behind_on_replica
    )
    result.figures["read-your-writes: reads the replica served meanwhile (scans of users_user)"] = tally.replica_reads
    result.check(
        "read-your-writes: 0 stale reads while the replica lags",
        tally.stale == 0 and tally.pairs >= pairs * 0.99,
        f"{tally.stale} stale of {tally.pairs:,}",
    )
    result.check(
        "read-your-writes: the replica really lagged and served reads meanwhile",
        tally.behind_on_replica > 0 and tally.replica_reads > 0 and tally.max_lag < SITE_MAX_LAG,
        f"{tally.behind_on_replica} edits missing on the replica; {tally.replica_reads} reads served by it",
    )
    return window


def on_replica_behind(scale: ScaleoutStores, member_id: int | None) -> bool:
    """Whether the replica shows another display name than the primary for this member."""
    names = []
    for server in (scale.postgres.primary, scale.postgres.replica):
        with psycopg.connect(server.url(DATABASE), autocommit=True, connect_timeout=2) as connection:
            names.append(
                connection.execute("SELECT display_name FROM users_user WHERE id = %s", [member_id]).fetchone()
            )
    return names[0] != names[1]


# ---------------------------------------------------------------------------------------- a web replica killed
def kill_instance(server: Server) -> Window:
    say(f"scaleout: SIGKILL gunicorn instance {server.pid} and its workers under load")
    window = Window("one web replica killed", time.monotonic())
    for pid in [server.pid, *server.worker_pids()]:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    time.sleep(WEB_KILL_WATCH_SECONDS)
    window.ended = time.monotonic()
    return window


# ---------------------------------------------------------------------------------------- the drill
def run_scaleout(stores: DrillStores, *, clients: int, outage: float, pairs: int) -> DrillResult:
    result = DrillResult("scaleout")
    scale = ScaleoutStores.start()
    try:
        site = scaleout_site(stores, scale)
        collect_static(site)
        spare = demo_usernames(clients + RYW_WRITERS + 1)[clients:]
        prepare(site, members=clients + 16, notes_per_member=5)
        scale.postgres.replica.wait_caught_up()
        result.tried.append(
            f"the load of drill 1 ({clients} members) on two gunicorn instances sharing one loopback port; "
            f"PostgreSQL primary + streaming replica (DATABASE_REPLICA_MAX_LAG={SITE_MAX_LAG}), "
            "Redis master + replica + 3 Sentinels (REDIS_SENTINELS), notes on the drills' document server"
        )
        result.tried.append(
            f"after {WARM_UP_SECONDS:.0f} s: SIGKILL the Redis master; stop the PostgreSQL replica for {outage:.0f} s; "
            f"{pairs:,} profile edits read back while the replica's replay is paused; SIGKILL one gunicorn instance"
        )
        with two_instances(site) as servers:
            base_url = servers[0].base_url
            traffic = Traffic(
                base_url,
                usernames=demo_usernames(clients),
                password=DEMO_PASSWORD,
                staff=STAFF,
                member_pages=MEMBER_PAGES,
                seed=40,
            )
            traffic.log_everyone_in()
            started = traffic.start()
            time.sleep(WARM_UP_SECONDS)
            failover = redis_failover(scale, result)
            after_failover_checks(scale, base_url, spare[-1], result)
            replica_down = replica_outage(scale, servers, outage, result)
            ryw = read_your_writes(scale, base_url, spare[:RYW_WRITERS], pairs, result)
            web_kill = kill_instance(servers[1])
            ended = traffic.finish()
        judge(result, traffic, started, ended, [failover, replica_down, ryw, web_kill], stores, site)
    finally:
        scale.stop()
    return result


def judge(
    result: DrillResult,
    traffic: Traffic,
    started: float,
    ended: float,
    windows: list[Window],
    stores: DrillStores,
    site: Site,
) -> None:
    failover, replica_down, _ryw, web_kill = windows
    outcomes = traffic.record + [o for o in traffic.probes if o.kind != "health"]
    result.figures["requests"] = f"{len(traffic.record):,} in {ended - started:.0f} s"
    result.figures["answers by status, whole run"] = status_counts([o.label for o in traffic.record])
    for window in windows:
        inside = [o for o in outcomes if window.holds(o)]
        errors = [o for o in inside if o.server_error]
        result.figures[f"{window.name}: answers, 5xx or unanswered"] = (
            f"{len(inside):,}, {len(errors)} ({status_counts([o.label for o in errors])})"
        )
    readyz = [o for o in traffic.probes if o.kind == "health" and failover.holds(o) and o.status == 503]
    result.figures["Redis failover: /readyz answers 503 (Redis not answering), as it should"] = len(readyz)
    outside = [o for o in outcomes if o.server_error and not failover.holds(o) and not web_kill.holds(o)]
    result.check(
        "0 5xx outside the Redis failover window and the web replica's kill (the replica's stop and the lag included)",
        not outside,
        str(status_counts([f"{o.label} {o.method} {o.path}" for o in outside][:20])) if outside else "",
    )
    in_failover = [o for o in outcomes if o.server_error and failover.holds(o)]
    result.figures["Redis failover: 5xx within its window"] = len(in_failover)
    killed = [o for o in outcomes if o.server_error and web_kill.holds(o)]
    result.figures["one web replica killed: requests it dropped (no answer; a balancer would retry them)"] = len(killed)
    slow = max((o.seconds for o in outcomes if replica_down.holds(o) and o.status is not None), default=0.0)
    result.figures["PostgreSQL replica stopped: slowest answer in its window"] = ms(slow)
    verification = verify_writes(traffic, stores, site)
    record_writes(result, traffic, verification)
    result.check(
        "0 acknowledged writes lost over the whole run, the web replica's kill included (raw pymongo)",
        not verification.lost,
        f"{len(verification.lost)} lost of {sum(traffic.ledger.acknowledged.values())} acknowledged",
    )
    result.check(
        "0 members logged out over the whole run (Redis failover and web replica's kill included)",
        not traffic.shared.logouts,
        "; ".join(f"{x.client} at {x.path} ({during(x.at, windows)}): {x.evidence}" for x in traffic.shared.logouts[:5])
        or "0 involuntary logouts",
    )


def during(at: float, windows: list[Window]) -> str:
    """Name the window a moment falls in, or how far it is from the nearest one's start."""
    for window in windows:
        if window.started <= at < window.ended:
            return f"during {window.name}"
    nearest = min(windows, key=lambda window: abs(at - window.started))
    return f"{at - nearest.started:+.1f} s from the start of {nearest.name}"
