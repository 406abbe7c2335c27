"""The HTTP benchmark's report from made-up wrk results, without servers: the one-request-at-a-time ratios
((d) over (b); nested (d) over flat (e) per status record), their table and their target lines, and how (e)'s
arrangement is chosen. The figures are invented: nothing here measures anything."""
from __future__ import annotations

import math

import pytest

from benchmarks.http_measure import Block, Measurement, Plan
from benchmarks.http_report import alone_table, results_table, target_lines, verdict
from benchmarks.http_workloads import choose_flat
from benchmarks.wrk import WrkResult


def _wrk(p50: float, rate: float = 100.0, requests: int = 100) -> WrkResult:
    return WrkResult(rate, {50: p50, 99: p50 * 2}, requests, 0)


def _block(*, b_alone: list[float], d_alone: list[float], e_alone: list[float], d_items: int = 120,
           e_items: int = 100) -> Block:
    def measurement(key: str, runs=(), alone=(), items: int = 0) -> Measurement:
        return Measurement(1, "sqlite", "fixtures", key, runs=list(runs), alone=list(alone), items=items)

    measurements = {
        "a": measurement("a", runs=[_wrk(0.7, 20_000)], alone=[_wrk(0.5)]),
        "b": measurement("b", runs=[_wrk(7.0, 2_000)], alone=[_wrk(p) for p in b_alone]),
        "c": measurement("c", runs=[_wrk(800.0, 12)], alone=[_wrk(80.0)]),
        "d": measurement("d", runs=[_wrk(400.0, 35)], alone=[_wrk(p) for p in d_alone], items=d_items),
        "e": measurement("e", alone=[_wrk(p) for p in e_alone], items=e_items),
    }
    return Block(1, "sqlite", "fixtures", measurements, [(80.0, 90.0)], [(30.0, 31.0)], Plan().label("fixtures"))


def test_the_ratios_use_the_median_p50_of_the_rounds_one_request_at_a_time():
    block = _block(b_alone=[1.0, 2.0, 9.0], d_alone=[10.0, 12.0, 50.0], e_alone=[5.0, 6.0, 7.0])
    assert block.measurements["b"].alone_p50 == 2.0 and block.measurements["d"].alone_p50 == 12.0
    assert block.browsing_vs_clearance() == pytest.approx(6.0)
    # per status record: (d) 12 ms / 120 = 0.1 ms, (e) 6 ms / 100 = 0.06 ms
    assert block.measurements["d"].ms_per_item == pytest.approx(0.1)
    assert block.nested_vs_flat() == pytest.approx(0.1 / 0.06)


def test_the_target_lines_say_met_missed_or_not_measured():
    met = target_lines([_block(b_alone=[3.0], d_alone=[11.0], e_alone=[10.0], d_items=110, e_items=100)])
    browsing = next(line for line in met if line.startswith("- (d) vs (b) one request at a time"))
    assert "11.0 ms = 3.7× one clearance (3.00 ms) (met; target ≤ 4×)" in browsing
    nested = next(line for line in met if line.startswith("- nested (d) vs flat (e) per status record"))
    assert ("100 µs (110 records) vs 100 µs (100 records) = 1.00× (met; target ≤ 1.2×); per request 1.10× "
            "(11.00 vs 10.00 ms)") in nested

    missed = target_lines([_block(b_alone=[2.0], d_alone=[30.0], e_alone=[10.0], d_items=100, e_items=100)])
    assert any("15.0× one clearance" in line and "(**missed**; target ≤ 4×)" in line for line in missed)
    assert any("= 3.00× (**missed**; target ≤ 1.2×)" in line for line in missed)

    # no request finished within a run one request at a time: the ratio is no figure, not a miss
    unmeasured = _block(b_alone=[2.0], d_alone=[float("nan")], e_alone=[10.0])
    assert math.isnan(unmeasured.browsing_vs_clearance())
    lines = target_lines([unmeasured])
    assert any(line.startswith("- (d) vs (b)") and "(not measured; target ≤ 4×)" in line for line in lines)
    assert verdict(0.3, 0.25, at_least=True) == "met" and verdict(0.2, 0.25, at_least=True) == "**missed**"


def test_the_one_at_a_time_table_has_a_b_d_e_and_the_16_connection_table_leaves_e_out():
    block = _block(b_alone=[2.0], d_alone=[24.0], e_alone=[10.0], d_items=120, e_items=100)
    block.measurements["e"].note = "ILAC-MRA: 100 statuses (of 140) in one connection"
    rows = [line for line in alone_table([block]).splitlines() if line.startswith("| 1 |")]
    assert [row.split("|")[4].strip() for row in rows] == ["(a) bare Starlette JSON", "(b) clearance",
                                                           "(d) browsing, nested lists", "(e) flat connection"]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    assert cells[0][4] == "0.50" and cells[1][4] == "2.00"
    assert cells[1][7:9] == ["", ""]  # (b) answers no list
    assert cells[2][7:9] == ["120", "200"] and "12.0× (b)" in cells[2][9]
    assert cells[3][7:9] == ["100", "100"] and "(d) per record 2.00× (e), per request 2.40×" in cells[3][9]
    assert "ILAC-MRA: 100 statuses" in cells[3][9]
    block.measurements["a"].cpu_per_request = [40.0, 50.0, 45.0]
    block.measurements["b"].cpu_per_request = [200.0, 180.0, 190.0]
    assert block.cpu_share("b") == pytest.approx(45.0 / 190.0)
    assert math.isnan(block.cpu_share("d"))  # not counted: no figure, not a zero
    concurrent = results_table([block])
    b_row = next(line for line in concurrent.splitlines() if "(b) clearance" in line)
    assert [cell.strip() for cell in b_row.strip("|").split("|")][8:10] == ["190.0", "0.24"]
    d_row = next(line for line in concurrent.splitlines() if "(d) browsing" in line)
    assert [cell.strip() for cell in d_row.strip("|").split("|")][9] == "n/a"
    assert any("by server CPU per request 0.24 of (a) (190.0 vs 45.0 µs)" in line for line in target_lines([block]))
    assert "(e)" not in concurrent and concurrent.count("| 1 | sqlite |") == 4
    assert "80 ms per declaration alone" in concurrent


def test_the_flat_connection_is_taken_from_the_smallest_arrangement_that_has_enough_records():
    counts = {"ILAC-MRA": 400, "IAF-MLA": 130, "APAC-MRA": 60, "EMPTY": 0}
    assert choose_flat(counts, 90) == ("IAF-MLA", 90)
    assert choose_flat(counts, 50) == ("APAC-MRA", 50)
    assert choose_flat(counts, 122) == ("IAF-MLA", 100)  # at most a page: the smallest with a page's worth
    assert choose_flat({"A": 30, "B": 70}, 122) == ("B", 70)  # none has enough: the largest, whole
    with pytest.raises(RuntimeError):
        choose_flat({"EMPTY": 0}, 10)
