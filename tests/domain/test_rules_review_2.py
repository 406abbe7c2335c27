"""A second, independent review of the engine against RULES.md: INVALID input, NOT_REQUIRED corners, the
government route in full, SPS equivalence, route ordering, when each warning is (and is not) added,
regulators, domestic-only policies and accreditation-number claims.

Every body, laboratory, policy, designation and date here is an INVENTED FIXTURE (``engine_world`` plus the
variations below): no statement about any real body or any economy's law.
"""
from __future__ import annotations

import pytest
from engine_world import A, K, S, T, arr, consignment, decide_in, gov, item, standard_world, warning_codes

from mra_registry.domain.codes import CabKind, Outcome, ReasonCode as R, RouteKind, WarningCode as W
from mra_registry.domain.engine import decide
from mra_registry.domain.errors import InputErrorCode, InvalidInput

RECOGNISED_ARR = (Outcome.RECOGNISED, R.ARRANGEMENT_ROUTE)
RECOGNISED_GOV = (Outcome.RECOGNISED, R.GOVERNMENT_ROUTE)
DE_US = dict(exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB", issue="2026-05-01", clear="2026-06-01")


def outcome(decision):
    return decision.outcome, decision.reason


# -- INVALID input and step 1 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("hs", ["04069", "04069012345", "0406.90", "0406 90", "", "04069O"])
def test_hs_code_format_is_checked_before_anything_else(hs):
    # "A consignment's HS code has 6 to 10 digits"; refused even with an unknown issuer presented
    with pytest.raises(InvalidInput) as raised:
        decide(standard_world().snapshot(), consignment(hs=hs, issuer="LAB-X-9999"))
    assert raised.value.code is InputErrorCode.INVALID_HS_CODE


def test_an_unknown_issuer_is_reported_before_an_unregistered_body_and_a_future_date():
    # Step 1 lists UNKNOWN_CAB, UNRECOGNISED_ACCREDITATION_BODY, ACCREDITATION_MISMATCH, FUTURE_DATED in that order
    decision = decide_in(standard_world(), issuer="LAB-X-9999", body="GASB", issue="2030-01-01")
    assert outcome(decision) == (Outcome.INVALID, R.UNKNOWN_CAB)
    decision = decide_in(standard_world(), body="GASB", issue="2030-01-01")
    assert outcome(decision) == (Outcome.INVALID, R.UNRECOGNISED_ACCREDITATION_BODY)


def test_invalid_carries_no_policy_and_no_warning():
    # "Warnings ... only from the steps that ran": step 1 ends before the requirement step
    decision = decide_in(standard_world(), exporter="NZ", importer="DE", issue="2025-09-02", clear="2025-09-01")
    assert outcome(decision) == (Outcome.INVALID, R.FUTURE_DATED)
    assert decision.warnings == () and decision.policy is None


def test_a_number_of_an_expired_accreditation_of_the_cab_is_no_mismatch():
    # "ACCREDITATION_MISMATCH: ... not that of any accreditation the registry has ever held for that CAB, in
    # any activity or state" -- an old number is authentic; step 5 then finds it not active
    w = standard_world().accreditation("LNZ", "NZAB-OLD", "NZAB", A.TESTING, "2010-01-01", "2015-12-31",
                                       item("ISO 11290-1", "04"))
    assert decide_in(w, importer="AU", number="NZAB-OLD").reason is not R.ACCREDITATION_MISMATCH
    assert outcome(decide_in(w, importer="AU", number="NZAB-9")) == (Outcome.INVALID, R.ACCREDITATION_MISMATCH)


# -- NOT_REQUIRED ------------------------------------------------------------------------------------------------

def test_intra_union_wins_over_a_policy_of_the_importer_itself():
    # Step 2 order: INTRA_UNION before policies (a member's own policy does not apply inside the single market)
    w = standard_world().policy("P-DE-0406", "DE", ("0406",), T.TESTING, (), (arr("ILAC_MRA"),))
    decision = decide_in(w, exporter="FR", importer="DE", issuer=None)
    assert outcome(decision) == (Outcome.NOT_REQUIRED, R.INTRA_UNION)
    assert decision.warnings == () and decision.policy is None


def test_a_former_member_exporting_into_the_union_after_leaving_is_not_intra_union():
    # GB member until 2020-12-31 (read on D_clear)
    w = standard_world()
    assert decide_in(w, exporter="GB", importer="FR", issuer=None, clear="2020-12-31").reason is R.INTRA_UNION
    decision = decide_in(w, exporter="GB", importer="FR", issuer=None, clear="2021-01-01")
    assert (decision.reason, decision.policy) == (R.NO_ATTESTATION, "P-EU-0406")


def test_a_policy_ending_the_day_before_clearance_no_longer_applies():
    # policies are dated intervals, inclusive; "in force on D_clear"
    w = standard_world().policy("P-AU-0406", "AU", ("0406",), T.TESTING, (), (arr("ILAC_MRA"),), 90,
                                start="2025-01-01", end="2025-08-31")
    assert decide_in(w, importer="AU", issuer=None, clear="2025-08-31").reason is R.NO_ATTESTATION
    decision = decide_in(w, importer="AU", issuer=None, clear="2025-09-01")
    assert outcome(decision) == (Outcome.NOT_REQUIRED, R.NO_REQUIREMENT)
    assert warning_codes(decision) == set()
    # the issue date plays no part in whether a policy applies
    assert decide_in(w, importer="AU", issue="2025-01-02", clear="2025-09-01").reason is R.NO_REQUIREMENT


def test_a_union_policy_excluding_the_code_leaves_no_requirement():
    w = standard_world().policy("P-EU-0406", "EU", ("0406",), T.TESTING, (), (arr("ILAC_MRA"),),
                                excluded=("040690",))
    decision = decide_in(w, exporter="JP", importer="DE", issuer=None)
    assert outcome(decision) == (Outcome.NOT_REQUIRED, R.NO_REQUIREMENT)
    assert decide_in(w, exporter="JP", importer="DE", hs="040610", issuer=None).policy == "P-EU-0406"


def test_several_equal_policies_without_an_attestation_take_the_first_by_code():
    # "if several are still left, the one whose required type is the presented attestation's type, else the
    # first by policy code"
    w = standard_world()
    w.policy("P-AU-0406-B", "AU", ("0406",), T.INSPECTION, (), (arr("ILAC_MRA"),))
    w.policy("P-AU-0406-A", "AU", ("0406",), T.PRODUCT_CERTIFICATION, (), (arr("ILAC_MRA"),))
    assert decide_in(w, importer="AU", issuer=None).policy == "P-AU-0406"
    assert decide_in(w, importer="AU", type=T.INSPECTION).policy == "P-AU-0406-B"
    # a presented type none of them requires: the first by code, then WRONG_ATTESTATION_TYPE
    decision = decide_in(w, importer="AU", type=T.CALIBRATION)
    assert (decision.policy, decision.reason) == ("P-AU-0406", R.WRONG_ATTESTATION_TYPE)


# -- SPS equivalence ---------------------------------------------------------------------------------------------

def test_sps_equivalence_reads_membership_on_clearance_and_beats_a_policy():
    # fixture: HR joins the union on 2013-07-01; the EU-NZ SPS agreement binds it from then
    w = standard_world().member("EU", "HR", "2013-07-01")
    kwargs = dict(exporter="NZ", importer="HR", issuer=None)
    assert decide_in(w, clear="2013-06-30", **kwargs).reason is R.NO_REQUIREMENT
    decision = decide_in(w, clear="2013-07-01", **kwargs)
    assert outcome(decision) == (Outcome.NOT_REQUIRED, R.SPS_EQUIVALENCE)
    assert warning_codes(decision) == {W.OFFICIAL_CERTIFICATE_REQUIRED} and decision.policy is None


def test_sps_equivalence_excluded_prefix_and_start_date():
    w = standard_world().arrangement("EU_NZ_SPS", K.SPS_EQUIVALENCE, parties=("EU", "NZ"), hs_prefixes=("04",),
                                     excluded_hs_prefixes=("0406",), valid_from="2003-02-01")
    assert decide_in(w, importer="DE", issuer=None).reason is R.NO_ATTESTATION  # P-EU-0406
    assert decide_in(w, importer="DE", hs="040110", issuer=None).reason is R.SPS_EQUIVALENCE
    assert decide_in(w, importer="DE", hs="040110", issuer=None, clear="2003-01-31").reason is R.NO_REQUIREMENT


def test_sps_equivalence_does_not_apply_to_a_third_economy():
    w = standard_world()  # EU-NZ only
    assert decide_in(w, exporter="AU", importer="DE", issuer=None).reason is R.NO_ATTESTATION


# -- The government route ----------------------------------------------------------------------------------------

def test_a_designation_ending_the_day_before_issue_is_not_a_designation():
    w = standard_world().without_designations("LDE")
    w.designation("LDE", "EU_US_MRA", "EU-US-TEL", "US", "2018-01-01", "2026-04-30")
    assert decide_in(w, **DE_US).reason is R.CAB_NOT_DESIGNATED
    # a designation ending after issue, before clearance, does not taint the attestation
    assert outcome(decide_in(w, **{**DE_US, "issue": "2026-04-30"})) == RECOGNISED_GOV


def test_termination_without_voids_existing_keeps_earlier_attestations():
    # "if the sector was terminated with voidsExisting, it is still operational on D_clear": without it,
    # an attestation issued while the sector operated stands
    w = standard_world()
    w.sector("EU_CH_MRA", "EU-CH-MD", ("9018",), (T.PRODUCT_CERTIFICATION,),
             (("EU", "CH", T.PRODUCT_CERTIFICATION, "2002-06-01", "2021-05-25"),), termination=("2021-05-26", False))
    kwargs = dict(exporter="CH", importer="FR", hs="901890", issuer="LCH", body="CHAB", type=T.PRODUCT_CERTIFICATION)
    assert outcome(decide_in(w, issue="2021-05-25", clear="2021-07-01", **kwargs)) == RECOGNISED_GOV
    assert decide_in(w, issue="2021-05-26", clear="2021-07-01", **kwargs).reason is R.SECTOR_NOT_OPERATIONAL


def test_designation_is_checked_after_operation():
    # order 2 before 3: a non-designated CAB in a sector not operational on D_issue is SECTOR_NOT_OPERATIONAL
    w = standard_world().without_designations("LCH")
    kwargs = dict(exporter="CH", importer="FR", hs="901890", issuer="LCH", body="CHAB", type=T.PRODUCT_CERTIFICATION)
    assert decide_in(w, issue="2021-06-01", clear="2021-07-01", **kwargs).reason is R.SECTOR_NOT_OPERATIONAL
    assert decide_in(w, issue="2021-03-01", clear="2021-04-01", **kwargs).reason is R.CAB_NOT_DESIGNATED


def test_a_regulator_outside_its_sectors_is_sector_not_covered():
    # AUTH-DE is recognised for human GMP only; the veterinary line is excluded from that sector
    w = standard_world().policy("P-US-3004-V", "US", ("30049092",), T.GMP_INSPECTION, (), (gov(),))
    decision = decide_in(w, exporter="DE", importer="US", hs="3004909200", issuer="AUTH-DE", body=None,
                         type=T.GMP_INSPECTION, issue="2024-01-10", clear="2024-02-01")
    assert outcome(decision) == (Outcome.RETEST_REQUIRED, R.SECTOR_NOT_COVERED)
    assert decision.warnings == ()


def test_a_regulators_report_without_the_symbol_is_not_refused_for_it():
    # Step 5 (which holds NOT_ISSUED_UNDER_ACCREDITATION) is skipped for REGULATORY_AUTHORITY
    decision = decide_in(standard_world(), exporter="DE", importer="US", hs="300490", issuer="AUTH-DE", body=None,
                         type=T.GMP_INSPECTION, issue="2020-01-10", clear="2020-02-01", under_accreditation=False,
                         lot=None, shipped_lot=None)
    assert outcome(decision) == RECOGNISED_GOV
    assert (decision.route.arrangement, decision.route.sector) == ("EU_US_MRA", "EU-US-GMP-H")


def test_a_regulator_claiming_an_accreditation_is_a_mismatch():
    # a regulator holds no accreditation, so any claimed body is "not that of any accreditation ... ever held"
    decision = decide_in(standard_world(), exporter="DE", importer="US", hs="300490", issuer="AUTH-DE",
                         body="DEAB", type=T.GMP_INSPECTION, issue="2020-01-10", clear="2020-02-01")
    assert outcome(decision) == (Outcome.INVALID, R.ACCREDITATION_MISMATCH)


# -- Routes in order ---------------------------------------------------------------------------------------------

def test_primary_reason_is_the_first_routes_and_reasons_hold_every_route():
    w = standard_world().policy("P-US-0406", "US", ("0406",), T.TESTING, ("ISO 11290-1",),
                                (gov(), arr("IAAC_MLA")), 90, lot=True)
    decision = decide_in(w, exporter="DE", importer="US", issuer="LDE", body="DEAB")
    assert outcome(decision) == (Outcome.RETEST_REQUIRED, R.SECTOR_NOT_COVERED)
    assert [(r.code, r.route) for r in decision.reasons] == [
        (R.SECTOR_NOT_COVERED, "GOVERNMENT[any]"), (R.AB_NOT_SIGNATORY_FOR_SCOPE, "ARRANGEMENT[IAAC_MLA]")]
    assert decision.route is None


def test_a_later_route_passing_is_reported_with_the_earlier_failures():
    w = standard_world().policy("P-US-0406", "US", ("0406",), T.TESTING, ("ISO 11290-1",),
                                (gov(), arr("IAAC_MLA", "ILAC_MRA")), 90, lot=True)
    decision = decide_in(w, exporter="DE", importer="US", issuer="LDE", body="DEAB")
    assert outcome(decision) == RECOGNISED_ARR
    assert [r.code for r in decision.reasons] == [R.SECTOR_NOT_COVERED, R.ARRANGEMENT_ROUTE]
    assert (decision.route.kind, decision.route.arrangement, decision.route.sector) == (
        RouteKind.ARRANGEMENT, "ILAC_MRA", None)


def test_routes_after_the_passing_one_are_not_tried():
    w = standard_world().policy("P-JP-0406", "JP", ("0406",), T.TESTING, (), (arr("ILAC_MRA"), gov()), 180)
    decision = decide_in(w)
    assert [r.code for r in decision.reasons] == [R.ARRANGEMENT_ROUTE]


# -- Domestic-only policies and warnings -------------------------------------------------------------------------

def test_a_policy_with_no_route_still_runs_steps_3_to_6_first():
    w = standard_world()  # P-KR-0406: no route
    assert decide_in(w, importer="KR", type=T.CALIBRATION).reason is R.WRONG_ATTESTATION_TYPE
    assert decide_in(w, importer="KR", under_accreditation=False).reason is R.NOT_ISSUED_UNDER_ACCREDITATION
    decision = decide_in(w, importer="KR")
    assert outcome(decision) == (Outcome.RETEST_REQUIRED, R.ROUTE_NOT_ACCEPTED_FOR_SECTOR)
    assert [r.code for r in decision.reasons] == [R.ROUTE_NOT_ACCEPTED_FOR_SECTOR] and decision.route is None


def test_a_domestic_lab_gets_no_route_either():
    # "A policy with no route gives ROUTE_NOT_ACCEPTED_FOR_SECTOR" (RECOGNISED needs a route that passed)
    w = standard_world()
    w.cab("LKR", "KR").accreditation("LKR", "KRAB-1", "KRAB", A.TESTING, "2020-01-01", "2028-12-31",
                                     item("ISO 11290-1", "04"), item("ISO 6579-1", "04"))
    w.status("KRAB", "ILAC_MRA", A.TESTING, S.SIGNATORY, "2001-01-31")
    assert decide_in(w, exporter="NZ", importer="KR", issuer="LKR", body="KRAB").reason is \
        R.ROUTE_NOT_ACCEPTED_FOR_SECTOR


def test_cab_accreditation_changed_is_added_on_a_failing_route_and_not_before_step_5():
    w = standard_world().replace_accreditation("LNZ", "NZAB-1", valid_to="2025-08-20")
    decision = decide_in(w, importer="KR", issue="2025-08-10", clear="2025-09-01")
    assert decision.reason is R.ROUTE_NOT_ACCEPTED_FOR_SECTOR
    assert warning_codes(decision) == {W.CAB_ACCREDITATION_CHANGED_SINCE_ISSUE}
    decision = decide_in(w, importer="KR", issue="2025-08-10", clear="2025-09-01", lot="X")
    assert decision.reason is R.LOT_MISMATCH and decision.warnings == ()


def test_ab_status_changed_is_not_added_on_a_government_route():
    # DEAB withdrawn from ILAC after issue: the government route does not read signatory statuses
    w = standard_world().without_statuses("DEAB")
    w.history("DEAB", "ILAC_MRA", A.TESTING, (S.SIGNATORY, "2010-01-01"), (S.WITHDRAWN, "2026-05-10"))
    decision = decide_in(w, **DE_US)
    assert outcome(decision) == RECOGNISED_GOV and decision.warnings == ()


def test_ab_status_changed_is_not_added_on_a_failing_arrangement_route():
    w = standard_world().without_statuses("KGAB")
    w.history("KGAB", "ILAC_MRA", A.TESTING, (S.SIGNATORY, "2001-01-31"), (S.SUSPENDED, "2018-01-01"),
              (S.WITHDRAWN, "2018-12-01"))
    decision = decide_in(w, exporter="KG", importer="AU", issuer="LKG", body="KGAB", issue="2018-10-01",
                         clear="2018-12-15")
    assert decision.reason is R.AB_SUSPENDED_AT_ISSUE
    assert W.AB_STATUS_CHANGED_SINCE_ISSUE not in warning_codes(decision)


def test_a_government_route_for_a_union_member_importer_reads_the_unions_designation():
    # fixture: a US lab designated under EU-US-TEL for the EU's requirements; importer FR (an EU member on D_clear)
    w = standard_world().policy("P-EU-8517", "EU", ("8517",), T.TESTING, ("FCC Part 15",), (gov(),), 365)
    w.designation("LUS", "EU_US_MRA", "EU-US-TEL", "EU", "2018-01-01")
    kwargs = dict(exporter="US", hs="851762", issuer="LUS", body="USAB", issue="2026-05-01", clear="2026-06-01")
    decision = decide_in(w, importer="FR", **kwargs)
    assert outcome(decision) == RECOGNISED_GOV and decision.policy == "P-EU-8517"
    # GB after the transition period: neither the union's policy nor its agreement applies
    assert decide_in(w, importer="GB", **kwargs).reason is R.NO_REQUIREMENT
