"""RULES.md steps 1 to 6, each reason reached, in order. Fixtures: ``engine_world`` (invented)."""
from __future__ import annotations

import pytest
from engine_world import A, T, consignment, decide_in, item, standard_world, warning_codes

from mra_registry.domain.codes import CabKind, Outcome, ReasonCode as R, WarningCode as W
from mra_registry.domain.engine import decide
from mra_registry.domain.errors import InputErrorCode, InvalidInput


# -- input validation ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("hs", ["04069", "04069012345", "0406.90", "cheese", ""])
def test_an_hs_code_that_is_not_6_to_10_digits_is_refused(hs):
    with pytest.raises(InvalidInput) as raised:
        decide_in(standard_world(), hs=hs)
    assert raised.value.code is InputErrorCode.INVALID_HS_CODE
    assert raised.value.field == "hsCode"


@pytest.mark.parametrize("field, value", [("exporter", "nz"), ("exporter", "NZL"), ("importer", ""), ("importer", "J1")])
def test_an_economy_that_is_not_two_upper_case_letters_is_refused(field, value):
    with pytest.raises(InvalidInput) as raised:
        decide_in(standard_world(), **{field: value})
    assert raised.value.code is InputErrorCode.UNKNOWN_ECONOMY
    assert raised.value.field == field


def test_a_well_formed_economy_the_registry_does_not_know_has_no_rule_recorded():
    decision = decide_in(standard_world(), importer="QQ")
    assert (decision.outcome, decision.reason) == (Outcome.UNDETERMINED, R.NO_POLICY_RECORDED)
    assert [c.code for c in decision.checks] == [R.NO_POLICY_RECORDED]


# -- step 1: authenticity ------------------------------------------------------------------------------------

def test_unknown_cab_is_invalid():
    decision = decide_in(standard_world(), issuer="LAB-X-9999", body=None)
    assert (decision.outcome, decision.reason) == (Outcome.INVALID, R.UNKNOWN_CAB)
    assert decision.policy is None and decision.route is None and decision.warnings == ()


def test_a_claimed_accreditation_body_that_is_not_registered_is_invalid():
    decision = decide_in(standard_world(), body="GASB")
    assert (decision.outcome, decision.reason) == (Outcome.INVALID, R.UNRECOGNISED_ACCREDITATION_BODY)


def test_a_registered_body_that_never_accredited_the_cab_is_a_mismatch():
    decision = decide_in(standard_world(), body="FRAB")
    assert (decision.outcome, decision.reason) == (Outcome.INVALID, R.ACCREDITATION_MISMATCH)


def test_an_accreditation_number_the_cab_never_held_is_a_mismatch():
    decision = decide_in(standard_world(), number="NZAB-999")
    assert (decision.outcome, decision.reason) == (Outcome.INVALID, R.ACCREDITATION_MISMATCH)


def test_a_number_held_from_another_body_is_a_mismatch():
    w = standard_world().accreditation("LNZ", "OTHER-1", "FRAB", A.CALIBRATION, "2010-01-01", "2012-12-31")
    decision = decide_in(w, body="NZAB", number="OTHER-1")
    assert decision.reason is R.ACCREDITATION_MISMATCH


def test_any_accreditation_ever_held_in_any_activity_or_state_is_no_mismatch():
    # an expired calibration accreditation from FRAB: claiming FRAB is not a forgery, only not active for testing
    w = standard_world().accreditation("LNZ", "FRAB-OLD", "FRAB", A.CALIBRATION, "2010-01-01", "2012-12-31",
                                       withdrawn_on="2011-06-01")
    decision = decide_in(w, body="FRAB", number="FRAB-OLD")
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.CAB_ACCREDITATION_NOT_ACTIVE)


def test_the_right_body_and_number_pass_authenticity():
    decision = decide_in(standard_world(), body="NZAB", number="NZAB-1")
    assert decision.outcome is Outcome.RECOGNISED


def test_an_attestation_dated_after_clearance_is_future_dated():
    assert decide_in(standard_world(), issue="2025-09-02", clear="2025-09-01").reason is R.FUTURE_DATED
    assert decide_in(standard_world(), issue="2025-09-01", clear="2025-09-01").outcome is Outcome.RECOGNISED


def test_a_signed_credential_of_a_cab_without_registered_keys_is_refused():
    # RULES.md step 1: a proof that does not verify against a key registered for the CAB (LNZ has none)
    decision = decide_in(standard_world(), credential="eyJhbGciOiJFZERTQSJ9.e30.sig")
    assert (decision.outcome, decision.reason) == (Outcome.INVALID, R.CREDENTIAL_INVALID)


def test_authenticity_comes_before_everything_else():
    # inside the union no attestation is needed, but a forged one is still refused
    decision = decide_in(standard_world(), exporter="FR", importer="DE", issuer="NOPE", body=None)
    assert decision.reason is R.UNKNOWN_CAB
    # unknown CAB is checked before the future date
    assert decide_in(standard_world(), issuer="NOPE", issue="2030-01-01").reason is R.UNKNOWN_CAB
    assert decide_in(standard_world(), body="GASB", issue="2030-01-01").reason is R.UNRECOGNISED_ACCREDITATION_BODY


# -- step 2: requirement -------------------------------------------------------------------------------------

def test_members_of_one_union_need_nothing():
    decision = decide_in(standard_world(), exporter="FR", importer="DE", issuer="LFR", body="FRAB")
    assert (decision.outcome, decision.reason) == (Outcome.NOT_REQUIRED, R.INTRA_UNION)
    assert decision.policy is None and decision.warnings == ()


def test_intra_union_needs_no_attestation_at_all():
    decision = decide_in(standard_world(), exporter="FR", importer="DE", issuer=None)
    assert decision.reason is R.INTRA_UNION and decision.issue_date is None


def test_an_sps_equivalence_agreement_replaces_testing_and_warns_about_the_official_certificate():
    decision = decide_in(standard_world(), exporter="NZ", importer="DE")
    assert (decision.outcome, decision.reason) == (Outcome.NOT_REQUIRED, R.SPS_EQUIVALENCE)
    assert warning_codes(decision) == {W.OFFICIAL_CERTIFICATE_REQUIRED}


def test_sps_equivalence_works_in_both_directions_and_only_for_the_codes_it_lists():
    w = standard_world().policy("P-NZ-0406", "NZ", ("0406",), T.TESTING, routes=())
    assert decide_in(w, exporter="FR", importer="NZ", issuer="LFR", body="FRAB").reason is R.SPS_EQUIVALENCE
    w.policy("P-EU-8517", "EU", ("8517",), T.TESTING)
    assert decide_in(w, exporter="NZ", importer="DE", hs="851762").reason is R.ROUTE_NOT_ACCEPTED_FOR_SECTOR


def test_no_policy_inside_a_declaration_is_not_required():
    decision = decide_in(standard_world(), importer="JP", hs="220300")
    assert (decision.outcome, decision.reason) == (Outcome.NOT_REQUIRED, R.NO_REQUIREMENT)
    assert warning_codes(decision) == set() and decision.checks == ()


# -- step 3: presence and type -------------------------------------------------------------------------------

def test_a_policy_with_nothing_presented_needs_a_retest():
    decision = decide_in(standard_world(), issuer=None)
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.NO_ATTESTATION)
    assert decision.policy == "P-JP-0406" and decision.issue_date is None


@pytest.mark.parametrize("presented", [T.CALIBRATION, T.MS_CERTIFICATION, T.INSPECTION, T.PRODUCT_CERTIFICATION])
def test_a_different_type_is_the_wrong_type(presented):
    decision = decide_in(standard_world(), type=presented)
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.WRONG_ATTESTATION_TYPE)


# -- step 4: freshness and identity --------------------------------------------------------------------------

def test_a_report_older_than_the_limit_is_too_old():
    decision = decide_in(standard_world(), issue="2025-01-01", clear="2025-08-01")  # 212 days > 180
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.REPORT_TOO_OLD)


def test_no_age_limit_when_the_policy_sets_none():
    decision = decide_in(standard_world(), importer="SG", hs="382290", issuer="LIN", body="INAB",
                         type=T.RM_CERTIFICATE, issue="2020-02-01", clear="2025-09-01")
    assert decision.outcome is Outcome.RECOGNISED


@pytest.mark.parametrize("lot, shipped", [("A-123", "B-456"), (None, "B-456"), ("A-123", None), (None, None),
                                          ("", "B-456")])
def test_lot_matching_needs_both_lots_stated_and_equal(lot, shipped):
    decision = decide_in(standard_world(), lot=lot, shipped_lot=shipped)
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.LOT_MISMATCH)


def test_lots_are_ignored_when_the_policy_does_not_match_them():
    decision = decide_in(standard_world(), exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB",
                         lot=None, shipped_lot="B-456", issue="2026-05-01", clear="2026-06-01")
    assert decision.outcome is Outcome.RECOGNISED


def test_age_is_checked_before_the_lot():
    decision = decide_in(standard_world(), issue="2025-01-01", clear="2025-08-01", lot="A", shipped_lot="B")
    assert decision.reason is R.REPORT_TOO_OLD


# -- step 5: the CAB's own accreditation ----------------------------------------------------------------------

def test_no_accreditation_for_the_attestation_activity_is_not_active():
    w = standard_world().policy("P-JP-0406", "JP", ("0406",), T.INSPECTION, ("PSI-DAIRY",), (), 180)
    decision = decide_in(w, type=T.INSPECTION)
    assert decision.reason is R.CAB_ACCREDITATION_NOT_ACTIVE


def test_an_accreditation_by_another_body_does_not_help_when_a_body_is_claimed():
    w = standard_world().accreditation("LNZ", "AUAB-1", "AUAB", A.TESTING, "2020-01-01", "2027-12-31",
                                       item("ISO 11290-1", "04"), item("ISO 6579-1", "04"))
    w.replace_accreditation("LNZ", "NZAB-1", valid_to="2024-12-31")
    assert decide_in(w, body="NZAB").reason is R.CAB_ACCREDITATION_NOT_ACTIVE
    # unclaimed, the active AUAB accreditation qualifies (AUAB is no signatory, so the route fails instead)
    assert decide_in(w, body=None).reason is R.AB_NOT_SIGNATORY_FOR_SCOPE


def test_a_gmp_inspection_from_a_body_that_is_no_regulator_ends_at_step_5():
    w = standard_world().policy("P-JP-3004", "JP", ("3004",), T.GMP_INSPECTION, (), (), None)
    decision = decide_in(w, hs="300490", type=T.GMP_INSPECTION)
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.CAB_ACCREDITATION_NOT_ACTIVE)


def test_an_attestation_outside_the_accreditation_is_not_issued_under_it():
    decision = decide_in(standard_world(), under_accreditation=False)
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.NOT_ISSUED_UNDER_ACCREDITATION)


def test_an_inactive_accreditation_is_reported_before_a_missing_symbol():
    w = standard_world().replace_accreditation("LNZ", "NZAB-1", valid_to="2024-12-31")
    assert decide_in(w, under_accreditation=False).reason is R.CAB_ACCREDITATION_NOT_ACTIVE


def test_regulators_skip_steps_5_and_6():
    w = standard_world().policy("P-JP-0406", "JP", ("0406",), T.TESTING, ("ISO 11290-1",), (), 180)
    decision = decide_in(w, issuer="AUTH-DE", body=None, under_accreditation=False)
    assert decision.reason is R.ROUTE_NOT_ACCEPTED_FOR_SECTOR


# -- step 6: scope --------------------------------------------------------------------------------------------

def test_a_required_test_the_attestation_does_not_list_is_missing():
    decision = decide_in(standard_world(), tests=("ISO 11290-1",))
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.MISSING_REQUIRED_TEST)


@pytest.mark.parametrize("tests", [None, (), ("EN ISO 11290-1", "iso 6579-1:2017", "ISO 16649-2")])
def test_listed_tests_are_checked_only_when_listed_and_match_like_methods(tests):
    assert decide_in(standard_world(), tests=tests).outcome is Outcome.RECOGNISED


def test_no_scope_item_for_a_required_test_is_out_of_scope():
    w = standard_world().policy("P-JP-0406", "JP", ("0406",), T.TESTING, (*("ISO 11290-1", "ISO 6579-1"), "ISO 14501"),
                                (), 180)
    decision = decide_in(w)
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.OUT_OF_SCOPE)


def test_a_scope_item_for_other_products_is_out_of_scope():
    w = standard_world()
    w.cabs["LNZ"].accreditations.clear()
    w.accreditation("LNZ", "NZAB-1", "NZAB", A.TESTING, "2020-01-01", "2027-12-31",
                    item("ISO 11290-1", "04", excluded=("0406",)), item("ISO 6579-1", "04"))
    assert decide_in(w).reason is R.OUT_OF_SCOPE
    assert decide_in(w, hs="040510").outcome is Outcome.NOT_REQUIRED  # JP has no butter policy


def test_an_edition_counts_only_when_both_sides_state_one():
    w = standard_world()
    w.policy("P-JP-0406", "JP", ("0406",), T.TESTING, ("ISO 11290-1:2017", "ISO 6579-1"), (), 180)
    w.cabs["LNZ"].accreditations.clear()
    w.accreditation("LNZ", "NZAB-1", "NZAB", A.TESTING, "2020-01-01", "2027-12-31",
                    item("ISO 11290-1:1996", "04"), item("ISO 6579-1:2017", "04"))
    assert decide_in(w).reason is R.OUT_OF_SCOPE
    w.replace_accreditation("LNZ", "NZAB-1", scope=(item("EN ISO 11290-1", "04"), item("ISO 6579-1:2017", "04")))
    assert decide_in(w).reason is R.ROUTE_NOT_ACCEPTED_FOR_SECTOR


def test_a_scope_item_without_hs_prefix_covers_every_product():
    decision = decide_in(standard_world(), exporter="BW", importer="ZA", hs="848180", issuer="LBW", body="BWAB",
                         type=T.MS_CERTIFICATION, issue="2020-01-10", clear="2020-02-01")
    assert decision.outcome is Outcome.RECOGNISED


def test_qualifying_accreditations_without_the_scope_are_dropped_before_the_routes():
    # NZAB (a signatory) accredits LNZ without the dairy scope; AUAB (no signatory) with it: only AUAB's
    # accreditation is left for the route, which fails
    w = standard_world()
    w.replace_accreditation("LNZ", "NZAB-1", scope=(item("ISO 11290-1", "02"),))
    w.accreditation("LNZ", "AUAB-1", "AUAB", A.TESTING, "2020-01-01", "2027-12-31",
                    item("ISO 11290-1", "04"), item("ISO 6579-1", "04"))
    decision = decide_in(w, body=None)
    assert decision.reason is R.AB_NOT_SIGNATORY_FOR_SCOPE


def test_a_policy_requiring_no_test_needs_no_scope_item():
    w = standard_world().policy("P-JP-0406", "JP", ("0406",), T.TESTING, (), (), 180)
    w.replace_accreditation("LNZ", "NZAB-1", scope=())
    assert decide_in(w).reason is R.ROUTE_NOT_ACCEPTED_FOR_SECTOR


# -- warnings only from the steps that ran --------------------------------------------------------------------

def test_early_results_carry_no_warning_from_later_steps():
    w = standard_world().replace_accreditation("LNZ", "NZAB-1", valid_to="2025-08-31")
    assert W.CAB_ACCREDITATION_CHANGED_SINCE_ISSUE in warning_codes(decide_in(w))
    assert decide_in(w, issue="2025-09-05").warnings == ()  # FUTURE_DATED
    assert decide_in(w, lot="X").warnings == ()  # LOT_MISMATCH at step 4
    assert decide_in(w, exporter="NZ", importer="DE").warnings[0].code is W.OFFICIAL_CERTIFICATE_REQUIRED
    assert len(decide_in(w, exporter="NZ", importer="DE").warnings) == 1


def test_the_engine_reads_nothing_but_its_arguments():
    snapshot = standard_world().snapshot()
    one = decide(snapshot, consignment())
    two = decide(snapshot, consignment())
    assert one == two and one.registry_version == snapshot.version


def test_cab_kinds_other_than_regulator_take_steps_5_and_6():
    w = standard_world()
    w.cabs["LNZ"].kinds = (CabKind.LABORATORY, CabKind.INSPECTION_BODY)
    assert decide_in(w, under_accreditation=False).reason is R.NOT_ISSUED_UNDER_ACCREDITATION
