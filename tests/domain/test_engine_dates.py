"""Every date rule on both sides of its edge: the day before, the day of and the day after.

RULES.md: intervals hold from ``from`` to ``to``, both inclusive. Fixtures: ``engine_world`` (invented).
"""
from __future__ import annotations

import pytest
from engine_world import A, S, T, arr, decide_in, gov, item, shift, standard_world, warning_codes

from mra_registry.domain.codes import Outcome, ReasonCode as R, RouteKind, WarningCode as W

RECOGNISED = (Outcome.RECOGNISED, R.ARRANGEMENT_ROUTE)


def outcome(decision):
    return decision.outcome, decision.reason


def around(edge: str):
    """(day before, day of, day after) the edge."""
    return shift(edge, -1), shift(edge, 0), shift(edge, 1)


# -- the CAB's accreditation ---------------------------------------------------------------------------------

def test_accreditation_validity_start():
    w = standard_world()
    before, on, after = around("2020-01-01")
    assert outcome(decide_in(w, issue=before, clear=shift(before, 10))) == (Outcome.RETEST_REQUIRED,
                                                                            R.CAB_ACCREDITATION_NOT_ACTIVE)
    assert outcome(decide_in(w, issue=on, clear=shift(on, 10))) == RECOGNISED
    assert outcome(decide_in(w, issue=after, clear=shift(after, 10))) == RECOGNISED


def test_accreditation_validity_end():
    w = standard_world().replace_accreditation("LNZ", "NZAB-1", valid_to="2024-06-30")
    before, on, after = around("2024-06-30")
    assert outcome(decide_in(w, issue=before, clear=shift(before, 10))) == RECOGNISED
    assert outcome(decide_in(w, issue=on, clear=shift(on, 10))) == RECOGNISED
    assert outcome(decide_in(w, issue=after, clear=shift(after, 10))) == (Outcome.RETEST_REQUIRED,
                                                                          R.CAB_ACCREDITATION_NOT_ACTIVE)


def test_accreditation_suspension_covers_its_first_and_last_day():
    w = standard_world().replace_accreditation("LNZ", "NZAB-1", suspensions=(("2022-03-01", "2022-03-31"),))
    expected = {
        "2022-02-28": RECOGNISED,
        "2022-03-01": (Outcome.RETEST_REQUIRED, R.CAB_ACCREDITATION_NOT_ACTIVE),
        "2022-03-31": (Outcome.RETEST_REQUIRED, R.CAB_ACCREDITATION_NOT_ACTIVE),
        "2022-04-01": RECOGNISED,
    }
    for issue, result in expected.items():
        assert outcome(decide_in(w, issue=issue, clear=shift(issue, 40))) == result, issue


def test_accreditation_withdrawal_is_the_first_day_no_longer_valid():
    w = standard_world().replace_accreditation("LNZ", "NZAB-1", withdrawn_on="2023-06-01")
    before, on, after = around("2023-06-01")
    assert outcome(decide_in(w, issue=before, clear=shift(before, 5))) == RECOGNISED
    assert decide_in(w, issue=on, clear=shift(on, 5)).reason is R.CAB_ACCREDITATION_NOT_ACTIVE
    assert decide_in(w, issue=after, clear=shift(after, 5)).reason is R.CAB_ACCREDITATION_NOT_ACTIVE


def test_an_accreditation_change_after_issue_only_warns():
    w = standard_world().replace_accreditation("LNZ", "NZAB-1", valid_to="2024-06-30")
    before, on, after = around("2024-06-30")
    for clear, warned in ((before, False), (on, False), (after, True)):
        decision = decide_in(w, issue="2024-06-01", clear=clear)
        assert outcome(decision) == RECOGNISED
        assert (W.CAB_ACCREDITATION_CHANGED_SINCE_ISSUE in warning_codes(decision)) is warned, clear


def test_a_suspension_after_issue_only_warns():
    w = standard_world().replace_accreditation("LNZ", "NZAB-1", suspensions=(("2024-07-01", None),))
    decision = decide_in(w, issue="2024-06-01", clear="2024-07-01")
    assert outcome(decision) == RECOGNISED
    assert warning_codes(decision) == {W.CAB_ACCREDITATION_CHANGED_SINCE_ISSUE}


# -- signatory status ----------------------------------------------------------------------------------------

def test_signatory_status_start():
    w = standard_world()  # BWAB in IAF_MLA for MS certification (ISO 9001) from 2019-11-09
    kwargs = dict(exporter="BW", importer="ZA", hs="848180", issuer="LBW", body="BWAB", type=T.MS_CERTIFICATION)
    before, on, after = around("2019-11-09")
    assert decide_in(w, issue=before, clear=shift(before, 20), **kwargs).reason is R.AB_NOT_SIGNATORY_FOR_SCOPE
    assert outcome(decide_in(w, issue=on, clear=shift(on, 20), **kwargs)) == RECOGNISED
    assert outcome(decide_in(w, issue=after, clear=shift(after, 20), **kwargs)) == RECOGNISED


def test_signatory_status_end_by_withdrawal():
    w = standard_world()  # USAB signatory in IAAC_MLA until 2022-12-31, withdrawn from 2023-01-01
    kwargs = dict(exporter="US", importer="AR", issuer="LUS", body="USAB")
    before, on, after = around("2023-01-01")
    assert outcome(decide_in(w, issue=before, clear=shift(before, 10), **kwargs)) == RECOGNISED
    assert decide_in(w, issue=on, clear=shift(on, 10), **kwargs).reason is R.AB_NOT_SIGNATORY_FOR_SCOPE
    assert decide_in(w, issue=after, clear=shift(after, 10), **kwargs).reason is R.AB_NOT_SIGNATORY_FOR_SCOPE


def test_signatory_suspension_and_reinstatement():
    w = standard_world()  # KGAB: signatory, suspended 2018-01-01..2018-10-01, signatory again from 2018-10-02
    kwargs = dict(exporter="KG", importer="AU", issuer="LKG", body="KGAB")
    expected = {
        "2017-12-31": RECOGNISED,
        "2018-01-01": (Outcome.RETEST_REQUIRED, R.AB_SUSPENDED_AT_ISSUE),
        "2018-05-15": (Outcome.RETEST_REQUIRED, R.AB_SUSPENDED_AT_ISSUE),
        "2018-10-01": (Outcome.RETEST_REQUIRED, R.AB_SUSPENDED_AT_ISSUE),
        "2018-10-02": RECOGNISED,
    }
    for issue, result in expected.items():
        assert outcome(decide_in(w, issue=issue, clear=shift(issue, 45), **kwargs)) == result, issue


def test_a_suspension_after_issue_warns_from_its_first_day():
    w = standard_world()
    kwargs = dict(exporter="KG", importer="AU", issuer="LKG", body="KGAB", issue="2017-12-01")
    before, on, _ = around("2018-01-01")
    assert W.AB_STATUS_CHANGED_SINCE_ISSUE not in warning_codes(decide_in(w, clear=before, **kwargs))
    decision = decide_in(w, clear=on, **kwargs)
    assert outcome(decision) == RECOGNISED
    assert W.AB_STATUS_CHANGED_SINCE_ISSUE in warning_codes(decision)


# -- succession: ILAC_MRA and IAF_MLA -> GLOBAL_ACI_MRA on 2026-01-01 ----------------------------------------------

@pytest.mark.parametrize("issue, evaluated, warned", [
    ("2025-12-31", "ILAC_MRA", False),
    ("2026-01-01", "GLOBAL_ACI_MRA", True),
    ("2026-01-02", "GLOBAL_ACI_MRA", True),
])
def test_a_policy_naming_the_superseded_arrangement(issue, evaluated, warned):
    decision = decide_in(standard_world(), issue=issue, clear=shift(issue, 10))
    assert outcome(decision) == RECOGNISED
    assert decision.route.kind is RouteKind.ARRANGEMENT and decision.route.arrangement == evaluated
    assert (W.SUCCESSION_APPLIED in warning_codes(decision)) is warned


@pytest.mark.parametrize("issue, evaluated, warned", [
    ("2025-12-31", "ILAC_MRA", True),
    ("2026-01-01", "GLOBAL_ACI_MRA", False),
    ("2026-01-02", "GLOBAL_ACI_MRA", False),
])
def test_a_policy_naming_the_successor(issue, evaluated, warned):
    w = standard_world().policy("P-JP-0406", "JP", ("0406",), T.TESTING, ("ISO 11290-1",), (arr("GLOBAL_ACI_MRA"),),
                                180, lot=True)
    decision = decide_in(w, issue=issue, clear=shift(issue, 10))
    assert outcome(decision) == RECOGNISED
    assert decision.route.arrangement == evaluated
    assert (W.SUCCESSION_APPLIED in warning_codes(decision)) is warned


def test_a_status_held_the_day_before_the_succession_continues_until_the_bodys_own_event():
    w = standard_world().status("NZAB", "GLOBAL_ACI_MRA", A.TESTING, S.WITHDRAWN, "2026-03-01")
    before, on, after = around("2026-03-01")
    assert outcome(decide_in(w, issue=before, clear=shift(before, 5))) == RECOGNISED
    assert decide_in(w, issue=on, clear=shift(on, 5)).reason is R.AB_NOT_SIGNATORY_FOR_SCOPE
    assert decide_in(w, issue=after, clear=shift(after, 5)).reason is R.AB_NOT_SIGNATORY_FOR_SCOPE


def test_a_status_changed_in_the_successor_after_issue_warns():
    w = standard_world().status("NZAB", "GLOBAL_ACI_MRA", A.TESTING, S.SUSPENDED, "2026-03-01")
    decision = decide_in(w, issue="2026-02-01", clear="2026-02-28")
    assert W.AB_STATUS_CHANGED_SINCE_ISSUE not in warning_codes(decision)
    decision = decide_in(w, issue="2026-02-01", clear="2026-03-01")
    assert outcome(decision) == RECOGNISED
    assert W.AB_STATUS_CHANGED_SINCE_ISSUE in warning_codes(decision)


def test_a_succession_alone_is_no_status_change():
    decision = decide_in(standard_world(), issue="2025-12-20", clear="2026-01-05")
    assert decision.route.arrangement == "ILAC_MRA"
    assert warning_codes(decision) == set()


# -- union membership: GB a member until 2020-12-31 ----------------------------------------------------------------

def gb_world():
    w = standard_world()
    w.status("GBAB", "ILAC_MRA", A.TESTING, S.SIGNATORY, "2001-01-31")
    w.cab("LGB", "GB").accreditation("LGB", "GBAB-1", "GBAB", A.TESTING, "2019-01-01", "2028-12-31",
                                     item("ISO 11290-1", "04"), item("ISO 6579-1", "04"), item("FCC Part 15", "8517"))
    w.designation("LGB", "EU_US_MRA", "EU-US-TEL", "US", "2018-01-01")
    return w


def test_gb_exporting_into_the_union():
    w = gb_world()
    kwargs = dict(exporter="GB", importer="FR", issuer="LGB", body="GBAB", issue="2020-12-01")
    assert decide_in(w, clear="2020-12-31", **kwargs).reason is R.INTRA_UNION
    assert outcome(decide_in(w, clear="2021-01-01", **kwargs)) == RECOGNISED  # P-EU-0406 now applies
    assert decide_in(w, clear="2021-01-01", **kwargs).policy == "P-EU-0406"


def test_gb_importing_reads_the_importers_union_on_clearance():
    w = gb_world()
    kwargs = dict(exporter="NZ", importer="GB", issue="2020-12-01")
    assert decide_in(w, clear="2020-12-31", **kwargs).reason is R.SPS_EQUIVALENCE  # the EU's agreement binds GB
    assert decide_in(w, clear="2021-01-01", **kwargs).reason is R.NO_REQUIREMENT


def test_gb_exporter_side_of_a_government_route_is_read_on_issue():
    w = gb_world()
    kwargs = dict(exporter="GB", importer="US", hs="851762", issuer="LGB", body="GBAB")
    decision = decide_in(w, issue="2020-12-31", clear="2021-03-01", **kwargs)
    assert (decision.outcome, decision.reason) == (Outcome.RECOGNISED, R.GOVERNMENT_ROUTE)
    assert (decision.route.arrangement, decision.route.sector) == ("EU_US_MRA", "EU-US-TEL")
    assert decide_in(w, issue="2021-01-01", clear="2021-03-01", **kwargs).reason is R.SECTOR_NOT_COVERED


# -- government sectors -------------------------------------------------------------------------------------------

def test_designation_start():
    w = standard_world().replace_accreditation("LDE", "DEAB-1", valid_from="2010-01-01")
    kwargs = dict(exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB")
    before, on, after = around("2018-01-01")
    assert decide_in(w, issue=before, clear=shift(before, 10), **kwargs).reason is R.CAB_NOT_DESIGNATED
    assert decide_in(w, issue=on, clear=shift(on, 10), **kwargs).reason is R.GOVERNMENT_ROUTE
    assert decide_in(w, issue=after, clear=shift(after, 10), **kwargs).reason is R.GOVERNMENT_ROUTE


def test_designation_end():
    w = standard_world().without_designations("LDE")
    w.designation("LDE", "EU_US_MRA", "EU-US-TEL", "US", "2018-01-01", "2024-12-31")
    kwargs = dict(exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB")
    before, on, after = around("2024-12-31")
    assert decide_in(w, issue=before, clear=shift(before, 10), **kwargs).reason is R.GOVERNMENT_ROUTE
    assert decide_in(w, issue=on, clear=shift(on, 10), **kwargs).reason is R.GOVERNMENT_ROUTE
    assert decide_in(w, issue=after, clear=shift(after, 10), **kwargs).reason is R.CAB_NOT_DESIGNATED


def test_operation_start():
    w = standard_world()
    w.sector("EU_US_MRA", "EU-US-TEL", ("8517",), (T.TESTING, T.PRODUCT_CERTIFICATION),
             (("EU", "US", T.TESTING, "2020-06-01", None),))
    kwargs = dict(exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB")
    before, on, after = around("2020-06-01")
    assert decide_in(w, issue=before, clear=shift(before, 10), **kwargs).reason is R.SECTOR_NOT_OPERATIONAL
    assert decide_in(w, issue=on, clear=shift(on, 10), **kwargs).reason is R.GOVERNMENT_ROUTE
    assert decide_in(w, issue=after, clear=shift(after, 10), **kwargs).reason is R.GOVERNMENT_ROUTE


def test_termination_that_voids_existing_attestations_is_read_on_clearance():
    w = standard_world()  # EU-CH-MD operational until 2021-05-25; terminated 2021-05-26 voiding existing ones
    kwargs = dict(exporter="CH", importer="DE", hs="901890", issuer="LCH", body="CHAB", type=T.PRODUCT_CERTIFICATION,
                  issue="2021-03-01")
    before, on, after = around("2021-05-26")
    assert decide_in(w, clear=before, **kwargs).reason is R.GOVERNMENT_ROUTE
    assert decide_in(w, clear=on, **kwargs).reason is R.SECTOR_TERMINATED_VOIDS_EXISTING
    assert decide_in(w, clear=after, **kwargs).reason is R.SECTOR_TERMINATED_VOIDS_EXISTING


def test_a_termination_that_does_not_void_keeps_earlier_attestations():
    w = standard_world()
    w.sector("EU_CH_MRA", "EU-CH-MD", ("9018",), (T.PRODUCT_CERTIFICATION,),
             (("EU", "CH", T.PRODUCT_CERTIFICATION, "2002-06-01", "2021-05-25"),), termination=("2021-05-26", False))
    kwargs = dict(exporter="CH", importer="DE", hs="901890", issuer="LCH", body="CHAB", type=T.PRODUCT_CERTIFICATION)
    assert decide_in(w, issue="2021-03-01", clear="2021-06-15", **kwargs).reason is R.GOVERNMENT_ROUTE
    assert decide_in(w, issue="2021-05-25", clear="2021-06-15", **kwargs).reason is R.GOVERNMENT_ROUTE
    assert decide_in(w, issue="2021-05-26", clear="2021-06-15", **kwargs).reason is R.SECTOR_NOT_OPERATIONAL


def test_regulator_recognition_date():
    w = standard_world()  # AUTH-DE recognised for US requirements from 2019-06-26
    kwargs = dict(exporter="DE", importer="US", hs="300490", issuer="AUTH-DE", body=None, type=T.GMP_INSPECTION)
    before, on, after = around("2019-06-26")
    assert decide_in(w, issue=before, clear=shift(before, 30), **kwargs).reason is R.AUTHORITY_NOT_RECOGNISED_AT_ISSUE
    assert decide_in(w, issue=on, clear=shift(on, 30), **kwargs).reason is R.GOVERNMENT_ROUTE
    assert decide_in(w, issue=after, clear=shift(after, 30), **kwargs).reason is R.GOVERNMENT_ROUTE


# -- age, policy validity, SPS agreement validity, future dating ----------------------------------------------------

@pytest.mark.parametrize("age, result", [(0, RECOGNISED), (89, RECOGNISED), (90, RECOGNISED),
                                         (91, (Outcome.RETEST_REQUIRED, R.REPORT_TOO_OLD))])
def test_max_age_days_is_inclusive(age, result):
    w = standard_world()  # P-AU-0406: 90 days
    assert outcome(decide_in(w, importer="AU", issue="2025-03-01", clear=shift("2025-03-01", age))) == result


def test_policy_validity():
    w = standard_world()
    w.policy("P-JP-0406", "JP", ("0406",), T.TESTING, ("ISO 11290-1",), (arr("ILAC_MRA"),),
             180, lot=True, start="2025-01-01", end="2025-06-30")
    for clear, applies in (("2024-12-31", False), ("2025-01-01", True), ("2025-01-02", True),
                           ("2025-06-29", True), ("2025-06-30", True), ("2025-07-01", False)):
        decision = decide_in(w, issue=shift(clear, -10), clear=clear)
        assert (decision.policy == "P-JP-0406") is applies, clear
        assert (decision.reason is R.NO_REQUIREMENT) is not applies, clear


def test_sps_agreement_start():
    w = standard_world()  # EU_NZ_SPS in force from 2003-02-01; P-EU-0406 applies before
    before, on, after = around("2003-02-01")
    assert decide_in(w, importer="DE", issuer=None, clear=before).reason is R.NO_ATTESTATION
    assert decide_in(w, importer="DE", issuer=None, clear=on).reason is R.SPS_EQUIVALENCE
    assert decide_in(w, importer="DE", issuer=None, clear=after).reason is R.SPS_EQUIVALENCE


def test_issue_and_clearance_on_the_same_day_is_not_future_dated():
    w = standard_world()
    assert decide_in(w, issue="2025-09-01", clear="2025-09-01").outcome is Outcome.RECOGNISED
    assert decide_in(w, issue="2025-09-02", clear="2025-09-01").reason is R.FUTURE_DATED


def test_every_route_tried_reports_its_reason_in_order():
    # the US policy lists two government routes, so both reasons are reported when both fail
    w = standard_world().replace_accreditation("LDE", "DEAB-1", valid_from="2010-01-01")
    decision = decide_in(w, exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB",
                         issue="2017-06-01", clear="2017-06-10")
    assert [r.code for r in decision.reasons] == [R.CAB_NOT_DESIGNATED, R.SECTOR_NOT_COVERED]
    assert [r.route for r in decision.reasons] == [gov().label(), gov("APEC_TEL_MRA").label()]
