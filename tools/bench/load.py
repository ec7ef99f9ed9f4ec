"""Drive each scenario with wrk against gunicorn, in interleaved rounds, after checking it answers."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from tools.bench.browser import Browser, csrf_form_token
from tools.bench.environment import say
from tools.bench.figures import median, median_ratio
from tools.bench.middleware import PROFILE_HEADER
from tools.bench.profiles import ProfileSummary, summarise_directory
from tools.bench.scenarios import FLOOR, MAIN_SERVER, Scenario, Subjects
from tools.bench.server import Server, wait_until_idle
from tools.bench.wrk import WrkResult, post_script, run_wrk

# A page slower than this alone is loaded with one connection per worker: sixteen queued requests
# of several seconds each would outlast the run and spill into the next measurement.
SLOW_PAGE_SECONDS = 1.0
# A page slower than this alone cannot be load-tested in a run of seconds (no request would finish):
# it is timed with one request per round instead, and its req/s estimated as workers / latency.
UNLOADABLE_PAGE_SECONDS = 3.0
# The profiling pass after the timed rounds: up to this many requests per scenario, sent one at a
# time, and no more than PROFILE_SECONDS of them (a page of seconds is profiled once).
PROFILE_REQUESTS = 20
PROFILE_SECONDS = 5.0


@dataclass
class LoadSettings:
    threads: int
    connections: int
    duration: float
    warmup: float
    rounds: int
    timeout: float = 30.0  # gunicorn's worker timeout: a slower answer is an error anyway


@dataclass
class ScenarioResult:
    scenario: Scenario
    status: str = "measured"  # or "not built yet", "failed"
    reason: str = ""
    path: str = ""
    connections: int = 0
    single_request: float = 0.0  # seconds, the preflight request alone
    runs: list[WrkResult] = field(default_factory=list)
    drains: list[float] = field(default_factory=list)  # seconds gunicorn needed to finish after each run
    written: int | None = None  # notes a write scenario created, against wrk's request count
    sequential: bool = False  # timed one request per round, not loaded (see UNLOADABLE_PAGE_SECONDS)
    profile: ProfileSummary | None = None  # where a request's time goes, from the profiling pass

    @property
    def measured(self) -> bool:
        return self.status == "measured" and bool(self.runs)

    @property
    def rate(self) -> float:
        return median([run.requests_per_second for run in self.runs])

    @property
    def p50(self) -> float:
        return median([run.p50 for run in self.runs])

    @property
    def p99(self) -> float:
        return median([run.p99 for run in self.runs])

    @property
    def requests(self) -> int:
        return sum(run.requests for run in self.runs)

    @property
    def failures(self) -> int:
        return sum(run.failures for run in self.runs)

    def share_of(self, floor: ScenarioResult) -> float:
        """Median over rounds of this scenario's req/s divided by the floor's in the same round."""
        return median_ratio(
            [run.requests_per_second for run in self.runs], [run.requests_per_second for run in floor.runs]
        )


@dataclass
class Plan:
    scenario: Scenario
    result: ScenarioResult
    headers: dict[str, str]
    script: Path | None
    form: dict[str, str] | None


def _preflight(browser: Browser, scenario: Scenario, path: str, form: dict[str, str] | None) -> tuple[str, float]:
    """Request the page once as wrk will; return why it cannot be measured ('' if it can) and how long it took."""
    started = time.perf_counter()
    answer = browser.request(scenario.method, path, form)
    seconds = time.perf_counter() - started
    if answer.status == scenario.expect and (seconds < UNLOADABLE_PAGE_SECONDS or scenario.variant == "cached"):
        # The first request also warmed a worker up (templates, connections) or filled the page
        # cache: time a second one.
        started = time.perf_counter()
        answer = browser.request(scenario.method, path, form)
        seconds = time.perf_counter() - started
    if answer.status != scenario.expect:
        where = f" to {answer.headers['Location']}" if answer.status in (301, 302) else ""
        return f"answered {answer.status}{where}, expected {scenario.expect}", seconds
    if scenario.expect == 302 and answer.headers["Location"].rstrip("/").endswith(path.rstrip("/")):
        return "the POST redirected back to its own form", seconds
    return "", seconds


def _browser(scenario: Scenario, server: Server, browsers: dict[str, Browser]) -> Browser:
    """The logged-in browser the scenario names, or a fresh anonymous one, for the scenario's server.

    Every server shares the sessions (Redis and the relational store), so a member logged in on
    the main server is logged in on the others with the same cookie.
    """
    if scenario.login:
        member = browsers[scenario.login]
        return member if member.port == server.port else Browser(member.host, server.port, dict(member.cookies))
    return Browser(browsers["reader"].host, server.port)


def plan(
    scenario: Scenario,
    *,
    server: Server,
    subjects: Subjects,
    browsers: dict[str, Browser],
    settings: LoadSettings,
    scripts: Path,
) -> tuple[ScenarioResult, Plan | None]:
    result = ScenarioResult(scenario)
    if scenario.missing(subjects):
        result.status, result.reason = "not built yet", f"URL name {scenario.url_name} does not resolve"
        return result, None
    result.path = scenario.path(subjects)
    browser = _browser(scenario, server, browsers)
    form, script, headers = None, None, browser.headers()
    if scenario.form is not None:
        form = {"csrfmiddlewaretoken": csrf_form_token(browser.get(result.path).body), **scenario.form()}
        script = scripts / f"{scenario.key}.lua"
        script.write_text(post_script(urlencode(form)))
        headers |= {
            "Origin": browser.origin,
            "Referer": f"{browser.origin}{result.path}",
            "Cookie": browser.cookie_header(),
        }
    problem, result.single_request = _preflight(browser, scenario, result.path, form)
    if problem:
        result.status, result.reason = "failed", problem
        say(f"{scenario.key}: {problem}; not measured")
        return result, None
    slow = result.single_request > SLOW_PAGE_SECONDS
    result.connections = min(settings.connections, server.workers) if slow else settings.connections
    result.sequential = result.single_request > UNLOADABLE_PAGE_SECONDS
    if result.sequential:
        result.connections = 1
    return result, Plan(scenario, result, headers, script, form)


def _timed_request(p: Plan, browser: Browser, workers: int) -> WrkResult:
    """One request, timed: a stand-in for a wrk run on a page too slow to load (req/s = workers / latency)."""
    started = time.perf_counter()
    answer = browser.request(p.scenario.method, p.result.path, p.form)
    seconds = time.perf_counter() - started
    failed = int(answer.status != p.scenario.expect)
    return WrkResult(
        requests_per_second=workers / seconds,
        p50=seconds,
        p99=seconds,
        requests=1,
        duration=seconds,
        non_2xx_3xx=failed,
    )


def profile_requests(p: Plan, browser: Browser, directory: Path, *, requests: int) -> ProfileSummary | None:
    """Send the scenario's request `requests` times (fewer for a slow page) marked for bench/middleware.py; summarise them.

    One at a time, after the timed rounds: the profiler's own cost never reaches a wrk figure.
    """
    key = p.scenario.key
    shutil.rmtree(directory / key, ignore_errors=True)
    if p.scenario.primed:
        browser.request(p.scenario.method, p.result.path, p.form)  # a hit, as under load
    count = max(1, min(requests, int(PROFILE_SECONDS / max(p.result.single_request, 0.001))))
    cookies = dict(browser.cookies)
    for _ in range(count):
        browser.request(p.scenario.method, p.result.path, p.form, extra={PROFILE_HEADER: key})
        # Send the same cookies every time, as wrk does: a create's unread "Saved" messages would pile up.
        browser.cookies.clear()
        browser.cookies.update(cookies)
    return summarise_directory(key, directory)


def measure_pages(
    *,
    servers: dict[str, Server],
    wrk: str,
    scenarios: list[Scenario],
    subjects: Subjects,
    browsers: dict[str, Browser],
    settings: LoadSettings,
    scripts: Path,
    collect_writes: Callable[[], int],
    profiles: Path | None = None,
) -> dict[str, ScenarioResult]:
    """Check every scenario answers, warm the fast ones up, run `rounds` interleaved rounds of wrk, then profile.

    Each scenario runs against `servers[scenario.server]`; logged-in browsers belong to the main
    server. `collect_writes` deletes what a write scenario created and returns how many it deleted.
    A cached page, or a member's page with a shared fragment, is requested once before each run: a
    note written in between (the create scenario) gives it a new version, and sixteen connections
    missing it at once would measure the stampede, not the cache. With `profiles` (the servers' BENCH_PROFILE_DIR), each
    scenario is then profiled apart from the timed runs (profile_requests).
    """
    scripts.mkdir(parents=True, exist_ok=True)
    results: dict[str, ScenarioResult] = {}
    plans: list[Plan] = []
    for scenario in scenarios:
        if scenario.form is not None and scenario.server != MAIN_SERVER:
            raise ValueError(f"{scenario.key}: writes run on the main server only")
        results[scenario.key], planned = plan(
            scenario,
            server=servers[scenario.server],
            subjects=subjects,
            browsers=browsers,
            settings=settings,
            scripts=scripts,
        )
        if planned is not None:
            plans.append(planned)
    if FLOOR.key not in {p.scenario.key for p in plans}:
        raise SystemExit("bench: the floor view did not answer; nothing can be compared")
    if any(p.scenario.form is not None for p in plans):
        collect_writes()  # the preflight POSTs

    def load(p: Plan, duration: float) -> tuple[WrkResult, float]:
        server = servers[p.scenario.server]
        if p.result.sequential:
            return _timed_request(p, _browser(p.scenario, server, browsers), server.workers), 0.0
        if p.scenario.primed:
            _browser(p.scenario, server, browsers).request(p.scenario.method, p.result.path, p.form)
        run = run_wrk(
            wrk,
            f"{server.base_url}{p.result.path}",
            threads=min(settings.threads, p.result.connections),
            connections=p.result.connections,
            duration=duration,
            headers=p.headers,
            script=p.script,
            timeout=settings.timeout,
        )
        drained = wait_until_idle(server.port)
        return run, drained

    for p in plans:
        if p.result.single_request > SLOW_PAGE_SECONDS:
            continue  # the preflight requests warmed it; a longer warm-up costs minutes and teaches nothing
        say(f"warming up {p.scenario.key} ({settings.warmup:g} s)")
        load(p, settings.warmup)
        if p.scenario.form is not None:
            collect_writes()
    for round_number in range(1, settings.rounds + 1):
        for p in plans:
            run, drained = load(p, settings.duration)
            p.result.runs.append(run)
            p.result.drains.append(drained)
            if p.scenario.form is not None:
                p.result.written = (p.result.written or 0) + collect_writes()
            say(
                f"round {round_number}/{settings.rounds} {p.scenario.key}: {run.requests_per_second:,.1f} req/s, "
                f"p50 {run.p50 * 1000:.2f} ms, p99 {run.p99 * 1000:.2f} ms, {run.requests} requests"
                + (f", {run.failures} failed" if run.failures else "")
                + (f", backlog drained in {drained:.1f} s" if drained > 0.5 else "")
            )
    if profiles is not None:
        for p in plans:
            browser = _browser(p.scenario, servers[p.scenario.server], browsers)
            p.result.profile = profile_requests(p, browser, profiles, requests=PROFILE_REQUESTS)
            if p.scenario.form is not None:
                collect_writes()
        say(f"profiled {sum(p.result.profile is not None for p in plans)} scenarios apart from the timed runs")
    return results
