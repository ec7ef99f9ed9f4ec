"""The benchmark's arithmetic and parsers, on fixed sample text: no server, no load, no timing."""

from __future__ import annotations

import pytest

from tools.bench.figures import format_ms, median, median_ratio, ratio
from tools.bench.memory import status_field_kib
from tools.bench.report import ANALYSIS_END, ANALYSIS_PLACEHOLDER, ANALYSIS_START, format_gap, kept_analysis
from tools.bench.server import open_connections
from tools.bench.targets import Check, furthest
from tools.bench.wrk import WrkOutputError, lua_string, parse_wrk_output, post_script, whole_seconds

WRK_REPORT = """\
Running 10s test @ http://127.0.0.1:41234/notes/public/?page=1
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.41ms    3.02ms  48.10ms   81.23%
    Req/Sec   646.12     52.40   740.00     72.50%
  Latency Distribution
     50%   11.87ms
     75%   13.50ms
     90%   15.92ms
     99%   24.36ms
  12875 requests in 10.01s, 190.52MB read
Requests/sec:   1286.24
Transfer/sec:     19.03MB
"""

WRK_REPORT_WITH_ERRORS = """\
Running 3s test @ http://127.0.0.1:41234/notes/new/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   850.20us  120.00us   2.10ms   90.00%
    Req/Sec     9.20k   400.00     9.90k    70.00%
  Latency Distribution
     50%  812.00us
     75%  900.00us
     90%    1.01ms
     99%    1.52s
  1500 requests in 1.00m, 1.20MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:     25.00
Transfer/sec:     20.48KB
"""


def test_wrk_report_gives_rate_percentiles_and_count():
    result = parse_wrk_output(WRK_REPORT)

    assert result.requests_per_second == 1286.24
    assert result.p50 == pytest.approx(0.01187)
    assert result.p99 == pytest.approx(0.02436)
    assert (result.requests, result.duration) == (12875, pytest.approx(10.01))
    assert result.failures == 0


def test_wrk_units_and_error_lines_are_read():
    result = parse_wrk_output(WRK_REPORT_WITH_ERRORS)

    assert result.p50 == pytest.approx(812e-6)
    assert result.p99 == pytest.approx(1.52)
    assert result.duration == pytest.approx(60.0)
    assert (result.non_2xx_3xx, result.socket_errors, result.failures) == (7, 5, 12)


def test_wrk_report_without_latency_distribution_is_refused():
    without = "\n".join(line for line in WRK_REPORT.splitlines() if "%   " not in line or "Latency " in line)

    with pytest.raises(WrkOutputError, match="50%"):
        parse_wrk_output(without)


def test_post_script_quotes_the_body_for_lua():
    script = post_script('title=A+"quoted"+note&body=line\\one')

    assert 'wrk.method = "POST"' in script
    assert 'wrk.body = "title=A+\\"quoted\\"+note&body=line\\\\one"' in script
    assert lua_string("a\nb") == '"a\\nb"'


def test_wrk_durations_are_whole_seconds():
    assert [whole_seconds(s) for s in (0.4, 2.5, 3.0, 10.2)] == [1, 2, 3, 10]


def test_median_of_odd_and_even_counts():
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5
    with pytest.raises(ValueError):
        median([])


def test_median_ratio_pairs_each_round_with_its_own_floor():
    # Round 2 ran on a busy machine: both sides slowed, its ratio did not.
    pages = [400.0, 200.0, 410.0]
    floors = [1000.0, 500.0, 1000.0]

    assert median_ratio(pages, floors) == pytest.approx(0.40)
    assert ratio(50.0, 200.0) == 0.25
    with pytest.raises(ValueError):
        median_ratio([1.0], [1.0, 2.0])
    with pytest.raises(ValueError):
        ratio(1.0, 0.0)


def test_milliseconds_are_shown_with_useful_precision():
    assert format_ms(0.000412) == "0.412 ms"
    assert format_ms(0.0123) == "12.3 ms"
    assert format_ms(1.2345) == "1,234 ms"


def test_vmrss_is_read_from_proc_status_text():
    status = "Name:\tgunicorn\nVmPeak:\t  300000 kB\nVmRSS:\t   65432 kB\nThreads:\t1\n"

    assert status_field_kib(status, "VmRSS") == 65432
    with pytest.raises(KeyError):
        status_field_kib(status, "VmSwap")


def test_open_connections_counts_only_unfinished_server_sides_of_the_port(tmp_path):
    header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    port = 41234  # 0xA112
    rows = [
        "   0: 0100007F:A112 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1",  # LISTEN
        "   1: 0100007F:A112 0100007F:C350 01 00000000:00000000 00:00000000 00000000 0 0 2",  # ESTABLISHED
        "   2: 0100007F:A112 0100007F:C351 08 00000000:00000000 00:00000000 00000000 0 0 3",  # CLOSE_WAIT
        "   3: 0100007F:A112 0100007F:C352 06 00000000:00000000 00:00000000 00000000 0 0 4",  # TIME_WAIT
        "   4: 0100007F:C353 0100007F:A112 01 00000000:00000000 00:00000000 00000000 0 0 5",  # wrk's side
    ]
    table = tmp_path / "tcp"
    table.write_text(header + "\n".join(rows) + "\n")

    assert open_connections(port, tables=(str(table), str(tmp_path / "absent"))) == 2


def test_furthest_target_is_the_largest_miss_either_way():
    checks = [
        Check("list share", "≥ 35 %", "at least", 0.35, 0.07, "7 %"),  # 5× off
        Check("orm read", "≤ 3×", "at most", 3.0, 4.5, "4.5×"),  # 1.5× off
        Check("rss", "≤ 80 MB", "at most", 80, 64, "64 MiB"),  # met
        Check("import", "≥ 70 %", "at least", 0.7, None, "–", reason="not built yet"),
    ]

    worst = furthest(checks)

    assert worst is not None
    assert worst.figure == "list share"
    assert worst.gap == pytest.approx(5.0)
    assert [check.met for check in checks] == [False, False, True, None]
    assert furthest(checks[2:]) is None


def test_gaps_are_shown_with_the_precision_that_tells_them_apart():
    assert [format_gap(gap) for gap in (1.045, 2.7, 1230.4)] == ["1.04×", "2.7×", "1,230×"]


def test_hand_written_analysis_survives_a_rewrite():
    analysis = "The public list scans.\n\nSecond paragraph."
    existing = f"# Benchmarks\n\nold figures\n\n{ANALYSIS_START}\n{analysis}\n{ANALYSIS_END}\n"

    assert kept_analysis(existing) == analysis
    assert kept_analysis("# Benchmarks\n") == ANALYSIS_PLACEHOLDER
