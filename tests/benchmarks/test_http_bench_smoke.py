"""The HTTP benchmark's machinery end to end, in a tiny mode: real servers, real wrk, a real table. No timing
is asserted anywhere: the figures depend on the machine; only the shape of the result is checked."""
from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from benchmarks import http_measure, http_report
from benchmarks.wrk import parse_wrk

WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:8000/graphql
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.15ms    1.73ms  28.09ms   81.03%
    Req/Sec     2.65k   723.76     5.32k    75.00%
  Latency Distribution
     50%  812.00us
     75%    3.67ms
     90%    4.97ms
     99%    1.20s
  15898 requests in 3.02s, 4.40MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   5269.36
Transfer/sec:      1.46MB
"""


def test_wrk_report_is_read():
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests_per_second == pytest.approx(5269.36)
    assert result.requests == 15898
    assert result.latency_ms == {50: pytest.approx(0.812), 75: 3.67, 90: 4.97, 99: 1200.0}
    assert result.errors == 2 + 1 + 4


def test_only_the_http_section_is_replaced():
    document = "# Performance\n\nintro\n\n## Recognition engine\n\nengine table\n\n## HTTP service\n\nold\n\n## Later\n\nkept\n"
    updated = http_report.replace_section(document, "## HTTP service\n\nnew table\n")
    assert updated == ("# Performance\n\nintro\n\n## Recognition engine\n\nengine table\n\n## HTTP service\n\nnew table\n"
                       "\n## Later\n\nkept\n")
    appended = http_report.replace_section("# Performance\n\n## Recognition engine\n\nengine table\n", "## HTTP service\n\nx\n")
    assert appended == "# Performance\n\n## Recognition engine\n\nengine table\n\n## HTTP service\n\nx\n"


@pytest.mark.e2e
@pytest.mark.slow
def test_the_benchmark_runs_end_to_end_and_reports_a_table(tmp_path):
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (apt-get install -y wrk): the HTTP benchmark cannot run")
    plan = http_measure.Plan(workers=(1,), databases=("sqlite",), registries=("fixtures", "synthetic"), cabs=300,
                   warmup=1, duration=1, rounds=1, single_duration=1, out_dir=tmp_path / "out", startup_timeout=120)
    lines: list[str] = []
    blocks = http_measure.run(plan, log=lines.append)
    assert [(b.workers, b.backend, b.registry) for b in blocks] == [(1, "sqlite", "fixtures"), (1, "sqlite", "synthetic")]
    for block in blocks:
        assert set(block.measurements) == {"a", "b", "c", "d", "e"}
        # one run each; how many requests finish in a second depends on the machine, so only (a) must have some
        assert all(len(block.measurements[key].runs) == 1 and block.measurements[key].runs[0].requests >= 0
                   for key in "abcd")
        assert block.measurements["e"].runs == []  # (e) is measured one request at a time only
        assert len(block.measurements["a"].alone) == 1
        assert block.measurements["a"].runs[0].requests > 0
        assert all(len(block.measurements[key].alone) == 1 for key in "bcde")
        assert block.measurements["d"].items > 0 and block.measurements["e"].items > 0
        assert len(block.memory) == 1 and block.memory[0][0] > 0

    document = tmp_path / "performance.md"
    document.write_text("# Performance\n\n## Recognition engine\n\nkept\n", encoding="utf-8")
    text = http_report.report(blocks, plan, "python -m benchmarks.http_bench (smoke)",
                              dt.datetime.now(dt.timezone.utc), "0")
    http_report.write_section(text, document)
    written = document.read_text(encoding="utf-8")
    assert written.startswith("# Performance\n\n## Recognition engine\n\nkept\n\n## HTTP service\n")

    concurrent, rest = written.split("### One request at a time", 1)
    alone = rest.split("### Memory per worker", 1)[0]
    results = [line for line in concurrent.splitlines() if re.match(r"\| 1 \| sqlite \|", line)]
    assert len(results) == 8  # (a) to (d) on two registries
    for row in results:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == 11
        float(cells[4].replace(",", ""))  # req/s
        float(cells[5]), float(cells[6]), float(cells[7])  # p50, p99, share
        assert float(cells[8].replace(",", "")) > 0 or cells[8] == "nan"  # server CPU per request, µs
        float(cells[9]) if cells[9] != "n/a" else None  # CPU share
    one_at_a_time = [line for line in alone.splitlines() if re.match(r"\| 1 \| sqlite \|", line)]
    assert [row.split("|")[4].strip()[:3] for row in one_at_a_time] == ["(a)", "(b)", "(d)", "(e)"] * 2
    for row in one_at_a_time:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == 10
        float(cells[4]), float(cells[5])  # p50, p99 (nan when no request finished within the run)
    assert "### Memory per worker" in written and "### Targets" in written
    assert "300 CABs vs fixtures" in written
    assert written.count("- (d) vs (b) one request at a time") == 2
    assert written.count("- nested (d) vs flat (e) per status record") == 2
