"""Profiles grouped by layer, the profiling middleware, the charts and where the report puts them: no load, no timing."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from notes.models import Note
from tests.bench.test_page_cache_and_transfer_rows import PUBLIC, PUBLIC_OFF, bench_run, loaded
from tools.bench.charts import decades, growth_chart, share_chart, side_by_side_chart
from tools.bench.environment import forget_orphan_notes, with_database
from tools.bench.growth import GrowthPoint
from tools.bench.middleware import PROFILE_DIRECTORY_VARIABLE, PROFILE_HEADER, ProfileMiddleware, round_trips
from tools.bench.overheads import Comparison
from tools.bench.profiles import OTHER, ProfileSummary, layer_of, leaf_label, summarise, summarise_directory
from tools.bench.report import charts, profile_cell, render, target_checks, write_report
from tools.bench.scenarios import FLOOR, SCENARIOS
from users.models import User

SVG = "{http://www.w3.org/2000/svg}"
SITE = "/venv/lib/python3.11/site-packages"


def frame(function: str, path: str, line: int = 1) -> str:
    """A frame as pyinstrument records it: function, file and line, then attributes."""
    return f"{function}\x00{path}\x00{line}\x01l{line}"


VIEW = frame("get", "/app/notes/views.py")
QUERY = frame("__iter__", f"{SITE}/django/db/models/query.py")
RECV = frame("recv_into", f"{SITE}/pymongo/network_layer.py")
SOCKET = frame("socket.recv_into", "<built-in>", 0)
RENDER = frame("render", f"{SITE}/django/template/base.py")
BENCH = frame("__call__", "/repo/tools/bench/middleware.py")
SAMPLER = frame("get_stack_sampler", f"{SITE}/pyinstrument/stack_sampler.py")
JSON_LOADS = frame("loads", "/usr/lib/python3.11/json/__init__.py")


def test_self_time_goes_to_the_innermost_layer_and_cumulative_to_every_layer_once():
    records = [
        ([BENCH, VIEW, QUERY, RECV, SOCKET], 0.006),  # waiting for MongoDB, under the ORM, under the view
        ([BENCH, VIEW, RENDER], 0.003),
        ([BENCH, VIEW, RENDER, JSON_LOADS], 0.001),  # stdlib inside the template: the template's
        ([BENCH, JSON_LOADS], 0.002),  # no layer at all on the stack
        ([BENCH, SAMPLER], 0.5),  # the profiler itself: not the page's time
    ]

    summary = summarise("public-p1", records, samples=2, round_trips={"document": 4, "Redis": 1})

    layers = {layer.layer: layer for layer in summary.layers}
    assert summary.total_ms == pytest.approx(6.0)  # 12 ms over 2 requests, the profiler's 500 ms left out
    assert layers["Mongo driver and round trips"].self_ms == pytest.approx(3.0)
    assert layers["template render"].self_ms == pytest.approx(2.0)
    assert layers[OTHER].self_ms == pytest.approx(1.0)
    assert (layers["app code"].self_ms, layers["app code"].cumulative_ms) == (0, pytest.approx(5.0))  # the view
    assert layers["ORM model instances"].cumulative_ms == pytest.approx(3.0)
    assert summary.layers[0].layer == "Mongo driver and round trips"
    assert summary.round_trips == {"document": 2.0, "Redis": 0.5}
    assert summary.shares()[0] == ("Mongo driver and round trips", pytest.approx(0.5))
    assert "middleware" not in layers  # the profiling middleware's own frames are transparent


def test_a_built_in_leaf_is_named_with_its_caller():
    assert leaf_label([QUERY, RECV, SOCKET]) == "socket.recv_into in recv_into (pymongo/network_layer.py)"
    assert leaf_label([RENDER]) == "render (django/template/base.py)"


def test_a_profile_needs_a_sample_and_survives_json():
    with pytest.raises(ValueError):
        summarise("x", [], samples=0)
    summary = summarise("x", [([VIEW], 0.001)], samples=1, unit="1,000 notes")

    assert ProfileSummary.from_json(summary.to_json()) == summary


def test_the_middlewares_files_are_summarised_per_request(tmp_path):
    for number in (1, 2):
        path = tmp_path / "detail" / f"123-{number}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps({"records": [[[VIEW, RENDER], 0.004]], "round_trips": {"relational": number}}))

    summary = summarise_directory("detail", tmp_path)

    assert summary is not None
    assert (summary.samples, summary.total_ms, summary.round_trips) == (2, pytest.approx(4.0), {"relational": 1.5})
    assert summarise_directory("absent", tmp_path) is None


@pytest.mark.django_db(databases=["default", "mongodb"])
def test_round_trips_are_counted_per_store(alice):
    def one_of_each() -> None:
        User.objects.get(pk=alice.pk)
        list(Note.objects.filter(owner_id=alice.pk))
        cache.get("bench:nothing")

    one_of_each()  # connections open (handshakes are round trips too) before counting
    with round_trips() as counts:
        one_of_each()

    assert dict(counts) == {"relational": 1, "document": 1, "Redis": 1}


@pytest.mark.django_db
def test_the_middleware_profiles_only_marked_requests(tmp_path, monkeypatch, alice):
    monkeypatch.setenv(PROFILE_DIRECTORY_VARIABLE, str(tmp_path))

    def view(request):
        User.objects.get(pk=alice.pk)
        return HttpResponse("ok")

    middleware = ProfileMiddleware(view)
    factory = RequestFactory()

    middleware(factory.get("/"))
    middleware(factory.get("/", headers={PROFILE_HEADER: "../escape"}))
    answer = middleware(factory.get("/", headers={PROFILE_HEADER: "floor-session"}))

    assert answer.status_code == 200
    [written] = list(tmp_path.rglob("*.json"))
    assert written.parent == tmp_path / "floor-session"
    profiled = json.loads(written.read_text())
    assert profiled["round_trips"]["relational"] == 1
    assert profiled["records"]


def test_the_middleware_stays_out_of_the_chain_without_its_directory(monkeypatch):
    from django.core.exceptions import MiddlewareNotUsed

    monkeypatch.delenv(PROFILE_DIRECTORY_VARIABLE, raising=False)
    with pytest.raises(MiddlewareNotUsed):
        ProfileMiddleware(lambda request: HttpResponse())


def bars(svg: str, series: int) -> int:
    """The bars (or a line's points) pygal drew for one series: its marks that carry a tooltip."""
    root = ET.fromstring(svg)
    return sum(
        1
        for group in root.iter(f"{SVG}g")
        if f"serie-{series}" in group.get("class", "").split()
        for element in group.iter()
        if "tooltip-trigger" in element.get("class", "").split()
    )


def test_share_chart_is_svg_with_one_bar_per_figure_its_target_and_any_ceiling():
    figures = [
        ("Public notes, page 1, cached", 0.62, 0.75, None),
        ("My notes", 0.07, 0.35, 0.28),
        ("Create", 0.14, 0.25, 0.23),
    ]

    svg = share_chart(figures, title="Shares")

    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert (bars(svg, 0), bars(svg, 1), bars(svg, 2)) == (3, 3, 2)
    assert "this server's ceiling" in svg
    assert ">100 %<" in svg  # the axis ends at 100 % when no bar passes it
    assert ">110 %<" not in svg
    assert "My notes" in svg
    assert not [script for script in root.iter(f"{SVG}script") if script.get("{http://www.w3.org/1999/xlink}href")]
    assert "http://" not in "".join(script.get("href", "") for script in root.iter(f"{SVG}script"))


def test_share_chart_axis_reaches_past_a_bar_over_100_percent():
    svg = share_chart([("Public notes, cached", 0.88, 0.75, 1.08)], title="Shares")

    assert ">110 %<" in svg


def test_side_by_side_and_growth_charts_plot_every_value():
    pages = [("Public notes, page 1", 11.0, 0.38), ("My notes", 126.0, 0.30)]
    servers = side_by_side_chart(pages, names=("FerretDB", "mongo-java-server"), title="Servers")
    growth = growth_chart(
        [1_000, 10_000, 100_000], {"Floor": [2000.0, 1900.0, 1950.0], "Page 50": [None, 30.0, 6.5]}, title="Growth"
    )

    assert (bars(servers, 0), bars(servers, 1)) == (2, 2)
    assert (bars(growth, 0), bars(growth, 1)) == (3, 2)
    assert "100,000" in growth
    assert decades([0.3, 126.0]) == (0.1, 1000)


def test_missed_page_figures_carry_their_profile_and_met_ones_do_not():
    profile = summarise(
        "public-p1-uncached",
        [([VIEW, QUERY, RECV], 0.03), ([VIEW, RENDER], 0.01)],
        samples=1,
        round_trips={"document": 2},
    )
    pages = {
        FLOOR.key: loaded(FLOOR, 1000.0),
        "public-p1": loaded(PUBLIC, 800.0),
        "public-p1-uncached": loaded(PUBLIC_OFF, 50.0, p50=0.3),
    }
    pages["public-p1-uncached"].profile = profile
    pages["public-p1"].profile = profile

    checks = {check.figure: check for check in target_checks(bench_run(pages))}

    missed = checks["Public notes, page 1, anonymous, page cache off: req/s share of the floor"]
    met = checks["Public notes, page 1, anonymous, cached: req/s share of the floor"]
    assert profile_cell(missed) == ("Mongo driver and round trips 75 % · template render 25 %; round trips: 2 Mongo")
    assert profile_cell(met) == ""


def test_logged_in_pages_are_held_to_their_own_targets_and_the_other_server_to_none():
    by_key = {scenario.key: scenario for scenario in SCENARIOS}
    pages = {FLOOR.key: loaded(FLOOR, 1000.0)}
    for key, rate in (("public-p1-member", 520.0), ("floor-session", 300.0), ("detail-owner", 100.0)):
        pages[key] = loaded(by_key[key], rate)
    pages["public-p1-other-server"] = loaded(by_key["public-p1-other-server"], 1.0)

    shares = {
        check.figure.removesuffix(": req/s share of the floor"): check
        for check in target_checks(bench_run(pages))
        if check.figure.endswith("share of the floor")
    }

    member = shares["Public notes, page 1, logged in"]
    assert (member.limit, member.measured, member.met) == (0.5, pytest.approx(0.52), True)
    assert shares["Floor view reading a logged-in session and its user"].limit == 0.6
    assert shares["A public note's page (/notes/<id>/), its owner logged in"].limit == 0.35
    assert not [figure for figure in shares if "other document server" in figure]
    assert by_key["directory-member"].login == by_key["profile-member"].login == "reader"


def test_the_report_links_its_charts_written_beside_it(tmp_path):
    by_key = {scenario.key: scenario for scenario in SCENARIOS}
    pages = {FLOOR.key: loaded(FLOOR, 1000.0), "public-p1": loaded(PUBLIC, 800.0)}
    run = bench_run(pages)
    run.growth = [
        GrowthPoint("1k", 1_000, 2.0, {FLOOR.key: loaded(FLOOR, 900.0), "detail": loaded(by_key["detail"], 300.0)}),
        GrowthPoint("quick", 5_000, 2.0, {FLOOR.key: loaded(FLOOR, 900.0), "detail": loaded(by_key["detail"], 250.0)}),
    ]
    run.overheads = [
        Comparison(
            "list-only",
            "List-page fetch",
            "Note.objects.only()",
            "find()",
            "time",
            subject_seconds=[0.05],
            baseline_seconds=[0.03],
            per="1,000 notes",
            profile=summarise("list-only", [([QUERY], 0.05)], samples=1, unit="1,000 notes"),
        )
    ]
    report = tmp_path / "benchmarks.md"

    write_report(run, report)

    text = report.read_text()
    assert sorted(path.name for path in (tmp_path / "benchmarks").iterdir()) == ["growth.svg", "shares.svg"]
    assert "![req/s as the dataset grows (page cache off)](benchmarks/growth.svg)" in text
    assert "| A public note's page (/notes/<id>/), anonymous | 300 (33 %) | 250 (28 %) |" in text
    assert "**List-page fetch** — 1 repeat of 1,000 notes, 50.0 ms each under the profiler" in text
    assert set(charts(run)) == {"shares.svg", "growth.svg"}
    assert "No figure was profiled" not in render(run, analysis="kept")


@pytest.mark.django_db(databases=["default", "mongodb"])
def test_notes_left_without_members_are_forgotten_before_seeding(tmp_path):
    relational = tmp_path / "empty.sqlite3"
    with sqlite3.connect(relational) as connection:
        connection.execute("CREATE TABLE users_user (id integer)")
    Note.objects.create(owner_id=99, title="orphan")
    env = {
        "DATABASE_URL": f"sqlite:///{relational}",
        "MONGODB_URI": with_database(
            connections["mongodb"].settings_dict["HOST"], connections["mongodb"].settings_dict["NAME"]
        ),
    }

    forget_orphan_notes(env)

    assert Note.objects.count() == 0


@pytest.mark.parametrize(
    ("function", "path", "layer"),
    [
        ("loads", f"{SITE}/bson/json_util.py", "Extended JSON parsing"),
        ("_decode_all", f"{SITE}/bson/__init__.py", "Mongo driver and round trips"),
        ("full_clean", f"{SITE}/django/db/models/base.py", "model validation"),
        ("from_db", f"{SITE}/django/db/models/base.py", "ORM model instances"),
        ("make_password", f"{SITE}/django/contrib/auth/hashers.py", "password hashing"),
        ("get_user", f"{SITE}/django/contrib/auth/__init__.py", "auth"),
        ("load", f"{SITE}/django/contrib/sessions/backends/cached_db.py", "session"),
        ("convert_embeddedmodelfield_value", "/repo/mongodb_engine/operations.py", "ORM converters (from_db_value)"),
        ("__call__", "/repo/tools/bench/middleware.py", None),
    ],
)
def test_frames_belong_to_the_layer_a_reader_can_act_on(function, path, layer):
    assert layer_of(frame(function, path)) == layer
