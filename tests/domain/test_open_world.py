"""RULES.md v2, "What the registry knows": the registry's silence is never a fact outside a completeness
declaration. Each unknown reason, refutation, start bound and assurance rule on both sides of its edge, and
the properties of the issue. Fixtures: ``engine_world`` (INVENTED bodies, laboratories and policies)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from engine_world import A, S, T, World, consignment, d, decide_in, standard_world, warning_codes
from hypothesis import HealthCheck, given, settings, strategies as st

from mra_registry.domain import model
from mra_registry.domain.codes import Assurance, CompletenessKind as CK, Confidence, Outcome, ReasonCode as R, \
    WarningCode as W
from mra_registry.domain.completeness import known_since
from mra_registry.domain.engine import decide
from mra_registry.domain.snapshot import Snapshot

JP_DAIRY = dict(exporter="FR", importer="JP", hs="040690", issuer="LFR", body="FRAB",
                tests=("ISO 11290-1", "ISO 6579-1"))


def outcome(decision):
    return decision.outcome, decision.reason


def open_world() -> World:
    return standard_world().without_declarations()


# -- step 2: a rule the registry does not know -----------------------------------------------------------------

def test_no_policy_without_a_declaration_is_undetermined_never_not_required():
    decision = decide_in(open_world(), importer="JP", hs="220300")
    assert outcome(decision) == (Outcome.UNDETERMINED, R.NO_POLICY_RECORDED)
    assert [c.code for c in decision.checks] == [R.NO_POLICY_RECORDED]
    assert "JP" in decision.checks[0].message and "220300" in decision.checks[0].message


def test_an_import_policies_declaration_covers_only_its_codes_and_dates():
    w = open_world().declare("JP-22", CK.IMPORT_POLICIES, "2025-01-01", "2025-12-31", importer="JP",
                             hs_prefixes=("22",))
    assert decide_in(w, importer="JP", hs="220300", clear="2025-09-01").reason is R.NO_REQUIREMENT
    assert decide_in(w, importer="JP", hs="220300", clear="2026-01-01").reason is R.NO_POLICY_RECORDED
    assert decide_in(w, importer="JP", hs="220300", clear="2024-12-31", issue="2024-12-01").reason is R.NO_POLICY_RECORDED
    assert decide_in(w, importer="JP", hs="230300").reason is R.NO_POLICY_RECORDED


def test_a_member_needs_its_own_declaration_and_its_unions():
    w = open_world().declare("EU-22", CK.IMPORT_POLICIES, importer="EU", hs_prefixes=("22",))
    kwargs = dict(exporter="JP", importer="DE", hs="220300", issuer=None)
    assert decide_in(w, **kwargs).reason is R.NO_POLICY_RECORDED  # the union's rules alone say nothing of DE's
    w.declare("DE-22", CK.IMPORT_POLICIES, importer="DE", hs_prefixes=("22",))
    assert decide_in(w, **kwargs).reason is R.NO_REQUIREMENT
    w = open_world().declare("DE-22", CK.IMPORT_POLICIES, importer="DE", hs_prefixes=("22",))
    assert decide_in(w, **kwargs).reason is R.NO_POLICY_RECORDED  # nor DE's alone of the union's


def test_a_union_declaration_with_includes_members_stands_for_its_members():
    w = open_world().declare("EU-22", CK.IMPORT_POLICIES, importer="EU", hs_prefixes=("22",), includes_members=True)
    decision = decide_in(w, exporter="JP", importer="DE", hs="220300", issuer=None)
    assert outcome(decision) == (Outcome.NOT_REQUIRED, R.NO_REQUIREMENT)
    assert decision.checks == ()


def test_intra_union_and_sps_need_no_declaration():
    w = open_world()
    assert decide_in(w, exporter="FR", importer="DE", issuer=None).reason is R.INTRA_UNION
    assert decide_in(w, exporter="NZ", importer="DE", issuer=None).reason is R.SPS_EQUIVALENCE


# -- step 1: an issuer or a claim the registry does not hold ---------------------------------------------------

def test_an_issuer_not_held_is_decided_on_what_the_document_claims():
    decision = decide_in(open_world(), issuer="LAB-NOT-HELD", **{k: v for k, v in JP_DAIRY.items() if k != "issuer"})
    assert outcome(decision) == (Outcome.UNDETERMINED, R.CAB_NOT_RECORDED)
    (check,) = decision.checks
    assert check.code is R.CAB_NOT_RECORDED and "FRAB" in check.message and "ISO 11290-1" in check.message


def test_an_issuer_not_held_is_unknown_cab_only_inside_a_cabs_declaration():
    w = standard_world().declare("CABS", CK.CABS, "2025-08-10")
    kwargs = {k: v for k, v in JP_DAIRY.items() if k != "issuer"}
    assert outcome(decide_in(w, issuer="LAB-NOT-HELD", issue="2025-08-10", **kwargs)) == (Outcome.INVALID, R.UNKNOWN_CAB)
    # the day before the declaration holds, FRAB's ACCREDITATIONS declaration still refutes the claim
    assert decide_in(w, issuer="LAB-NOT-HELD", issue="2025-08-09", **kwargs).reason is R.UNKNOWN_CAB
    w = w.without_declarations(CK.ACCREDITATIONS)
    assert decide_in(w, issuer="LAB-NOT-HELD", issue="2025-08-09", **kwargs).reason is R.CAB_NOT_RECORDED


def test_an_issuer_not_held_claiming_a_body_with_an_accreditations_declaration_is_refuted():
    w = open_world().declare("ACC-FRAB", CK.ACCREDITATIONS, "2025-08-10", accreditation_body="FRAB")
    kwargs = {k: v for k, v in JP_DAIRY.items() if k != "issuer"}
    assert decide_in(w, issuer="LAB-NOT-HELD", issue="2025-08-10", **kwargs).reason is R.UNKNOWN_CAB
    assert decide_in(w, issuer="LAB-NOT-HELD", issue="2025-08-09", **kwargs).reason is R.CAB_NOT_RECORDED


def test_an_issuer_not_held_fails_when_every_route_fails_on_a_recorded_fact():
    # KGAB suspended in ILAC_MRA on the issue date: no accreditation, held or not, could carry recognition
    w = open_world()
    decision = decide_in(w, exporter="KG", importer="AU", issuer="LAB-KG-NOT-HELD", body="KGAB",
                         issue="2018-10-01", clear="2018-11-15")
    assert outcome(decision) == (Outcome.RETEST_REQUIRED, R.AB_SUSPENDED_AT_ISSUE)
    # a signatory body: the route would pass on the claim, so it is unknown until the issuer is verified
    decision = decide_in(w, exporter="KG", importer="AU", issuer="LAB-KG-NOT-HELD", body="KGAB",
                         issue="2018-10-02", clear="2018-11-15")
    assert outcome(decision) == (Outcome.UNDETERMINED, R.CAB_NOT_RECORDED)


def test_an_issuer_not_held_without_a_claimed_body_has_no_body_to_evaluate():
    decision = decide_in(open_world(), issuer="LAB-NOT-HELD", body=None)
    assert outcome(decision) == (Outcome.UNDETERMINED, R.CAB_NOT_RECORDED)


def test_a_claimed_body_not_held_is_unrecognised_only_when_refuted():
    kwargs = {k: v for k, v in JP_DAIRY.items() if k != "body"}
    assert decide_in(open_world(), body="NOT-AN-AB", **kwargs).reason is R.ACCREDITATION_NOT_RECORDED
    w = open_world().lookalike("NOT-AN-AB")
    assert outcome(decide_in(w, body="NOT-AN-AB", **kwargs)) == (Outcome.INVALID, R.UNRECOGNISED_ACCREDITATION_BODY)
    w = open_world().declare("ABS", CK.ACCREDITATION_BODIES, "2025-08-10")
    assert decide_in(w, body="NOT-AN-AB", issue="2025-08-10", **kwargs).reason is R.UNRECOGNISED_ACCREDITATION_BODY
    assert decide_in(w, body="NOT-AN-AB", issue="2025-08-09", **kwargs).reason is R.ACCREDITATION_NOT_RECORDED


def test_a_claimed_accreditation_not_held_is_a_mismatch_only_inside_the_bodys_declaration():
    kwargs = {k: v for k, v in JP_DAIRY.items() if k != "body"}
    w = open_world().declare("ACC-NZAB", CK.ACCREDITATIONS, "2025-08-10", accreditation_body="NZAB")
    assert decide_in(w, body="NZAB", issue="2025-08-10", **kwargs).reason is R.ACCREDITATION_MISMATCH
    decision = decide_in(w, body="NZAB", issue="2025-08-09", **kwargs)
    assert outcome(decision) == (Outcome.UNDETERMINED, R.ACCREDITATION_NOT_RECORDED)
    assert [c.code for c in decision.checks] == [R.ACCREDITATION_NOT_RECORDED]
    # a claimed number the CAB is not recorded with: the same
    assert decide_in(open_world(), number="FRAB-999", **JP_DAIRY).reason is R.ACCREDITATION_NOT_RECORDED
    assert decide_in(standard_world(), number="FRAB-999", **JP_DAIRY).reason is R.ACCREDITATION_MISMATCH


def test_step_5_is_decisive_for_a_recorded_accreditation():
    w = open_world().replace_accreditation("LFR", "FRAB-1", valid_to="2025-08-09")
    assert decide_in(w, **JP_DAIRY).reason is R.CAB_ACCREDITATION_NOT_ACTIVE


def test_the_document_only_checks_run_for_an_issuer_not_held():
    kwargs = {k: v for k, v in JP_DAIRY.items() if k not in ("issuer", "tests")}
    w = open_world()
    assert decide_in(w, issuer="LAB-NOT-HELD", under_accreditation=False, **kwargs).reason is \
        R.NOT_ISSUED_UNDER_ACCREDITATION
    assert decide_in(w, issuer="LAB-NOT-HELD", tests=("ISO 11290-1",), **kwargs).reason is R.MISSING_REQUIRED_TEST


# -- step 7: statuses the registry does not hold ---------------------------------------------------------------

def test_a_missing_status_is_unknown_without_a_signatories_declaration():
    w = open_world().without_statuses("FRAB")
    decision = decide_in(w, **JP_DAIRY)
    assert outcome(decision) == (Outcome.UNDETERMINED, R.STATUS_NOT_RECORDED)
    assert "held no signatory status" not in decision.reasons[0].message
    w.declare("SIG-ILAC", CK.SIGNATORIES, "2025-08-10", arrangement="ILAC_MRA", activities=(A.TESTING,))
    assert outcome(decide_in(w, **JP_DAIRY)) == (Outcome.RETEST_REQUIRED, R.AB_NOT_SIGNATORY_FOR_SCOPE)
    assert decide_in(w, issue="2025-08-09", **JP_DAIRY).reason is R.STATUS_NOT_RECORDED
    w = open_world().without_statuses("FRAB").declare("SIG-ILAC-CAL", CK.SIGNATORIES, arrangement="ILAC_MRA",
                                                      activities=(A.CALIBRATION,))
    assert decide_in(w, **JP_DAIRY).reason is R.STATUS_NOT_RECORDED  # declared for another activity only


def test_a_recorded_suspension_is_decisive_without_a_declaration():
    w = open_world()
    decision = decide_in(w, exporter="KG", importer="AU", issuer="LKG", body="KGAB", issue="2018-10-01",
                         clear="2018-11-15")
    assert outcome(decision) == (Outcome.RETEST_REQUIRED, R.AB_SUSPENDED_AT_ISSUE)


def test_unknown_in_one_named_arrangement_beats_a_failure_in_another():
    # SG names ILAC and APAC; INAB holds no ILAC record for RMP and no declaration says that is a fact
    w = open_world()
    kwargs = dict(exporter="IN", importer="SG", hs="382290", issuer="LIN", body="INAB", type=T.RM_CERTIFICATE,
                  issue="2025-03-01", clear="2025-04-01")
    assert decide_in(w, **kwargs).outcome is Outcome.RECOGNISED  # APAC passes
    w = open_world().without_statuses("INAB", "APAC_MRA")
    w.status("INAB", "APAC_MRA", A.RMP, S.SUSPENDED, "2015-01-01")
    assert outcome(decide_in(w, **kwargs)) == (Outcome.UNDETERMINED, R.STATUS_NOT_RECORDED)
    w.declare("SIG-ILAC", CK.SIGNATORIES, arrangement="ILAC_MRA")
    assert outcome(decide_in(w, **kwargs)) == (Outcome.RETEST_REQUIRED, R.AB_SUSPENDED_AT_ISSUE)


def test_an_activity_the_arrangement_does_not_cover_is_no_unknown():
    w = open_world().without_statuses("FRAB")
    w.arrangements["ILAC_MRA"] = replace(w.arrangements["ILAC_MRA"], activities=(A.CALIBRATION,))
    assert decide_in(w, **JP_DAIRY).reason is R.AB_NOT_SIGNATORY_FOR_SCOPE


# -- starts that are not known ---------------------------------------------------------------------------------

def _enac_like(reported: str | None) -> World:
    w = standard_world().without_statuses("FRAB")
    w.arrangements["ILAC_MRA"] = replace(w.arrangements["ILAC_MRA"], activity_starts=(
        model.ActivityStart(A.TESTING, d("2001-01-31")), model.ActivityStart(A.INSPECTION, d("2012-10-24"))))
    w.statuses.append(model.SignatoryStatusRecord("FRAB", "ILAC_MRA", A.TESTING, None, S.SIGNATORY, None, None,
                                                  reported_since=reported))
    return w


@pytest.mark.parametrize("issue, warned", [("2023-12-31", True), ("2024-01-01", False)])
def test_status_start_unknown_before_reported_since(issue, warned):
    clear = (d(issue) + timedelta(days=20)).isoformat()
    decision = decide_in(_enac_like("2024-01-01"), issue=issue, clear=clear, **JP_DAIRY)
    assert decision.outcome is Outcome.RECOGNISED
    assert (W.STATUS_START_UNKNOWN in warning_codes(decision)) is warned
    assert ([c.code for c in decision.checks] == [W.STATUS_START_UNKNOWN]) is warned


def test_a_status_without_a_start_holds_from_the_activity_start_not_the_beginning_of_time():
    w = _enac_like(None).replace_accreditation("LFR", "FRAB-1", valid_from="2000-01-01")
    assert decide_in(w, issue="2001-01-31", clear="2001-02-20", **JP_DAIRY).outcome is Outcome.RECOGNISED
    # the day before the arrangement covered testing: no record holds, and the declaration makes that a fact
    assert decide_in(w, issue="2001-01-30", clear="2001-02-20", **JP_DAIRY).reason is R.AB_NOT_SIGNATORY_FOR_SCOPE


def test_a_relied_on_unknown_start_caps_assurance_at_unconfirmed():
    def confirmed(world: World) -> Snapshot:
        registry = world.registry()
        sure = model.Provenance(Confidence.CONFIRMED)
        return Snapshot.build(_with_confidence(registry, sure))

    kwargs = dict(issue="2023-06-01", clear="2023-06-20", **JP_DAIRY)
    capped = decide(confirmed(_enac_like("2024-01-01")), consignment(**kwargs))
    assert capped.assurance is Assurance.UNCONFIRMED
    known = decide(confirmed(_enac_like("2020-01-01")), consignment(**kwargs))
    assert known.assurance is Assurance.CONFIRMED


@pytest.mark.parametrize("text, day", [("2024-01-01", "2024-01-01"), ("2018-04", "2018-04-30"), ("2003", "2003-12-31"),
                                       ("2024-02", "2024-02-29"), (None, None), ("soon", None)])
def test_known_since_reads_partial_dates_as_the_end_of_their_period(text, day):
    assert known_since(text) == d(day)


# -- government route ------------------------------------------------------------------------------------------

def test_a_missing_designation_is_unknown_without_a_designations_declaration():
    gmp = dict(exporter="DE", importer="US", hs="300490", issuer="AUTH-DE", body=None, type=T.GMP_INSPECTION,
               issue="2019-05-01", clear="2019-08-01")
    decision = decide_in(open_world(), **gmp)
    assert outcome(decision) == (Outcome.UNDETERMINED, R.DESIGNATION_NOT_RECORDED)
    assert [c.code for c in decision.checks] == [R.DESIGNATION_NOT_RECORDED]
    assert decide_in(standard_world(), **gmp).reason is R.AUTHORITY_NOT_RECOGNISED_AT_ISSUE
    w = open_world().declare("DES-GMP", CK.DESIGNATIONS, "2019-05-01", arrangement="EU_US_MRA", sector="EU-US-GMP-H",
                             party="US")
    assert decide_in(w, **gmp).reason is R.AUTHORITY_NOT_RECOGNISED_AT_ISSUE
    w = open_world().declare("DES-GMP-EU", CK.DESIGNATIONS, arrangement="EU_US_MRA", party="EU")
    assert decide_in(w, **gmp).reason is R.DESIGNATION_NOT_RECORDED  # declared for the other side only


def test_an_unknown_designation_does_not_stop_the_later_check():
    # the EU-CH sector was terminated with voidsExisting: that fails the candidate whatever the designation
    w = open_world().without_designations("LCH")
    decision = decide_in(w, exporter="CH", importer="DE", hs="901890", issuer="LCH", body="CHAB",
                         type=T.PRODUCT_CERTIFICATION, issue="2021-03-01", clear="2021-06-01")
    assert outcome(decision) == (Outcome.RETEST_REQUIRED, R.SECTOR_TERMINATED_VOIDS_EXISTING)


def test_an_issuer_not_held_on_a_government_route_is_unknown_unless_designations_are_declared():
    radio = dict(exporter="DE", importer="US", hs="851762", issuer="LAB-DE-NOT-HELD", body="DEAB",
                 issue="2026-05-01", clear="2026-06-01")
    assert outcome(decide_in(open_world(), **radio)) == (Outcome.UNDETERMINED, R.CAB_NOT_RECORDED)
    w = open_world().declare("DES", CK.DESIGNATIONS, arrangement="EU_US_MRA").declare(
        "DES-APEC", CK.DESIGNATIONS, arrangement="APEC_TEL_MRA")
    assert outcome(decide_in(w, **radio)) == (Outcome.RETEST_REQUIRED, R.CAB_NOT_DESIGNATED)


# -- assurance -------------------------------------------------------------------------------------------------

def _with_confidence(registry: model.Registry, provenance: model.Provenance) -> model.Registry:
    """Every fact of ``registry`` with ``provenance`` (the worlds are built without any)."""
    def mark(item):
        return replace(item, provenance=provenance)

    return replace(
        registry,
        unions=tuple(mark(replace(u, memberships=tuple(map(mark, u.memberships)))) for u in registry.unions),
        arrangements=tuple(mark(replace(a, sectors=tuple(
            mark(replace(s, operations=tuple(map(mark, s.operations)))) for s in a.sectors))) for a in registry.arrangements),
        accreditation_bodies=tuple(mark(replace(b, statuses=tuple(map(mark, b.statuses))))
                                   for b in registry.accreditation_bodies),
        cabs=tuple(mark(replace(c, accreditations=tuple(map(mark, c.accreditations)),
                                designations=tuple(map(mark, c.designations)))) for c in registry.cabs),
        policies=tuple(map(mark, registry.policies)),
        declarations=tuple(map(mark, registry.declarations)),
    )


def test_assurance_is_the_weakest_fact_relied_on():
    registry = _with_confidence(standard_world().registry(), model.Provenance(Confidence.CONFIRMED))
    decision = decide(Snapshot.build(registry), consignment(**JP_DAIRY))
    assert (decision.outcome, decision.assurance) == (Outcome.RECOGNISED, Assurance.CONFIRMED)
    weak_status = replace(registry, accreditation_bodies=tuple(
        replace(b, statuses=tuple(replace(s, provenance=model.Provenance(Confidence.UNCONFIRMED)) for s in b.statuses))
        if b.code == "FRAB" else b for b in registry.accreditation_bodies))
    assert decide(Snapshot.build(weak_status), consignment(**JP_DAIRY)).assurance is Assurance.UNCONFIRMED
    # a status of a body the decision did not rest on does not lower it
    other = replace(registry, accreditation_bodies=tuple(
        replace(b, statuses=tuple(replace(s, provenance=model.Provenance(Confidence.FIXTURE)) for s in b.statuses))
        if b.code == "NZAB" else b for b in registry.accreditation_bodies))
    assert decide(Snapshot.build(other), consignment(**JP_DAIRY)).assurance is Assurance.CONFIRMED


def test_assurance_of_not_required_rests_on_the_declaration():
    registry = _with_confidence(standard_world().registry(), model.Provenance(Confidence.CONFIRMED))
    decision = decide(Snapshot.build(registry), consignment(importer="JP", hs="220300", issuer=None))
    assert (decision.reason, decision.assurance) == (R.NO_REQUIREMENT, Assurance.CONFIRMED)
    weak = replace(registry, declarations=tuple(
        replace(x, provenance=model.Provenance(Confidence.UNCONFIRMED)) if x.importer == "JP" else x
        for x in registry.declarations))
    assert decide(Snapshot.build(weak), consignment(importer="JP", hs="220300", issuer=None)).assurance is \
        Assurance.UNCONFIRMED


def test_a_decision_resting_on_no_registry_fact_is_confirmed():
    decision = decide_in(standard_world(), issue="2025-09-02", clear="2025-09-01", **JP_DAIRY)
    assert (decision.reason, decision.assurance) == (R.FUTURE_DATED, Assurance.CONFIRMED)


# -- properties ------------------------------------------------------------------------------------------------

PROFILES = (
    dict(exporter="NZ", importer="JP", hs="040690", issuer="LNZ", body="NZAB", type=T.TESTING),
    dict(exporter="FR", importer="JP", hs="040690", issuer="LFR", body="FRAB", type=T.TESTING),
    dict(exporter="FR", importer="JP", hs="040690", issuer="LAB-NOT-HELD", body="FRAB", type=T.TESTING),
    dict(exporter="FR", importer="JP", hs="040690", issuer="LFR", body="NOT-AN-AB", type=T.TESTING),
    dict(exporter="KG", importer="AU", hs="040690", issuer="LKG", body="KGAB", type=T.TESTING),
    dict(exporter="US", importer="AR", hs="040690", issuer="LUS", body="USAB", type=T.TESTING),
    dict(exporter="BW", importer="ZA", hs="848180", issuer="LBW", body="BWAB", type=T.MS_CERTIFICATION),
    dict(exporter="IN", importer="SG", hs="382290", issuer="LIN", body="INAB", type=T.RM_CERTIFICATE),
    dict(exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB", type=T.TESTING),
    dict(exporter="DE", importer="US", hs="851762", issuer="LAB-DE-NOT-HELD", body="DEAB", type=T.TESTING),
    dict(exporter="DE", importer="US", hs="300490", issuer="AUTH-DE", body=None, type=T.GMP_INSPECTION),
    dict(exporter="JP", importer="CA", hs="220300", issuer=None, body=None, type=T.TESTING),
    dict(exporter="NZ", importer="QQ", hs="040690", issuer="LNZ", body="NZAB", type=T.TESTING),
)
CLOSED = standard_world()
CLOSED_REGISTRY = CLOSED.registry()
ALL_DECLARATIONS = CLOSED_REGISTRY.declarations + (
    model.CompletenessDeclaration("CABS", CK.CABS, d("1990-01-01"), None),)
OPEN_REGISTRY = replace(CLOSED_REGISTRY, declarations=())
OPEN_SNAPSHOT = Snapshot.build(OPEN_REGISTRY)
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def consignments(draw):
    profile = dict(draw(st.sampled_from(PROFILES)))
    issue = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2028, 12, 31)))
    clear = issue + timedelta(days=draw(st.integers(min_value=0, max_value=120)))
    return consignment(issue=issue, clear=clear, tests=None, **profile)


def _rests_on_an_issuer_not_held(snapshot: Snapshot, c) -> bool:
    a = c.attestation
    if a is None:
        return False
    cab = snapshot.cabs.get(a.issuer)
    return cab is None or (a.accreditation_body is not None and not any(
        v.accreditation.accreditation_body == a.accreditation_body for v in cab.accreditations))


@PROPERTY_SETTINGS
@given(consignments(), st.lists(st.sampled_from(ALL_DECLARATIONS), min_size=1, max_size=4, unique_by=lambda x: x.code))
def test_adding_a_declaration_changes_only_undetermined_decisions_or_those_on_an_issuer_not_held(c, added):
    before = decide(OPEN_SNAPSHOT, c)
    after = decide(Snapshot.build(replace(OPEN_REGISTRY, declarations=tuple(added))), c)
    if (after.outcome, after.reason) != (before.outcome, before.reason):
        assert before.outcome is Outcome.UNDETERMINED or _rests_on_an_issuer_not_held(OPEN_SNAPSHOT, c), (before, after)


@PROPERTY_SETTINGS
@given(consignments())
def test_without_declarations_never_no_requirement_nor_unknown_cab(c):
    decision = decide(OPEN_SNAPSHOT, c)
    assert decision.reason not in (R.NO_REQUIREMENT, R.UNKNOWN_CAB, R.ACCREDITATION_MISMATCH)
    if decision.outcome is Outcome.UNDETERMINED:
        assert decision.checks and all(check.message for check in decision.checks)


# -- found by review: every route treats an unheld claim alike; paths carry every fact relied on ----------------

def test_a_designated_cab_with_a_claimed_accreditation_not_held_is_undetermined_on_the_government_route():
    radio = dict(exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB", issue="2026-05-01",
                 clear="2026-06-01")
    assert decide_in(open_world(), **radio).outcome is Outcome.RECOGNISED
    decision = decide_in(open_world(), number="DEAB-999", **radio)
    assert outcome(decision) == (Outcome.UNDETERMINED, R.ACCREDITATION_NOT_RECORDED)
    assert [c.code for c in decision.checks] == [R.ACCREDITATION_NOT_RECORDED]


def test_the_importers_union_membership_is_a_link_of_a_passing_government_route():
    from engine_world import gov

    w = standard_world().policy("P-DE-8517", "DE", ("8517",), T.TESTING, ("FCC Part 15",), (gov(),), 365)
    w.designation("LUS", "EU_US_MRA", "EU-US-TEL", "EU", "2018-01-01")
    decision = decide_in(w, exporter="US", importer="DE", hs="851762", issuer="LUS", body="USAB",
                         issue="2026-05-01", clear="2026-06-01")
    assert (decision.outcome, decision.route.arrangement) == (Outcome.RECOGNISED, "EU_US_MRA")
    assert [(link.subject, link.requirement) for link in decision.path
            if link.kind.value == "UNION_MEMBERSHIP"] == [("DE", 0)]


@pytest.mark.parametrize("status", [S.SIGNATORY, S.SUSPENDED, S.WITHDRAWN])
def test_any_status_whose_activity_is_not_recorded_leaves_the_activity_unknown(status):
    w = standard_world().without_statuses("NZAB").status("NZAB", "ILAC_MRA", None, status, "2001-01-31")
    decision = decide_in(w)
    assert outcome(decision) == (Outcome.UNDETERMINED, R.STATUS_NOT_RECORDED)
