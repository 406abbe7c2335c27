"""The engine benchmarks run end to end on small inputs (no timing is asserted: they measure, tests do not)."""
from __future__ import annotations

import json

from benchmarks import decision_profile, engine_bench


def test_the_fixture_decision_profile_measures_the_recognised_pool(tmp_path, capsys):
    out = tmp_path / "figures.json"
    figures = decision_profile.main(["--passes", "1", "--repeat", "1", "--profile", "--top", "5", "--json", str(out)])
    assert "S03" in figures["pool"]  # SCENARIOS.md S03: FR -> JP, HS 040690, a COFRAC-accredited test report
    assert set(figures["each_us"]) == set(figures["pool"])
    assert json.loads(out.read_text())["pool"] == figures["pool"]
    assert "cProfile of" in capsys.readouterr().out


def test_the_synthetic_benchmark_runs_with_and_without_freezing(capsys):
    engine_bench.main(["--sizes", "200", "--decisions", "300", "--rounds", "1"])
    engine_bench.main(["--sizes", "200", "--decisions", "300", "--rounds", "1", "--gc-freeze"])
    out = capsys.readouterr().out
    assert out.count("| 200 CABs |") == 2 and "gc frozen after the build" in out
