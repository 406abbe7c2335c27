"""RULES.md step 7, the accreditation-arrangement route: signatories, standards, regional arrangements,
suspension at issue and succession. Fixtures: ``engine_world`` (invented)."""
from __future__ import annotations

from engine_world import A, S, T, arr, decide_in, gov, item, standard_world, warning_codes

from mra_registry.domain.codes import Outcome, PathLinkKind as P, ReasonCode as R, RouteKind, WarningCode as W

ZA = dict(exporter="BW", importer="ZA", hs="848180", issuer="LBW", body="BWAB", type=T.MS_CERTIFICATION,
          issue="2020-03-01", clear="2020-03-20")


def test_a_signatory_body_recognises_and_the_route_reports_its_arrangement():
    decision = decide_in(standard_world())
    assert (decision.outcome, decision.reason) == (Outcome.RECOGNISED, R.ARRANGEMENT_ROUTE)
    assert (decision.route.kind, decision.route.arrangement, decision.route.sector) == (RouteKind.ARRANGEMENT,
                                                                                         "ILAC_MRA", None)
    assert [r.code for r in decision.reasons] == [R.ARRANGEMENT_ROUTE]


def test_a_status_for_a_standard_counts_only_when_the_policy_requires_that_scheme():
    w = standard_world()
    assert decide_in(w, **ZA).outcome is Outcome.RECOGNISED
    w.policy("P-ZA-8481", "ZA", ("8481",), T.MS_CERTIFICATION, ("ISO 14001",), (arr("IAF_MLA"),), 1095)
    w.replace_accreditation("LBW", "BWAB-1", scope=(item("ISO 9001"), item("ISO 14001")))
    assert decide_in(w, **ZA).reason is R.AB_NOT_SIGNATORY_FOR_SCOPE
    w.policy("P-ZA-8481", "ZA", ("8481",), T.MS_CERTIFICATION, ("BS EN ISO 9001:2015",), (arr("IAF_MLA"),), 1095)
    assert decide_in(w, **ZA).outcome is Outcome.RECOGNISED


def test_a_status_without_a_standard_covers_the_whole_activity():
    w = standard_world().status("BWAB", "IAF_MLA", A.MS_CERTIFICATION, S.SIGNATORY, "2019-11-09")
    w.policy("P-ZA-8481", "ZA", ("8481",), T.MS_CERTIFICATION, ("ISO 14001",), (arr("IAF_MLA"),), 1095)
    w.replace_accreditation("LBW", "BWAB-1", scope=(item("ISO 14001"),))
    assert decide_in(w, **ZA).outcome is Outcome.RECOGNISED


def test_a_suspension_for_a_standard_the_policy_does_not_require_does_not_count():
    w = standard_world().status("BWAB", "IAF_MLA", A.MS_CERTIFICATION, S.SUSPENDED, "2019-01-01", standard="ISO 14001")
    assert decide_in(w, **ZA).outcome is Outcome.RECOGNISED


def test_a_status_without_an_activity_never_recognises_and_leaves_the_activity_unknown():
    # RULES.md: it says the body holds some scope in the arrangement, not which: unknown, declaration or not
    w = standard_world().without_statuses("NZAB").status("NZAB", "ILAC_MRA", None, S.SIGNATORY, "2001-01-31")
    decision = decide_in(w)
    assert (decision.outcome, decision.reason) == (Outcome.UNDETERMINED, R.STATUS_NOT_RECORDED)
    assert [c.code for c in decision.checks] == [R.STATUS_NOT_RECORDED]
    assert "held no signatory status" not in decision.reasons[0].message


def test_a_status_for_another_activity_does_not_recognise():
    w = standard_world().without_statuses("NZAB").status("NZAB", "ILAC_MRA", A.CALIBRATION, S.SIGNATORY, "2001-01-31")
    assert decide_in(w).reason is R.AB_NOT_SIGNATORY_FOR_SCOPE


def test_associates_applicants_and_expired_members_are_not_signatories():
    for status in (S.ASSOCIATE, S.APPLICANT, S.EXPIRED, S.WITHDRAWN):
        w = standard_world().without_statuses("NZAB").status("NZAB", "ILAC_MRA", A.TESTING, status, "2001-01-31")
        assert decide_in(w).reason is R.AB_NOT_SIGNATORY_FOR_SCOPE, status


def test_a_regional_arrangement_counts_only_where_the_policy_names_it():
    kwargs = dict(exporter="IN", hs="382290", issuer="LIN", body="INAB", type=T.RM_CERTIFICATE)
    w = standard_world()
    assert decide_in(w, importer="JP", **kwargs).reason is R.AB_NOT_SIGNATORY_FOR_SCOPE
    decision = decide_in(w, importer="SG", **kwargs)
    assert decision.outcome is Outcome.RECOGNISED and decision.route.arrangement == "APAC_MRA"


def test_the_route_reports_the_first_named_arrangement_in_which_it_passes():
    w = standard_world().status("INAB", "ILAC_MRA", A.RMP, S.SIGNATORY, "2019-01-01")
    decision = decide_in(w, exporter="IN", importer="SG", hs="382290", issuer="LIN", body="INAB",
                         type=T.RM_CERTIFICATE)
    assert decision.route.arrangement == "ILAC_MRA"


def test_suspended_in_any_named_arrangement_on_issue_is_reported_as_such():
    w = standard_world().status("INAB", "ILAC_MRA", A.RMP, S.SUSPENDED, "2025-01-01")
    w.without_statuses("INAB", "APAC_MRA")
    decision = decide_in(w, exporter="IN", importer="SG", hs="382290", issuer="LIN", body="INAB",
                         type=T.RM_CERTIFICATE)
    assert decision.reason is R.AB_SUSPENDED_AT_ISSUE
    suspended_link = [link for link in decision.path if link.kind is P.SIGNATORY_STATUS]
    assert suspended_link and not suspended_link[0].holds


def test_a_signatory_in_another_named_arrangement_beats_a_suspension():
    w = standard_world().status("INAB", "ILAC_MRA", A.RMP, S.SUSPENDED, "2025-01-01")
    decision = decide_in(w, exporter="IN", importer="SG", hs="382290", issuer="LIN", body="INAB",
                         type=T.RM_CERTIFICATE)
    assert decision.outcome is Outcome.RECOGNISED and decision.route.arrangement == "APAC_MRA"


def test_a_reinstatement_after_issue_does_not_rescue():
    decision = decide_in(standard_world(), exporter="KG", importer="AU", issuer="LKG", body="KGAB",
                         issue="2018-10-01", clear="2018-11-15")
    assert decision.reason is R.AB_SUSPENDED_AT_ISSUE


def test_a_withdrawal_after_issue_does_not_taint():
    w = standard_world().without_statuses("NZAB")
    w.history("NZAB", "ILAC_MRA", A.TESTING, (S.SIGNATORY, "2001-01-31"), (S.WITHDRAWN, "2025-08-20"))
    decision = decide_in(w, issue="2025-08-10", clear="2025-09-01")
    assert decision.outcome is Outcome.RECOGNISED
    assert warning_codes(decision) == {W.AB_STATUS_CHANGED_SINCE_ISSUE}


def test_a_regulatory_authority_is_never_recognised_through_an_accreditation_arrangement():
    w = standard_world().policy("P-JP-3004", "JP", ("3004",), T.GMP_INSPECTION, (), (arr("ILAC_MRA"),))
    decision = decide_in(w, exporter="DE", hs="300490", issuer="AUTH-DE", body=None, type=T.GMP_INSPECTION)
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.AB_NOT_SIGNATORY_FOR_SCOPE)


def test_the_body_of_a_qualifying_accreditation_is_read_never_the_cabs_country():
    # cross-frontier accreditation: a New Zealand lab accredited by the French body
    w = standard_world()
    w.cabs["LNZ"].accreditations.clear()
    w.accreditation("LNZ", "FRAB-9", "FRAB", A.TESTING, "2020-01-01", "2027-12-31",
                    item("ISO 11290-1", "04"), item("ISO 6579-1", "04"))
    decision = decide_in(w, body="FRAB")
    assert decision.outcome is Outcome.RECOGNISED
    status = next(link for link in decision.path if link.kind is P.SIGNATORY_STATUS)
    assert status.subject == "FRAB"
    w.without_statuses("FRAB")
    assert decide_in(w, body="FRAB").reason is R.AB_NOT_SIGNATORY_FOR_SCOPE  # NZAB's status is irrelevant


# -- succession --------------------------------------------------------------------------------------------------

def test_a_suspension_held_on_the_day_before_continues_into_the_successor():
    w = standard_world().without_statuses("NZAB")
    w.history("NZAB", "ILAC_MRA", A.TESTING, (S.SIGNATORY, "2001-01-31"), (S.SUSPENDED, "2025-11-01"))
    decision = decide_in(w, issue="2026-02-01", clear="2026-02-10")
    assert decision.reason is R.AB_SUSPENDED_AT_ISSUE
    assert W.SUCCESSION_APPLIED in warning_codes(decision)


def test_a_closed_record_still_continues_what_it_held_on_the_day_before():
    w = standard_world().without_statuses("NZAB")
    w.status("NZAB", "ILAC_MRA", A.TESTING, S.SIGNATORY, "2001-01-31", "2025-12-31")
    decision = decide_in(w, issue="2026-06-01", clear="2026-06-10")
    assert decision.outcome is Outcome.RECOGNISED and decision.route.arrangement == "GLOBAL_ACI_MRA"
    kinds = [link.kind for link in decision.path]
    assert P.SUCCESSION in kinds and kinds.index(P.SUCCESSION) < kinds.index(P.SIGNATORY_STATUS)


def test_nothing_continues_when_the_body_held_nothing_the_day_before():
    w = standard_world().without_statuses("NZAB")
    w.status("NZAB", "ILAC_MRA", A.TESTING, S.SIGNATORY, "2001-01-31", "2025-12-30")
    assert decide_in(w, issue="2026-06-01", clear="2026-06-10").reason is R.AB_NOT_SIGNATORY_FOR_SCOPE


def test_events_in_the_superseded_arrangement_after_the_succession_are_ignored():
    w = standard_world().without_statuses("NZAB")
    w.history("NZAB", "ILAC_MRA", A.TESTING, (S.SIGNATORY, "2001-01-31"), (S.SUSPENDED, "2026-03-01"))
    assert decide_in(w, issue="2026-04-01", clear="2026-04-10").outcome is Outcome.RECOGNISED


def test_the_bodys_own_successor_record_replaces_the_continued_status():
    w = standard_world().without_statuses("NZAB")
    w.history("NZAB", "ILAC_MRA", A.TESTING, (S.SIGNATORY, "2001-01-31"), (S.SUSPENDED, "2025-11-01"))
    w.status("NZAB", "GLOBAL_ACI_MRA", A.TESTING, S.SIGNATORY, "2026-02-01")
    assert decide_in(w, issue="2026-01-31", clear="2026-02-10").reason is R.AB_SUSPENDED_AT_ISSUE
    assert decide_in(w, issue="2026-02-01", clear="2026-02-10").outcome is Outcome.RECOGNISED


def test_an_own_record_for_another_activity_does_not_end_the_continuation():
    w = standard_world().status("NZAB", "GLOBAL_ACI_MRA", A.CALIBRATION, S.WITHDRAWN, "2026-01-01")
    assert decide_in(w, issue="2026-02-01", clear="2026-02-10").outcome is Outcome.RECOGNISED


def test_a_policy_naming_both_superseded_arrangements_is_evaluated_once_in_the_successor():
    w = standard_world().policy("P-JP-0406", "JP", ("0406",), T.TESTING, ("ISO 11290-1",),
                                (arr("IAF_MLA", "ILAC_MRA"),), 180, lot=True)
    decision = decide_in(w, issue="2026-02-01", clear="2026-02-10")
    assert decision.route.arrangement == "GLOBAL_ACI_MRA"
    assert [w.code for w in decision.warnings] == [W.SUCCESSION_APPLIED]


def test_a_policy_naming_the_successor_is_read_in_every_arrangement_it_superseded_before_the_date():
    w = standard_world().policy("P-ZA-8481", "ZA", ("8481",), T.MS_CERTIFICATION, ("ISO 9001",),
                                (arr("GLOBAL_ACI_MRA"),), 1095)
    decision = decide_in(w, **ZA)
    assert decision.outcome is Outcome.RECOGNISED and decision.route.arrangement == "IAF_MLA"
    assert W.SUCCESSION_APPLIED in warning_codes(decision)


def test_the_status_after_succession_is_read_in_the_continued_arrangement_on_clearance():
    # issued in 2025 under ILAC_MRA; by clearance NZAB withdrew from Global ACI on its own record
    w = standard_world().status("NZAB", "GLOBAL_ACI_MRA", A.TESTING, S.WITHDRAWN, "2026-01-15")
    decision = decide_in(w, issue="2025-12-01", clear="2026-01-20")
    assert decision.outcome is Outcome.RECOGNISED and decision.route.arrangement == "ILAC_MRA"
    assert warning_codes(decision) == {W.AB_STATUS_CHANGED_SINCE_ISSUE}
    assert W.AB_STATUS_CHANGED_SINCE_ISSUE not in warning_codes(decide_in(w, issue="2025-12-01", clear="2026-01-14"))


def test_succession_is_reported_on_a_failing_route_too():
    w = standard_world().without_statuses("NZAB")
    decision = decide_in(w, issue="2026-02-01", clear="2026-02-10")
    assert decision.reason is R.AB_NOT_SIGNATORY_FOR_SCOPE
    assert W.SUCCESSION_APPLIED in warning_codes(decision)


# -- several routes ------------------------------------------------------------------------------------------------

def test_the_first_passing_route_wins_and_every_tried_route_gives_its_reason():
    w = standard_world().policy("P-JP-0406", "JP", ("0406",), T.TESTING, ("ISO 11290-1",),
                                (gov(), arr("APAC_MRA"), arr("ILAC_MRA"), arr("IAAC_MLA")), 180, lot=True)
    decision = decide_in(w)
    assert (decision.outcome, decision.reason) == (Outcome.RECOGNISED, R.ARRANGEMENT_ROUTE)
    assert [r.code for r in decision.reasons] == [R.SECTOR_NOT_COVERED, R.AB_NOT_SIGNATORY_FOR_SCOPE,
                                                  R.ARRANGEMENT_ROUTE]
    assert [r.route for r in decision.reasons] == ["GOVERNMENT[any]", "ARRANGEMENT[APAC_MRA]", "ARRANGEMENT[ILAC_MRA]"]


def test_when_no_route_passes_the_first_routes_reason_is_primary():
    w = standard_world().without_statuses("NZAB").policy(
        "P-JP-0406", "JP", ("0406",), T.TESTING, ("ISO 11290-1",), (arr("ILAC_MRA"), gov()), 180, lot=True)
    decision = decide_in(w)
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.AB_NOT_SIGNATORY_FOR_SCOPE)
    assert [r.code for r in decision.reasons] == [R.AB_NOT_SIGNATORY_FOR_SCOPE, R.SECTOR_NOT_COVERED]
    assert decision.route is None


def test_a_policy_without_routes_accepts_only_domestic_bodies():
    decision = decide_in(standard_world(), importer="KR", issue="2025-08-10", clear="2025-09-01")
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.ROUTE_NOT_ACCEPTED_FOR_SECTOR)
    assert [r.code for r in decision.reasons] == [R.ROUTE_NOT_ACCEPTED_FOR_SECTOR]


def test_a_route_naming_both_the_superseded_and_the_successor_needs_no_succession():
    w = standard_world().policy("P-JP-0406", "JP", ("0406",), T.TESTING, ("ISO 11290-1",),
                                (arr("ILAC_MRA", "GLOBAL_ACI_MRA"),), 180, lot=True)
    decision = decide_in(w, issue="2026-02-01", clear="2026-02-10")
    assert decision.route.arrangement == "GLOBAL_ACI_MRA"
    assert W.SUCCESSION_APPLIED not in warning_codes(decision)
    decision = decide_in(w, issue="2025-12-01", clear="2025-12-10")
    assert decision.route.arrangement == "ILAC_MRA" and decision.warnings == ()


def test_a_pass_in_a_named_predecessor_is_no_succession_even_if_another_predecessor_was_read():
    w = standard_world().policy("P-JP-0406", "JP", ("0406",), T.TESTING, ("ISO 11290-1",),
                                (arr("GLOBAL_ACI_MRA", "ILAC_MRA"),), 180, lot=True)
    decision = decide_in(w, issue="2025-12-01", clear="2025-12-10")  # GLOBAL_ACI_MRA -> IAF_MLA, ILAC_MRA
    assert decision.route.arrangement == "ILAC_MRA" and decision.warnings == ()
