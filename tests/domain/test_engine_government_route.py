"""RULES.md step 7, the government route: candidates, the four checks in order, and "got furthest".
Fixtures: ``engine_world`` (invented)."""
from __future__ import annotations

from engine_world import A, K, T, decide_in, gov, item, standard_world

from mra_registry.domain.codes import CabKind, Outcome, PathLinkKind as P, ReasonCode as R, RouteKind

DE_US = dict(exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB", issue="2026-05-01", clear="2026-06-01")
TW_US = dict(exporter="TW", importer="US", hs="851762", issuer="LTW", body="TWAB", issue="2026-01-10", clear="2026-02-01")


def test_a_designated_cab_in_an_operational_sector_is_recognised():
    decision = decide_in(standard_world(), **DE_US)
    assert (decision.outcome, decision.reason) == (Outcome.RECOGNISED, R.GOVERNMENT_ROUTE)
    assert (decision.route.kind, decision.route.arrangement, decision.route.sector) == (
        RouteKind.GOVERNMENT, "EU_US_MRA", "EU-US-TEL")
    kinds = [link.kind for link in decision.path]
    assert {P.POLICY, P.CAB, P.SECTOR_OPERATION, P.DESIGNATION} <= set(kinds)
    assert P.SIGNATORY_STATUS not in kinds


def test_a_sector_not_covering_the_code_or_the_type_is_not_covered():
    w = standard_world()
    assert decide_in(w, **{**DE_US, "hs": "040690"}).reason is R.SECTOR_NOT_COVERED  # P-US-0406
    w.sector("EU_US_MRA", "EU-US-TEL", ("8517",), (T.PRODUCT_CERTIFICATION,),
             (("EU", "US", T.PRODUCT_CERTIFICATION, "1998-12-01", None),))
    assert decide_in(w, **DE_US).reason is R.SECTOR_NOT_COVERED


def test_an_excluded_code_is_not_covered():
    w = standard_world()
    kwargs = dict(exporter="DE", importer="US", issuer="AUTH-DE", body=None, type=T.GMP_INSPECTION,
                  issue="2020-01-10", clear="2020-02-01")
    assert decide_in(w, hs="300490", **kwargs).reason is R.GOVERNMENT_ROUTE
    assert decide_in(w, hs="3004909200", **kwargs).reason is R.SECTOR_NOT_COVERED


def test_no_government_arrangement_between_the_parties_is_not_covered():
    w = standard_world().policy("P-US-0406", "US", ("0406",), T.TESTING, ("ISO 11290-1",), (gov(),), 90)
    assert decide_in(w, exporter="NZ", importer="US", issue="2025-08-10", clear="2025-09-01").reason is \
        R.SECTOR_NOT_COVERED


def test_a_named_arrangement_limits_the_candidates():
    w = standard_world().policy("P-US-8517", "US", ("8517",), T.TESTING, ("FCC Part 15",), (gov("APEC_TEL_MRA"),), 365)
    assert decide_in(w, **DE_US).reason is R.SECTOR_NOT_COVERED  # DE is no APEC TEL party
    assert decide_in(w, **TW_US).reason is R.GOVERNMENT_ROUTE


def test_phase_not_implemented_when_another_type_is_operational():
    w = standard_world().policy("P-US-8517-CERT", "US", ("8517",), T.PRODUCT_CERTIFICATION, ("TELECOM-EQ-CERT",),
                                (gov("APEC_TEL_MRA"),), 365)
    w.accreditation("LTW", "TWAB-2", "TWAB", A.PRODUCT_CERTIFICATION, "2015-01-01", "2028-12-31",
                    item("TELECOM-EQ-CERT", "8517"))
    decision = decide_in(w, **{**TW_US, "type": T.PRODUCT_CERTIFICATION})
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.PHASE_NOT_IMPLEMENTED)


def test_sector_not_operational_when_no_type_is():
    w = standard_world()
    w.sector("APEC_TEL_MRA", "APEC-TEL", ("8517",), (T.TESTING, T.PRODUCT_CERTIFICATION),
             (("US", "TW", T.TESTING, "2027-01-01", None),))
    assert decide_in(w, **TW_US).reason is R.SECTOR_NOT_OPERATIONAL


def test_operation_belongs_to_the_pair_of_parties():
    w = standard_world()  # APEC TEL is operational US-TW only; JP is a party without an operation with US
    w.cab("LJP", "JP").accreditation("LJP", "JPAB-1", "JPAB", A.TESTING, "2015-01-01", "2028-12-31",
                                     item("FCC Part 15", "8517"))
    w.designation("LJP", "APEC_TEL_MRA", "APEC-TEL", "US", "2005-01-01")
    assert decide_in(w, exporter="JP", importer="US", hs="851762", issuer="LJP", body="JPAB",
                     issue="2026-01-10", clear="2026-02-01").reason is R.SECTOR_NOT_OPERATIONAL


def test_a_cab_without_designation_for_the_importers_side_is_not_designated():
    w = standard_world().without_designations("LDE")
    w.designation("LDE", "EU_US_MRA", "EU-US-TEL", "EU", "2018-01-01")  # designated for the wrong side
    assert decide_in(w, **DE_US).reason is R.CAB_NOT_DESIGNATED


def test_a_designation_listing_types_is_limited_to_them():
    w = standard_world().policy("P-US-8517-CERT", "US", ("8517",), T.PRODUCT_CERTIFICATION, ("TELECOM-EQ-CERT",),
                                (gov(),), 365)
    w.sector("APEC_TEL_MRA", "APEC-TEL", ("8517",), (T.TESTING, T.PRODUCT_CERTIFICATION),
             (("US", "TW", T.TESTING, "2001-05-01", None), ("US", "TW", T.PRODUCT_CERTIFICATION, "2010-01-01", None)))
    w.accreditation("LTW", "TWAB-2", "TWAB", A.PRODUCT_CERTIFICATION, "2015-01-01", "2028-12-31",
                    item("TELECOM-EQ-CERT", "8517"))
    certificate = {**TW_US, "type": T.PRODUCT_CERTIFICATION}
    assert decide_in(w, **certificate).reason is R.CAB_NOT_DESIGNATED  # designated for TESTING only
    w.without_designations("LTW").designation("LTW", "APEC_TEL_MRA", "APEC-TEL", "US", "2005-01-01")
    assert decide_in(w, **certificate).reason is R.GOVERNMENT_ROUTE  # no list: every type of the sector


def test_a_regulator_not_recognised_on_issue():
    decision = decide_in(standard_world(), exporter="DE", importer="US", hs="300490", issuer="AUTH-DE", body=None,
                         type=T.GMP_INSPECTION, issue="2019-05-01", clear="2019-08-01")
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.AUTHORITY_NOT_RECOGNISED_AT_ISSUE)


def test_a_member_states_later_start_is_its_designation_date():
    w = standard_world()
    w.sector("EU_US_MRA", "EU-US-GMP-V", ("30049092",), (T.GMP_INSPECTION,),
             (("EU", "US", T.GMP_INSPECTION, "2023-05-31", None),))
    w.policy("P-US-3004-V", "US", ("30049092",), T.GMP_INSPECTION, (), (gov(),))
    kwargs = dict(exporter="DE", importer="US", hs="3004909200", issuer="AUTH-DE", body=None, type=T.GMP_INSPECTION,
                  issue="2024-01-10", clear="2024-02-01")
    assert decide_in(w, **kwargs).reason is R.AUTHORITY_NOT_RECOGNISED_AT_ISSUE
    w.cab("AUTH-ES", "ES", CabKind.REGULATORY_AUTHORITY)
    w.designation("AUTH-ES", "EU_US_MRA", "EU-US-GMP-V", "US", "2023-05-31")
    decision = decide_in(w, **{**kwargs, "exporter": "ES", "issuer": "AUTH-ES"})
    assert decision.reason is R.GOVERNMENT_ROUTE and decision.route.sector == "EU-US-GMP-V"


def test_the_route_reason_is_that_of_the_candidate_that_got_furthest():
    # EU_US_MRA's telecom sector fails at designation; APEC TEL does not involve DE at all
    w = standard_world().without_designations("LDE")
    w.sector("EU_US_MRA", "EU-US-EMC", ("8504",), (T.TESTING,), (("EU", "US", T.TESTING, "1998-12-01", None),))
    assert decide_in(w, **DE_US).reason is R.CAB_NOT_DESIGNATED


def _tie_world(first: str, second: str):
    """Two arrangements between EU and US covering 8518: ``first`` has another type operational (phase not
    implemented), ``second`` nothing operational."""
    w = standard_world()
    w.replace_accreditation("LDE", "DEAB-1", scope=(item("FCC Part 15", "8518"),))
    w.policy("P-US-8518", "US", ("8518",), T.TESTING, ("FCC Part 15",), (gov(),), 365)
    w.arrangement(first, K.GOVERNMENT, parties=("EU", "US"))
    w.sector(first, "S1", ("8518",), (T.TESTING, T.PRODUCT_CERTIFICATION),
             (("EU", "US", T.PRODUCT_CERTIFICATION, "2000-01-01", None),))
    w.arrangement(second, K.GOVERNMENT, parties=("US", "EU"))
    w.sector(second, "S2", ("8518",), (T.TESTING,), ())
    return w


def test_a_tie_goes_to_the_first_arrangement_by_code():
    kwargs = {**DE_US, "hs": "851810"}
    assert decide_in(_tie_world("AAA_MRA", "ZZZ_MRA"), **kwargs).reason is R.PHASE_NOT_IMPLEMENTED
    assert decide_in(_tie_world("ZZZ_MRA", "AAA_MRA"), **kwargs).reason is R.SECTOR_NOT_OPERATIONAL


def test_termination_voiding_existing_attestations():
    decision = decide_in(standard_world(), exporter="CH", importer="DE", hs="901890", issuer="LCH", body="CHAB",
                         type=T.PRODUCT_CERTIFICATION, issue="2021-03-01", clear="2021-06-01")
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, R.SECTOR_TERMINATED_VOIDS_EXISTING)


def test_steps_5_and_6_still_apply_to_accredited_cabs_on_a_government_route():
    w = standard_world().replace_accreditation("LDE", "DEAB-1", valid_to="2025-12-31")
    assert decide_in(w, **DE_US).reason is R.CAB_ACCREDITATION_NOT_ACTIVE
    w = standard_world().replace_accreditation("LDE", "DEAB-1", scope=(item("FCC Part 15", "8516"),))
    assert decide_in(w, **DE_US).reason is R.OUT_OF_SCOPE


def test_the_importers_union_is_a_party_and_the_designation_can_be_for_the_union():
    decision = decide_in(standard_world(), exporter="CH", importer="FR", hs="901890", issuer="LCH", body="CHAB",
                         type=T.PRODUCT_CERTIFICATION, issue="2021-03-01", clear="2021-04-15")
    assert decision.reason is R.GOVERNMENT_ROUTE
    assert (decision.route.arrangement, decision.route.sector) == ("EU_CH_MRA", "EU-CH-MD")
    assert decision.policy == "P-EU-9018"
