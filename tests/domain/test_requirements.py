"""RULES.md v2: policies with several requirements and origins, consignments with several documents, the
official-certificate, list and any-issuer routes, month ages and the BORDER_CHECKS and ATTESTATION_NOT_REQUIRED
warnings, each on both sides of its edge. Fixtures: ``engine_world`` (INVENTED authorities, laboratories,
lists and policies, modelled on SCENARIOS.md 1.4-1.6)."""
from __future__ import annotations

from datetime import date

import pytest
from engine_world import A, T, World, anyone, d, item, listed, official, req, standard_world

from mra_registry.domain.attempt import add_months
from mra_registry.domain.codes import CabKind, CompletenessKind as CK, Outcome, ReasonCode as R, RouteKind, \
    WarningCode as W
from mra_registry.domain.decision import Attestation, Consignment
from mra_registry.domain.engine import decide
from mra_registry.domain.errors import InvalidInput

AFLATOXINS = "AFLATOXINS-B1-TOTAL"


def world() -> World:
    """SCENARIOS.md's P-EU-1202-EG, AUTH-EG, US-TOY-LABS and P-US-9503 on the standard (closed) world."""
    w = standard_world()
    w.cabs_complete = False  # as SCENARIOS.md 1.6: an issuer the registry does not hold is no forgery
    w.cab("AUTH-EG", "EG", CabKind.REGULATORY_AUTHORITY).competence("AUTH-EG", ("12",), "2019-01-01")
    w.cab("AUTH-FR", "FR", CabKind.REGULATORY_AUTHORITY).competence("AUTH-FR", ("12",), "2019-01-01")
    w.cab("LAB-EG-NOT-ACCREDITED", "EG")
    w.policy("P-EU-1202-EG", "EU", ("1202",), T.OFFICIAL_CERTIFICATE, (), (official(),), lot=True, months=4,
             more=(req(T.TESTING, (AFLATOXINS,), (anyone(),), lot=True, months=6),), origins=("EG",),
             border_checks=30)
    w.cab("LCA", "CA").accreditation("LCA", "CAAB-1", "CAAB", A.TESTING, "2018-01-01", "2028-12-31",
                                     item("ISO 8124-1", "9503"))
    w.cab("LCN", "CN").accreditation("LCN", "CNAB-1", "CNAB", A.TESTING, "2019-01-01", "2028-12-31",
                                     item("ISO 8124-1", "9503"))
    w.status("CAAB", "ILAC_MRA", A.TESTING, "SIGNATORY", "2001-01-31")
    w.status("CNAB", "ILAC_MRA", A.TESTING, "SIGNATORY", "2005-01-01")
    w.acceptance_list("US-TOY-LABS", "US").list_entry("US-TOY-LABS", "LCA", A.TESTING, item("ISO 8124-1", "9503"),
                                                      start="2019-01-01")
    w.policy("P-US-9503", "US", ("9503",), T.TESTING, ("ISO 8124-1",), (listed("US-TOY-LABS"),), 365)
    w.declare("EU-12", CK.IMPORT_POLICIES, importer="EU", hs_prefixes=("12",), includes_members=True)
    return w


def certificate(issuer="AUTH-EG", issued="2026-02-01", lot="LOT-1") -> Attestation:
    return Attestation(T.OFFICIAL_CERTIFICATE, issuer, d(issued), lot=lot)


def report(issuer="LAB-EG-0042", issued="2026-01-20", lot="LOT-1", tests=(AFLATOXINS,), body=None,
           under_accreditation=True) -> Attestation:
    return Attestation(T.TESTING, issuer, d(issued), body, None, lot, tests, under_accreditation)


def groundnuts(*documents: Attestation, clear="2026-03-01", exporter="EG", importer="FR",
               hs="120242") -> Consignment:
    return Consignment(exporter, importer, hs, d(clear), "LOT-1", attestations=documents)


def decide_in(w: World, c: Consignment):
    return decide(w.snapshot(), c)


def outcome(decision):
    return decision.outcome, decision.reason


# -- S44-S48 on the engine's own world ---------------------------------------------------------------------------

def test_s44_both_requirements_met_is_recognised_with_border_checks():
    decision = decide_in(world(), groundnuts(certificate(), report()))
    assert outcome(decision) == (Outcome.RECOGNISED, R.OFFICIAL_CERTIFICATE_ROUTE)
    assert [r.kind for r in decision.routes] == [RouteKind.OFFICIAL_CERTIFICATE, RouteKind.ANY]
    assert decision.route.kind is RouteKind.OFFICIAL_CERTIFICATE
    assert [(r.code, r.requirement) for r in decision.reasons] == [(R.OFFICIAL_CERTIFICATE_ROUTE, 0), (R.ANY_ROUTE, 1)]
    assert {w.code for w in decision.warnings} == {W.BORDER_CHECKS}
    assert "30 %" in decision.warnings[0].message
    assert decision.issue_date == d("2026-02-01")  # the first requirement's document
    assert {link.requirement for link in decision.path} == {None, 0}  # the any-issuer route rests on no record


def test_s45_the_missing_certificate_fails_its_requirement():
    decision = decide_in(world(), groundnuts(report()))
    assert outcome(decision) == (Outcome.RETEST_REQUIRED, R.WRONG_ATTESTATION_TYPE)
    assert [(r.code, r.requirement) for r in decision.reasons] == [(R.WRONG_ATTESTATION_TYPE, 0), (R.ANY_ROUTE, 1)]
    assert decision.routes == () and decision.route is None


def test_nothing_presented_is_no_attestation():
    assert decide_in(world(), groundnuts()).reason is R.NO_ATTESTATION


def test_s46_s47_the_importers_list():
    toys = dict(importer="US", hs="950300", clear="2026-03-01")
    decision = decide_in(world(), groundnuts(report("LCN", "2026-02-01", tests=("ISO 8124-1",)), exporter="CN", **toys))
    assert outcome(decision) == (Outcome.RETEST_REQUIRED, R.NOT_ON_ACCEPTANCE_LIST)
    decision = decide_in(world(), groundnuts(report("LCA", "2026-02-01", tests=("ISO 8124-1",)), exporter="CA", **toys))
    assert outcome(decision) == (Outcome.RECOGNISED, R.LIST_ROUTE)
    assert (decision.route.kind, decision.route.acceptance_list) == (RouteKind.LIST, "US-TOY-LABS")
    assert any(link.kind.value == "LIST_ENTRY" for link in decision.path)


def test_s48_a_rule_for_other_origins_does_not_apply():
    decision = decide_in(world(), groundnuts(exporter="US"))
    assert outcome(decision) == (Outcome.NOT_REQUIRED, R.NO_REQUIREMENT)


# -- the official-certificate route ------------------------------------------------------------------------------

@pytest.mark.parametrize("issuer, reason", [("AUTH-FR", R.NOT_COMPETENT_AUTHORITY),  # another economy's authority
                                            ("LFR", R.NOT_COMPETENT_AUTHORITY)])  # not a regulatory authority
def test_only_the_exporters_competent_authority_issues_the_certificate(issuer, reason):
    decision = decide_in(world(), groundnuts(certificate(issuer), report()))
    assert outcome(decision) == (Outcome.RETEST_REQUIRED, reason)


@pytest.mark.parametrize("issued, passes", [("2018-12-31", False), ("2019-01-01", True)])
def test_competence_holds_from_its_start(issued, passes):
    decision = decide_in(world(), groundnuts(certificate(issued=issued), report(issued=issued),
                                             clear=add_months(d(issued), 1).isoformat()))
    assert (decision.outcome is Outcome.RECOGNISED) is passes
    assert passes or decision.reason is R.NOT_COMPETENT_AUTHORITY


def test_competence_covers_only_its_hs_codes():
    w = world().policy("P-EU-0801-EG", "EU", ("0801",), T.OFFICIAL_CERTIFICATE, (), (official(),), origins=("EG",))
    decision = decide_in(w, groundnuts(certificate(), hs="080111"))
    assert outcome(decision) == (Outcome.RETEST_REQUIRED, R.NOT_COMPETENT_AUTHORITY)


def test_a_certificate_from_an_authority_the_registry_does_not_hold_is_undetermined():
    decision = decide_in(world(), groundnuts(certificate("AUTH-EG-NOT-HELD"), report()))
    assert outcome(decision) == (Outcome.UNDETERMINED, R.CAB_NOT_RECORDED)
    assert [c.code for c in decision.checks] == [R.CAB_NOT_RECORDED]


def test_an_official_certificate_policy_takes_precedence_over_sps_equivalence():
    w = world().policy("P-EU-0406-NZ", "EU", ("0406",), T.OFFICIAL_CERTIFICATE, (), (official(),), origins=("NZ",))
    w.cab("AUTH-NZ", "NZ", CabKind.REGULATORY_AUTHORITY).competence("AUTH-NZ", ("04",), "2003-01-01")
    decision = decide_in(w, groundnuts(certificate("AUTH-NZ"), exporter="NZ", importer="DE", hs="040690"))
    assert outcome(decision) == (Outcome.RECOGNISED, R.OFFICIAL_CERTIFICATE_ROUTE)
    assert decide_in(world(), groundnuts(exporter="NZ", importer="DE", hs="040690")).reason is R.SPS_EQUIVALENCE


# -- month ages --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("day, months, expected", [
    ("2025-10-31", 4, "2026-02-28"), ("2023-10-31", 4, "2024-02-29"), ("2026-01-31", 1, "2026-02-28"),
    ("2026-01-15", 6, "2026-07-15"), ("2025-11-30", 3, "2026-02-28"), ("2024-02-29", 12, "2025-02-28"),
])
def test_add_months_clamps_to_the_months_end(day, months, expected):
    assert add_months(d(day), months) == d(expected)


@pytest.mark.parametrize("clear, fresh", [("2026-02-28", True), ("2026-03-01", False)])
def test_a_certificate_is_too_old_the_day_after_its_months(clear, fresh):
    decision = decide_in(world(), groundnuts(certificate(issued="2025-10-31"), report(issued="2025-10-31"), clear=clear))
    assert (decision.outcome is Outcome.RECOGNISED) is fresh
    assert fresh or (decision.reason, decision.reasons[0].requirement) == (R.REPORT_TOO_OLD, 0)


@pytest.mark.parametrize("clear, fresh", [("2024-02-29", True), ("2024-03-01", False)])
def test_month_ages_in_a_leap_year(clear, fresh):
    decision = decide_in(world(), groundnuts(certificate(issued="2023-10-31"), report(issued="2023-10-31"), clear=clear))
    assert (decision.outcome is Outcome.RECOGNISED) is fresh


def test_each_requirement_has_its_own_clock():
    # the certificate (4 months) is fresh; the laboratory report (6 months) is too old
    decision = decide_in(world(), groundnuts(certificate(issued="2026-01-01"), report(issued="2025-08-31"),
                                             clear="2026-03-01"))
    assert outcome(decision) == (Outcome.RETEST_REQUIRED, R.REPORT_TOO_OLD)
    assert [r.requirement for r in decision.reasons if r.code is R.REPORT_TOO_OLD] == [1]


# -- the any-issuer route ----------------------------------------------------------------------------------------

def test_any_issuer_still_reads_the_document():
    assert decide_in(world(), groundnuts(certificate(), report(lot="OTHER"))).reason is R.LOT_MISMATCH
    assert decide_in(world(), groundnuts(certificate(), report(tests=("ISO 6579-1",)))).reason is \
        R.MISSING_REQUIRED_TEST
    # but not the accreditation: an unaccredited report of an unaccredited laboratory is accepted
    decision = decide_in(world(), groundnuts(certificate(), report("LAB-EG-NOT-ACCREDITED", under_accreditation=False)))
    assert decision.outcome is Outcome.RECOGNISED


def test_a_refuted_document_refuses_the_whole_consignment():
    w = world().lookalike("GASB")
    decision = decide_in(w, groundnuts(certificate(), report(body="GASB")))
    assert outcome(decision) == (Outcome.INVALID, R.UNRECOGNISED_ACCREDITATION_BODY)


# -- several documents ---------------------------------------------------------------------------------------------

def test_a_document_no_requirement_uses_is_warned_about():
    extra = Attestation(T.INSPECTION, "LFR", d("2026-02-01"), lot="LOT-1")
    decision = decide_in(world(), groundnuts(certificate(), report(), extra))
    assert decision.outcome is Outcome.RECOGNISED
    assert W.ATTESTATION_NOT_REQUIRED in {w.code for w in decision.warnings}
    assert W.ATTESTATION_NOT_REQUIRED not in {w.code for w in decide_in(world(), groundnuts(certificate(), report())).warnings}


def test_of_several_documents_of_one_type_the_one_that_gets_furthest_decides():
    stale = report(issued="2025-01-01")
    decision = decide_in(world(), groundnuts(certificate(), stale, report()))
    assert decision.outcome is Outcome.RECOGNISED
    assert W.ATTESTATION_NOT_REQUIRED in {w.code for w in decision.warnings}  # the stale one was not used


def test_a_failing_requirement_beats_an_unknown_one_and_unknown_beats_recognised():
    w = world()
    unknown_certificate = certificate("AUTH-EG-NOT-HELD")
    decision = decide_in(w, groundnuts(unknown_certificate, report(lot="OTHER")))
    assert outcome(decision) == (Outcome.RETEST_REQUIRED, R.LOT_MISMATCH)
    assert decision.checks == ()  # the checks of an unknown requirement belong to UNDETERMINED decisions only
    decision = decide_in(w, groundnuts(unknown_certificate, report()))
    assert outcome(decision) == (Outcome.UNDETERMINED, R.CAB_NOT_RECORDED)


def test_attestation_and_attestations_cannot_both_be_given():
    c = Consignment("EG", "FR", "120242", date(2026, 3, 1), "LOT-1", certificate(), (report(),))
    with pytest.raises(InvalidInput):
        decide(world().snapshot(), c)


# -- which policy applies ----------------------------------------------------------------------------------------

def test_a_policy_listing_origins_beats_one_without_on_a_tie_but_not_a_longer_prefix():
    w = world().policy("P-EU-1202-ALL", "EU", ("1202",), T.TESTING, (AFLATOXINS,), (anyone(),))
    assert decide_in(w, groundnuts(certificate(), report())).policy == "P-EU-1202-EG"
    assert decide_in(w, groundnuts(report(), exporter="US")).policy == "P-EU-1202-ALL"
    w.policy("P-EU-120242", "EU", ("120242",), T.TESTING, (AFLATOXINS,), (anyone(),))
    assert decide_in(w, groundnuts(certificate(), report())).policy == "P-EU-120242"


def test_origins_may_name_a_union():
    w = world().policy("P-JP-1202-EU", "JP", ("1202",), T.TESTING, (AFLATOXINS,), (anyone(),), origins=("EU",))
    assert decide_in(w, groundnuts(report(), exporter="FR", importer="JP")).policy == "P-JP-1202-EU"
    decision = decide_in(w.declare("JP-12", CK.IMPORT_POLICIES, importer="JP", hs_prefixes=("12",)),
                         groundnuts(report(), exporter="EG", importer="JP"))
    assert decision.reason is R.NO_REQUIREMENT


def test_an_official_certificate_is_never_asked_for_an_accreditation_mark():
    unmarked = Attestation(T.OFFICIAL_CERTIFICATE, "AUTH-EG-NOT-HELD", d("2026-02-01"), lot="LOT-1",
                           under_accreditation=False)
    decision = decide_in(world(), groundnuts(unmarked, report()))
    assert outcome(decision) == (Outcome.UNDETERMINED, R.CAB_NOT_RECORDED)


def test_issue_date_is_the_first_requirements_document_and_none_when_it_has_none():
    decision = decide_in(world(), groundnuts(report(issued="2026-01-20")))
    assert decision.reason is R.WRONG_ATTESTATION_TYPE and decision.issue_date is None
    assert decide_in(world(), groundnuts(certificate(issued="2026-02-01"), report())).issue_date == d("2026-02-01")


def test_a_competent_authority_claiming_an_accreditation_not_held_is_undetermined():
    claiming = Attestation(T.OFFICIAL_CERTIFICATE, "AUTH-EG", d("2026-02-01"), "NZAB", lot="LOT-1")
    decision = decide_in(world().without_declarations(), groundnuts(claiming, report()))
    assert outcome(decision) == (Outcome.UNDETERMINED, R.ACCREDITATION_NOT_RECORDED)


def test_a_list_route_rests_on_the_cabs_accreditation_too():
    decision = decide_in(world(), groundnuts(report("LCA", "2026-02-01", tests=("ISO 8124-1",)), exporter="CA",
                                             importer="US", hs="950300", clear="2026-03-01"))
    assert [link.kind.value for link in decision.path if link.requirement == 0] == ["CAB", "ACCREDITATION",
                                                                                     "LIST_ENTRY"]
