"""Properties of the engine that must hold for every input (hypothesis). Fixtures: ``engine_world`` (invented).

- A signatory-status event, or a suspension or withdrawal of the CAB's accreditation, dated after the issue
  date never changes the outcome (RULES.md: never let a later event rescue or taint an attestation; the one
  exception, a government sector terminated with ``voidsExisting``, is a sector event and not generated here).
- Adding bodies the consignment does not involve never changes a decision.
- The same input against the same registry version gives an equal decision.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from engine_world import A, S, T, World, consignment, item, standard_world
from hypothesis import HealthCheck, given, settings, strategies as st

from mra_registry.domain import model
from mra_registry.domain.codes import Activity, CabKind, SignatoryStatus
from mra_registry.domain.engine import decide
from mra_registry.domain.snapshot import Snapshot

PROFILES = (
    dict(exporter="NZ", importer="JP", hs="040690", issuer="LNZ", body="NZAB", type=T.TESTING),
    dict(exporter="NZ", importer="AU", hs="040690", issuer="LNZ", body="NZAB", type=T.TESTING),
    dict(exporter="KG", importer="AU", hs="040690", issuer="LKG", body="KGAB", type=T.TESTING),
    dict(exporter="US", importer="AR", hs="040690", issuer="LUS", body="USAB", type=T.TESTING),
    dict(exporter="FR", importer="JP", hs="040690", issuer="LFR", body="FRAB", type=T.TESTING),
    dict(exporter="BW", importer="ZA", hs="848180", issuer="LBW", body="BWAB", type=T.MS_CERTIFICATION),
    dict(exporter="IN", importer="SG", hs="382290", issuer="LIN", body="INAB", type=T.RM_CERTIFICATE),
    dict(exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB", type=T.TESTING),
    dict(exporter="TW", importer="US", hs="851762", issuer="LTW", body="TWAB", type=T.TESTING),
    dict(exporter="CH", importer="DE", hs="901890", issuer="LCH", body="CHAB", type=T.PRODUCT_CERTIFICATION),
    dict(exporter="DE", importer="US", hs="300490", issuer="AUTH-DE", body=None, type=T.GMP_INSPECTION),
    dict(exporter="NZ", importer="DE", hs="040690", issuer="LNZ", body="NZAB", type=T.TESTING),
    dict(exporter="NZ", importer="KR", hs="040690", issuer="LNZ", body="NZAB", type=T.TESTING),
)
BODIES = ("NZAB", "FRAB", "DEAB", "TWAB", "USAB", "KGAB", "BWAB", "INAB", "CHAB")
ARRANGEMENTS = ("ILAC_MRA", "IAF_MLA", "GLOBAL_ACI_MRA", "APAC_MRA", "IAAC_MLA")
ACTIVITIES = (A.TESTING, A.MS_CERTIFICATION, A.RMP, A.PRODUCT_CERTIFICATION, None)
FIRST, LAST = date(2015, 1, 1), date(2028, 12, 31)
WORLD = standard_world()
REGISTRY = WORLD.registry()
SNAPSHOT = Snapshot.build(REGISTRY)

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def consignments(draw):
    profile = dict(draw(st.sampled_from(PROFILES)))
    issue = draw(st.dates(min_value=FIRST, max_value=LAST))
    # mostly fresh reports with the right lot, so that most examples reach the recognition routes
    age = draw(st.one_of(st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=400)))
    clear = issue + timedelta(days=age)
    if draw(st.booleans()):
        profile["body"] = None
    lot = draw(st.sampled_from(("LOT-1", "LOT-1", "LOT-1", "LOT-2", None)))
    tests = None
    if profile["hs"].startswith("04"):
        tests = draw(st.sampled_from((None, None, (), ("ISO 11290-1", "ISO 6579-1"), ("ISO 11290-1",))))
    return consignment(issue=issue, clear=clear, shipped_lot="LOT-1", lot=lot, tests=tests, **profile)


@st.composite
def later_status_events(draw, issue: date):
    body = draw(st.sampled_from(BODIES))
    arrangement = draw(st.sampled_from(ARRANGEMENTS))
    activity = draw(st.sampled_from(ACTIVITIES))
    standard = draw(st.sampled_from((None, None, "ISO 9001")))
    status = draw(st.sampled_from(tuple(SignatoryStatus)))
    start = issue + timedelta(days=draw(st.integers(min_value=1, max_value=800)))
    return model.SignatoryStatusRecord(body, arrangement, activity, standard, status, start, None)


def with_status_event(registry: model.Registry, event: model.SignatoryStatusRecord) -> model.Registry:
    """Add ``event`` the way a registry records it: the newer event ends the older one of its key the day before."""
    bodies = []
    found = False
    for body in registry.accreditation_bodies:
        if body.code != event.accreditation_body:
            bodies.append(body)
            continue
        found = True
        kept = []
        for record in body.statuses:
            if record.key != event.key:
                kept.append(record)
            elif (record.valid_from or date.min) >= event.valid_from:
                continue  # replaced by the new event (it starts after the issue date too)
            elif record.valid_to is None or record.valid_to >= event.valid_from:
                kept.append(replace(record, valid_to=event.valid_from - timedelta(days=1)))
            else:
                kept.append(record)
        bodies.append(replace(body, statuses=(*kept, event)))
    if not found:
        bodies.append(model.AccreditationBody(event.accreditation_body, event.accreditation_body, None,
                                              statuses=(event,)))
    return replace(registry, accreditation_bodies=tuple(bodies))


def with_accreditation_change(registry: model.Registry, cab_code: str, start: date, withdraw: bool) -> model.Registry:
    cabs = []
    for cab in registry.cabs:
        if cab.code == cab_code:
            changed = tuple(
                replace(a, withdrawn_on=start) if withdraw else replace(a, suspensions=(*a.suspensions,
                                                                                        model.Suspension(start, None)))
                for a in cab.accreditations
            )
            cab = replace(cab, accreditations=changed)
        cabs.append(cab)
    return replace(registry, cabs=tuple(cabs))


def essentials(decision):
    return decision.outcome, decision.reason, decision.route


@PROPERTY_SETTINGS
@given(data=st.data(), c=consignments())
def test_a_status_event_after_the_issue_date_never_changes_the_outcome(data, c):
    before = decide(SNAPSHOT, c)
    event = data.draw(later_status_events(c.attestation.issue_date))
    after = decide(Snapshot.build(with_status_event(REGISTRY, event)), c)
    assert essentials(after) == essentials(before)


@PROPERTY_SETTINGS
@given(c=consignments(), days=st.integers(min_value=1, max_value=800), withdraw=st.booleans())
def test_an_accreditation_suspended_or_withdrawn_after_issue_never_changes_the_outcome(c, days, withdraw):
    start = c.attestation.issue_date + timedelta(days=days)
    before = decide(SNAPSHOT, c)
    after = decide(Snapshot.build(with_accreditation_change(REGISTRY, c.attestation.issuer, start, withdraw)), c)
    assert essentials(after) == essentials(before)


@st.composite
def unrelated_worlds(draw) -> model.Registry:
    w = World()
    w.arrangements = dict(WORLD.arrangements)
    count = draw(st.integers(min_value=1, max_value=4))
    for n in range(count):
        body, cab = f"ZZAB{n}", f"ZZLAB{n}"
        for arrangement in draw(st.lists(st.sampled_from(ARRANGEMENTS), max_size=3, unique=True)):
            w.status(body, arrangement, draw(st.sampled_from(ACTIVITIES)), draw(st.sampled_from(tuple(S))),
                     draw(st.dates(min_value=FIRST, max_value=LAST)))
        w.cab(cab, draw(st.sampled_from(("NZ", "DE", "US", "TW", "CH", "JP"))),
              draw(st.sampled_from((CabKind.LABORATORY, CabKind.REGULATORY_AUTHORITY))))
        w.accreditation(cab, f"{body}-1", body, draw(st.sampled_from(tuple(Activity))), "2010-01-01", None,
                        item("ISO 11290-1", "04"), item("FCC Part 15", "8517"), item("ISO 9001"))
        if draw(st.booleans()):
            w.designation(cab, "EU_US_MRA", "EU-US-TEL", "US", "2000-01-01")
    extra = w.registry()
    return replace(REGISTRY, accreditation_bodies=REGISTRY.accreditation_bodies + extra.accreditation_bodies,
                   cabs=REGISTRY.cabs + extra.cabs)


@PROPERTY_SETTINGS
@given(c=consignments(), registry=unrelated_worlds())
def test_adding_unrelated_bodies_never_changes_a_decision(c, registry):
    assert decide(Snapshot.build(registry), c) == decide(SNAPSHOT, c)


@PROPERTY_SETTINGS
@given(c=consignments())
def test_the_same_input_and_registry_version_give_an_equal_decision(c):
    again = Snapshot.build(REGISTRY)
    first = decide(SNAPSHOT, c)
    assert decide(again, c) == first == decide(SNAPSHOT, c)
    assert first.registry_version == REGISTRY.version
