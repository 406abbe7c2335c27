"""What every decision carries (RULES.md: Outcomes): reasons with messages, the path with records, dates and
provenance, warnings, the policy, both dates and the registry version. Fixtures: ``engine_world`` (invented)."""
from __future__ import annotations

from engine_world import A, S, T, arr, d, decide_in, standard_world

from mra_registry.domain.codes import Outcome, PathLinkKind as P, ReasonCode as R, WarningCode as W


def kinds(decision):
    return [link.kind for link in decision.path]


def test_an_arrangement_route_path():
    decision = decide_in(standard_world(), issue="2025-08-10", clear="2025-09-01")
    assert kinds(decision) == [P.POLICY, P.CAB, P.ACCREDITATION, P.SIGNATORY_STATUS]
    policy, cab, accreditation, status = decision.path
    assert policy.subject == "P-JP-0406" and policy.status_on_clearance == "IN_FORCE"
    assert cab.subject == "LNZ"
    assert (accreditation.valid_from, accreditation.valid_to) == (d("2020-01-01"), d("2027-12-31"))
    assert (accreditation.status_on_issue, accreditation.status_on_clearance) == ("ACTIVE", "ACTIVE")
    assert status.subject == "NZAB" and status.valid_from == d("2001-01-31")
    assert (status.status_on_issue, status.status_on_clearance) == ("SIGNATORY", "SIGNATORY")
    assert all(link.holds for link in decision.path)
    assert (decision.policy, decision.issue_date, decision.clearance_date, decision.registry_version) == (
        "P-JP-0406", d("2025-08-10"), d("2025-09-01"), 1)


def test_a_succession_adds_its_link_before_the_status():
    decision = decide_in(standard_world(), issue="2026-03-01", clear="2026-04-01")
    assert kinds(decision) == [P.POLICY, P.CAB, P.ACCREDITATION, P.SUCCESSION, P.SIGNATORY_STATUS]
    succession = decision.path[3]
    assert succession.valid_from == d("2026-01-01")
    status = decision.path[-1]
    assert "continued from ILAC_MRA" in status.record


def test_a_continued_status_under_the_named_successor_still_shows_the_succession():
    w = standard_world().policy("P-JP-0406", "JP", ("0406",), T.TESTING, ("ISO 11290-1",), (arr("GLOBAL_ACI_MRA"),),
                                180, lot=True)
    decision = decide_in(w, issue="2026-03-01", clear="2026-04-01")
    assert decision.route.arrangement == "GLOBAL_ACI_MRA" and decision.warnings == ()
    assert kinds(decision) == [P.POLICY, P.CAB, P.ACCREDITATION, P.SUCCESSION, P.SIGNATORY_STATUS]


def test_a_status_changed_since_issue_shows_on_the_status_link():
    w = standard_world().without_statuses("NZAB")
    w.history("NZAB", "ILAC_MRA", A.TESTING, (S.SIGNATORY, "2001-01-31"), (S.SUSPENDED, "2025-08-20"))
    decision = decide_in(w, issue="2025-08-10", clear="2025-09-01")
    status = decision.path[-1]
    assert (status.status_on_issue, status.status_on_clearance) == ("SIGNATORY", "SUSPENDED")
    assert [w.code for w in decision.warnings] == [W.AB_STATUS_CHANGED_SINCE_ISSUE]


def test_a_government_route_path():
    decision = decide_in(standard_world(), exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB",
                         issue="2026-05-01", clear="2026-06-01")
    assert kinds(decision) == [P.POLICY, P.CAB, P.ACCREDITATION, P.UNION_MEMBERSHIP, P.SECTOR_OPERATION, P.DESIGNATION]
    designation = decision.path[-1]
    assert designation.valid_from == d("2018-01-01") and designation.status_on_issue == "DESIGNATED"


def test_a_regulators_government_route_has_no_accreditation_link():
    decision = decide_in(standard_world(), exporter="DE", importer="US", hs="300490", issuer="AUTH-DE", body=None,
                         type=T.GMP_INSPECTION, issue="2020-01-10", clear="2020-02-01")
    assert decision.outcome is Outcome.RECOGNISED
    assert P.ACCREDITATION not in kinds(decision)


def test_not_required_paths():
    intra = decide_in(standard_world(), exporter="FR", importer="DE", issuer=None)
    assert kinds(intra) == [P.UNION_MEMBERSHIP, P.UNION_MEMBERSHIP]
    assert [link.subject for link in intra.path] == ["FR", "DE"]
    sps = decide_in(standard_world(), exporter="NZ", importer="DE")
    assert kinds(sps) == [P.SPS_AGREEMENT, P.UNION_MEMBERSHIP]
    assert sps.path[0].valid_from == d("2003-02-01")
    none = decide_in(standard_world(), hs="220300")
    assert none.path == () and none.policy is None


def test_a_unions_policy_shows_the_importers_membership():
    decision = decide_in(standard_world(), exporter="JP", importer="DE", issuer=None)
    assert kinds(decision) == [P.UNION_MEMBERSHIP, P.POLICY]
    assert decision.reason is R.NO_ATTESTATION


def test_every_reason_and_warning_has_a_message():
    w = standard_world().replace_accreditation("LNZ", "NZAB-1", valid_to="2025-08-20")
    decisions = [
        decide_in(w, issue="2025-08-10", clear="2025-09-01"),
        decide_in(w, issue="2026-03-01", clear="2026-04-01"),
        decide_in(w, exporter="NZ", importer="DE"),
        decide_in(w, hs="220300"),
        decide_in(w, issuer="NOPE"),
    ]
    for decision in decisions:
        assert decision.reasons and decision.reasons[0].code is decision.reason or decision.outcome is Outcome.RECOGNISED
        for item in (*decision.reasons, *decision.warnings):
            assert isinstance(item.message, str) and len(item.message) > 20


def test_a_failing_route_shows_the_status_that_failed():
    decision = decide_in(standard_world(), exporter="KG", importer="AU", issuer="LKG", body="KGAB",
                         issue="2018-10-01", clear="2018-11-15")
    status = decision.path[-1]
    assert status.kind is P.SIGNATORY_STATUS and not status.holds and status.status_on_issue == "SUSPENDED"
