"""RULES.md step 2, which policy applies: importer and its unions on D_clear, in force, covering the code; the
longest prefix; the economy before its union; the presented type; the first by code. Fixtures: invented."""
from __future__ import annotations

from engine_world import T, World, arr, consignment, decide_in, standard_world

from mra_registry.domain.codes import ReasonCode as R


def policies(w: World, **kwargs) -> str | None:
    """The policy applied (exporters are chosen outside any union or SPS agreement with the importer)."""
    return decide_in(w, **kwargs).policy


def bare_world() -> World:
    w = standard_world()
    for code in list(w.policies):
        w.without_policy(code)
    return w


def test_the_longest_matching_prefix_wins():
    w = bare_world()
    w.policy("P-JP-04", "JP", ("04",), T.TESTING)
    w.policy("P-JP-0406", "JP", ("0406",), T.TESTING)
    w.policy("P-JP-040690", "JP", ("040690",), T.TESTING)
    assert policies(w, hs="0406901000") == "P-JP-040690"
    assert policies(w, hs="040610") == "P-JP-0406"
    assert policies(w, hs="040110") == "P-JP-04"


def test_the_longest_of_a_policys_own_prefixes_counts():
    w = bare_world()
    w.policy("P-JP-A", "JP", ("04", "040690"), T.TESTING)
    w.policy("P-JP-B", "JP", ("0406",), T.TESTING)
    assert policies(w, hs="040690") == "P-JP-A"
    assert policies(w, hs="040610") == "P-JP-B"


def test_an_excluded_prefix_removes_the_policy_and_a_shorter_one_applies():
    w = bare_world()
    w.policy("P-US-3004", "US", ("3004",), T.GMP_INSPECTION, excluded=("30049092",))
    w.policy("P-US-30", "US", ("30",), T.TESTING)
    assert policies(w, importer="US", hs="300490", issuer=None) == "P-US-3004"
    assert policies(w, importer="US", hs="3004909200", issuer=None) == "P-US-30"


def test_on_a_tie_the_economys_own_policy_beats_its_unions():
    w = bare_world()
    w.policy("P-EU-0406", "EU", ("0406",), T.TESTING)
    w.policy("P-DE-0406", "DE", ("0406",), T.TESTING)
    assert policies(w, exporter="JP", importer="DE") == "P-DE-0406"
    assert policies(w, exporter="JP", importer="FR") == "P-EU-0406"


def test_a_longer_union_prefix_beats_a_shorter_own_one():
    w = bare_world()
    w.policy("P-EU-040690", "EU", ("040690",), T.TESTING)
    w.policy("P-DE-0406", "DE", ("0406",), T.TESTING)
    assert policies(w, exporter="JP", importer="DE") == "P-EU-040690"


def test_then_the_policy_requiring_the_presented_type():
    w = bare_world()
    w.policy("P-JP-A", "JP", ("0406",), T.INSPECTION)
    w.policy("P-JP-B", "JP", ("0406",), T.TESTING)
    w.policy("P-JP-C", "JP", ("0406",), T.TESTING)
    assert policies(w, type=T.TESTING) == "P-JP-B"
    assert policies(w, type=T.INSPECTION) == "P-JP-A"
    assert policies(w, type=T.CALIBRATION) == "P-JP-A"  # none of that type: first by code
    assert policies(w, issuer=None) == "P-JP-A"


def test_the_own_policy_wins_even_when_only_the_unions_requires_the_presented_type():
    w = bare_world()
    w.policy("P-DE-0406", "DE", ("0406",), T.INSPECTION)
    w.policy("P-EU-0406", "EU", ("0406",), T.TESTING)
    assert policies(w, exporter="JP", importer="DE", type=T.TESTING) == "P-DE-0406"


def test_only_policies_in_force_on_clearance_apply():
    w = bare_world()
    w.policy("P-JP-0406-OLD", "JP", ("0406",), T.TESTING, end="2024-12-31")
    w.policy("P-JP-0406-NEW", "JP", ("0406",), T.TESTING, start="2025-01-01")
    w.policy("P-JP-04", "JP", ("04",), T.TESTING)
    assert policies(w, issue="2024-12-01", clear="2024-12-31") == "P-JP-0406-OLD"
    assert policies(w, issue="2024-12-01", clear="2025-01-01") == "P-JP-0406-NEW"


def test_a_unions_policy_applies_only_to_members_on_clearance():
    w = bare_world()
    w.policy("P-EU-0406", "EU", ("0406",), T.TESTING)
    assert policies(w, exporter="JP", importer="GB", issuer=None, clear="2020-12-31") == "P-EU-0406"
    assert decide_in(w, exporter="JP", importer="GB", issuer=None, clear="2021-01-01").reason is R.NO_REQUIREMENT


def test_no_covering_policy_is_no_requirement():
    w = bare_world()
    w.policy("P-JP-0406", "JP", ("0406",), T.TESTING, routes=(arr("ILAC_MRA"),))
    assert decide_in(w, hs="220300").reason is R.NO_REQUIREMENT
    assert decide_in(w, importer="KR").reason is R.NO_REQUIREMENT


def test_selection_does_not_depend_on_registry_order():
    one, two = bare_world(), bare_world()
    one.policy("P-JP-B", "JP", ("0406",), T.TESTING).policy("P-JP-A", "JP", ("0406",), T.TESTING)
    two.policy("P-JP-A", "JP", ("0406",), T.TESTING).policy("P-JP-B", "JP", ("0406",), T.TESTING)
    assert policies(one) == policies(two) == "P-JP-A"


def test_the_snapshot_answers_the_same_question_for_the_api():
    w = standard_world()
    snapshot = w.snapshot()
    c = consignment(importer="DE")
    view = snapshot.applicable_policy("DE", snapshot.unions_of("DE", c.clearance_date), "040690", c.clearance_date,
                                      T.TESTING)
    assert view is not None and view.code == "P-EU-0406"
