"""A review of the engine against RULES.md, sentence by sentence: edge cases the other domain tests do not pin
down yet (date edges on both sides, succession corners, union membership on the right date, HS exclusions on
national tariff lines, precedence between reasons).

Every body, laboratory, policy and date here is an INVENTED FIXTURE (``engine_world`` plus the variations
below): no statement about any real body or any economy's law.
"""
from __future__ import annotations

import pytest
from engine_world import A, K, S, T, arr, decide_in, gov, item, shift, standard_world, warning_codes

from mra_registry.domain.codes import Outcome, ReasonCode as R, WarningCode as W

RECOGNISED_ARR = (Outcome.RECOGNISED, R.ARRANGEMENT_ROUTE)
RECOGNISED_GOV = (Outcome.RECOGNISED, R.GOVERNMENT_ROUTE)


def outcome(decision):
    return decision.outcome, decision.reason


# -- Dates: inclusive bounds of every kind of interval ---------------------------------------------------------

def test_sps_agreement_end_is_inclusive_on_clearance():
    # fixture: the EU-NZ agreement ends on 2030-06-30
    w = standard_world().arrangement("EU_NZ_SPS", K.SPS_EQUIVALENCE, parties=("EU", "NZ"), hs_prefixes=("04",),
                                     valid_from="2003-02-01", valid_to="2030-06-30")
    kwargs = dict(importer="DE", issuer=None)
    assert decide_in(w, clear="2030-06-30", **kwargs).reason is R.SPS_EQUIVALENCE
    assert decide_in(w, clear="2030-07-01", **kwargs).reason is R.NO_ATTESTATION  # P-EU-0406 applies again


def test_union_membership_start_is_read_on_clearance_for_both_sides():
    # fixture: HR joins the union on 2013-07-01
    w = standard_world().member("EU", "HR", "2013-07-01")
    w.status("HRAB", "ILAC_MRA", A.TESTING, S.SIGNATORY, "2001-01-31")
    w.cab("LHR", "HR").accreditation("LHR", "HRAB-1", "HRAB", A.TESTING, "2010-01-01", "2028-12-31",
                                     item("ISO 11290-1", "04"), item("ISO 6579-1", "04"))
    kwargs = dict(exporter="HR", importer="DE", issuer="LHR", body="HRAB", issue="2013-06-20")
    assert decide_in(w, clear="2013-06-30", **kwargs).policy == "P-EU-0406"  # not yet a member: the union's policy
    assert decide_in(w, clear="2013-07-01", **kwargs).reason is R.INTRA_UNION
    # HR importing: the union's policy applies to it from the day it joins
    kwargs = dict(exporter="JP", importer="HR", issuer=None)
    assert decide_in(w, clear="2013-06-30", **kwargs).reason is R.NO_REQUIREMENT
    assert decide_in(w, clear="2013-07-01", **kwargs).policy == "P-EU-0406"


def test_exporters_union_on_a_government_route_is_read_on_issue_not_clearance():
    # fixture: HR joins on 2013-07-01; a HR lab designated under the EU-US telecom sector from 2013-01-01
    w = standard_world().member("EU", "HR", "2013-07-01")
    w.cab("LHR", "HR").accreditation("LHR", "HRAB-1", "HRAB", A.TESTING, "2010-01-01", "2028-12-31",
                                     item("FCC Part 15", "8517"))
    w.designation("LHR", "EU_US_MRA", "EU-US-TEL", "US", "2013-01-01")
    kwargs = dict(exporter="HR", importer="US", hs="851762", issuer="LHR", body="HRAB", clear="2013-08-01")
    assert decide_in(w, issue="2013-06-30", **kwargs).reason is R.SECTOR_NOT_COVERED  # no agreement HR-US then
    assert outcome(decide_in(w, issue="2013-07-01", **kwargs)) == RECOGNISED_GOV


def test_phase_not_implemented_from_the_day_the_other_phase_starts():
    w = standard_world()  # APEC TEL: US-TW testing operational from 2001-05-01, certification never
    w.cab("LTWC", "TW").accreditation("LTWC", "TWAB-2", "TWAB", A.PRODUCT_CERTIFICATION, "1999-01-01", "2030-12-31",
                                        item("TELECOM-EQ-CERT", "8517"))
    w.designation("LTWC", "APEC_TEL_MRA", "APEC-TEL", "US", "1999-01-01")
    w.policy("P-US-8517-CERT", "US", ("8517",), T.PRODUCT_CERTIFICATION, ("TELECOM-EQ-CERT",),
             (gov("APEC_TEL_MRA"),), 365)
    w.without_policy("P-US-8517")
    kwargs = dict(exporter="TW", importer="US", hs="851762", issuer="LTWC", body="TWAB",
                  type=T.PRODUCT_CERTIFICATION, lot=None, shipped_lot=None)
    assert decide_in(w, issue="2001-04-30", clear="2001-05-10", **kwargs).reason is R.SECTOR_NOT_OPERATIONAL
    assert decide_in(w, issue="2001-05-01", clear="2001-05-10", **kwargs).reason is R.PHASE_NOT_IMPLEMENTED


def test_max_age_zero_accepts_only_a_report_of_the_clearance_day():
    w = standard_world().policy("P-JP-0406", "JP", ("0406",), T.TESTING, ("ISO 11290-1",), (arr("ILAC_MRA"),), 0,
                                lot=True)
    assert outcome(decide_in(w, issue="2025-09-01", clear="2025-09-01")) == RECOGNISED_ARR
    assert decide_in(w, issue="2025-08-31", clear="2025-09-01").reason is R.REPORT_TOO_OLD


# -- Succession corners ------------------------------------------------------------------------------------------

def test_an_own_suspension_in_the_successor_from_the_succession_date_is_suspended_at_issue():
    # fixture: NZAB's own Global ACI record says SUSPENDED from 2026-01-01 (its ILAC status does not continue)
    w = standard_world().status("NZAB", "GLOBAL_ACI_MRA", A.TESTING, S.SUSPENDED, "2026-01-01")
    assert outcome(decide_in(w, issue="2025-12-31", clear="2026-01-05")) == RECOGNISED_ARR
    decision = decide_in(w, issue="2026-01-01", clear="2026-01-05")
    assert decision.reason is R.AB_SUSPENDED_AT_ISSUE
    assert W.SUCCESSION_APPLIED in warning_codes(decision)


def test_issued_before_the_succession_and_cleared_after_is_read_in_the_successor_for_the_warning():
    # fixture: NZAB suspended in ILAC from 2025-12-31, so the status continued into Global ACI is SUSPENDED
    w = standard_world().without_statuses("NZAB")
    w.history("NZAB", "ILAC_MRA", A.TESTING, (S.SIGNATORY, "2001-01-31"), (S.SUSPENDED, "2025-12-31"))
    decision = decide_in(w, issue="2025-12-30", clear="2026-01-10")
    assert outcome(decision) == RECOGNISED_ARR and decision.route.arrangement == "ILAC_MRA"
    assert warning_codes(decision) == {W.AB_STATUS_CHANGED_SINCE_ISSUE}


# -- HS codes: national tariff lines and exclusions ---------------------------------------------------------------

@pytest.mark.parametrize("hs, policy", [("3004901000", "P-US-3004"), ("3004909200", "P-US-3004-V"),
                                        ("30049092", "P-US-3004-V"), ("300490", "P-US-3004")])
def test_an_excluded_national_tariff_line_goes_to_the_longer_policy(hs, policy):
    w = standard_world()
    w.policy("P-US-3004", "US", ("3004",), T.GMP_INSPECTION, (), (gov(),), excluded=("30049092",))
    w.policy("P-US-3004-V", "US", ("30049092",), T.GMP_INSPECTION, (), (gov(),))
    decision = decide_in(w, exporter="DE", importer="US", hs=hs, issuer=None)
    assert decision.policy == policy and decision.reason is R.NO_ATTESTATION


# -- Precedence between reasons -----------------------------------------------------------------------------------

def test_a_mismatched_accreditation_claim_is_reported_before_a_future_date():
    decision = decide_in(standard_world(), body="FRAB", issue="2030-01-01")
    assert outcome(decision) == (Outcome.INVALID, R.ACCREDITATION_MISMATCH)


def test_a_future_dated_attestation_is_invalid_even_where_nothing_is_required():
    decision = decide_in(standard_world(), exporter="NZ", importer="DE", issue="2025-09-02", clear="2025-09-01")
    assert outcome(decision) == (Outcome.INVALID, R.FUTURE_DATED)


def test_a_wrong_type_is_reported_before_age_and_lot():
    decision = decide_in(standard_world(), type=T.CALIBRATION, issue="2020-01-01", clear="2025-09-01",
                         lot="A", shipped_lot="B")
    assert decision.reason is R.WRONG_ATTESTATION_TYPE


def test_lot_is_checked_before_the_cabs_accreditation():
    w = standard_world().replace_accreditation("LNZ", "NZAB-1", valid_to="2024-06-30")
    decision = decide_in(w, issue="2025-08-10", clear="2025-09-01", lot="A", shipped_lot="B")
    assert decision.reason is R.LOT_MISMATCH


def test_a_missing_required_test_is_reported_before_out_of_scope():
    w = standard_world()  # LNZ's scope lacks ISO 14501
    w.policy("P-JP-0406", "JP", ("0406",), T.TESTING, ("ISO 11290-1", "ISO 6579-1", "ISO 14501"),
             (arr("ILAC_MRA"),), 180, lot=True)
    assert decide_in(w, tests=("ISO 11290-1", "ISO 6579-1")).reason is R.MISSING_REQUIRED_TEST
    assert decide_in(w, tests=("ISO 11290-1", "ISO 6579-1", "ISO 14501")).reason is R.OUT_OF_SCOPE
    assert decide_in(w, tests=()).reason is R.OUT_OF_SCOPE


def test_a_regulators_gmp_inspection_on_an_arrangement_route_is_not_signatory():
    w = standard_world().policy("P-US-3004", "US", ("3004",), T.GMP_INSPECTION, (), (arr("ILAC_MRA"), gov()))
    decision = decide_in(w, exporter="DE", importer="US", hs="300490", issuer="AUTH-DE", body=None,
                         type=T.GMP_INSPECTION, issue="2020-01-10", clear="2020-02-01")
    assert outcome(decision) == RECOGNISED_GOV
    assert [r.code for r in decision.reasons] == [R.AB_NOT_SIGNATORY_FOR_SCOPE, R.GOVERNMENT_ROUTE]


def test_a_designation_for_the_exporters_side_does_not_count():
    # fixture: LDE designated under EU-US-TEL only for the EU's requirements
    w = standard_world().without_designations("LDE")
    w.designation("LDE", "EU_US_MRA", "EU-US-TEL", "EU", "2018-01-01")
    decision = decide_in(w, exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB",
                         issue="2026-05-01", clear="2026-06-01")
    assert decision.reason is R.CAB_NOT_DESIGNATED


def test_voids_existing_reads_the_clearance_date_even_for_an_attestation_issued_long_before():
    w = standard_world()
    kwargs = dict(exporter="CH", importer="FR", hs="901890", issuer="LCH", body="CHAB", type=T.PRODUCT_CERTIFICATION)
    assert outcome(decide_in(w, issue="2016-01-01", clear="2021-05-25", **kwargs)) == RECOGNISED_GOV
    assert decide_in(w, issue="2021-05-25", clear="2021-05-26", **kwargs).reason is R.SECTOR_TERMINATED_VOIDS_EXISTING


# -- Dates: a newer event for the same key ends the older one the day before ---------------------------------------

def test_the_path_shows_a_status_ended_by_a_newer_event_the_day_before_it():
    # fixture: two open-ended events for one key (SIGNATORY, then SUSPENDED from 2025-09-01)
    w = standard_world().without_statuses("NZAB")
    w.status("NZAB", "ILAC_MRA", A.TESTING, S.SIGNATORY, "2001-01-31")
    w.status("NZAB", "ILAC_MRA", A.TESTING, S.SUSPENDED, "2025-09-01")
    decision = decide_in(w, issue="2025-08-10", clear="2025-08-20")
    assert outcome(decision) == RECOGNISED_ARR
    (status,) = [link for link in decision.path if link.kind.value == "SIGNATORY_STATUS"]
    assert (status.valid_from, status.valid_to) == (shift("2001-01-31", 0), shift("2025-09-01", -1))
    assert decide_in(w, issue="2025-09-01", clear="2025-09-05").reason is R.AB_SUSPENDED_AT_ISSUE
