"""A small registry builder for the engine's unit tests, and one standard world to vary.

Everything here is an INVENTED FIXTURE: the bodies (``NZAB``, ``LNZ``, …), their dates and the import policies
are made up for testing and say nothing about any real body or any economy's law. The shape follows
SCENARIOS.md section 1 so that the rules are exercised on familiar ground.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from mra_registry.domain import model
from mra_registry.domain.codes import (
    Activity,
    ArrangementKind,
    AttestationType,
    CabKind,
    CompetenceKind,
    CompletenessKind,
    RouteKind,
    SignatoryStatus,
)
from mra_registry.domain.decision import Attestation, Consignment
from mra_registry.domain.snapshot import Snapshot

A = Activity
T = AttestationType
S = SignatoryStatus
K = ArrangementKind


def d(text: str | date | None) -> date | None:
    if text is None or isinstance(text, date):
        return text
    return date.fromisoformat(text)


def shift(day: str | date, days: int) -> date:
    return d(day) + timedelta(days=days)


def arr(*arrangements: str) -> model.Route:
    return model.Route(RouteKind.ARRANGEMENT, tuple(arrangements))


def gov(*arrangements: str) -> model.Route:
    return model.Route(RouteKind.GOVERNMENT, tuple(arrangements))


def official() -> model.Route:
    return model.Route(RouteKind.OFFICIAL_CERTIFICATE)


def listed(code: str) -> model.Route:
    return model.Route(RouteKind.LIST, acceptance_list=code)


def anyone() -> model.Route:
    return model.Route(RouteKind.ANY)


def req(required_type: AttestationType, tests: tuple[str, ...] = (), routes: tuple[model.Route, ...] = (),
        max_age: int | None = None, lot: bool = False, months: int | None = None) -> model.Requirement:
    return model.Requirement(required_type, tuple(tests), tuple(routes), max_age, months, lot)


def item(identifier: str, *prefixes: str, excluded: tuple[str, ...] = ()) -> model.ScopeItem:
    return model.ScopeItem(identifier, tuple(prefixes), tuple(excluded))


@dataclass
class _Cab:
    code: str
    economy: str
    kinds: tuple[CabKind, ...]
    accreditations: list[model.Accreditation] = field(default_factory=list)
    designations: list[model.Designation] = field(default_factory=list)
    competences: list[model.Competence] = field(default_factory=list)


# Economies the closed world declares complete import rules for even when it holds none of theirs.
CLOSED_WORLD_IMPORTERS = frozenset({"JP", "US", "AU", "AR", "SG", "ZA", "KR", "CA", "GB", "CH", "NZ", "TW", "IN",
                                    "BW", "KG", "DE", "FR", "ES", "CN", "AE", "BR", "MX", "EU", "HR"})


class World:
    """A mutable registry under construction; ``snapshot()`` freezes it."""

    def __init__(self) -> None:
        self.memberships: dict[str, list[model.UnionMembership]] = {}
        self.arrangements: dict[str, model.Arrangement] = {}
        self.bodies: dict[str, str | None] = {}
        self.statuses: list[model.SignatoryStatusRecord] = []
        self.cabs: dict[str, _Cab] = {}
        self.policies: dict[str, model.ImportPolicy] = {}
        self.declarations: dict[str, model.CompletenessDeclaration] = {}
        self.lookalikes: dict[str, model.LookalikeBody] = {}
        self.lists: dict[str, model.AcceptanceList] = {}
        # A closed world declares, when frozen, every kind of record complete for everything it holds (as the
        # scenario fixtures do, SCENARIOS.md 1.6), so a missing record is a fact; an open world declares nothing.
        self.closed = False
        self.cabs_complete = True  # a closed world also declares every issuer (SCENARIOS.md 1.6 does not)
        self.version = 1

    # -- unions and arrangements ---------------------------------------------------------------------------
    def member(self, union: str, economy: str, start=None, end=None) -> "World":
        self.memberships.setdefault(union, []).append(model.UnionMembership(union, economy, d(start), d(end)))
        return self

    def arrangement(self, code: str, kind: ArrangementKind, **fields) -> "World":
        for key in ("valid_from", "valid_to", "superseded_on"):
            if key in fields:
                fields[key] = d(fields[key])
        self.arrangements[code] = model.Arrangement(code, code.replace("_", " "), kind, **fields)
        return self

    def sector(self, arrangement: str, code: str, prefixes: tuple[str, ...], types: tuple[AttestationType, ...],
               operations: tuple[tuple[str, str, AttestationType, str | None, str | None], ...] = (),
               excluded: tuple[str, ...] = (), termination: tuple[str, bool] | None = None) -> "World":
        sector = model.Sector(
            arrangement, code, code, tuple(prefixes), tuple(excluded), tuple(types),
            tuple(model.SectorOperation(frozenset({a, b}), t, d(start), d(end)) for a, b, t, start, end in operations),
            model.SectorTermination(d(termination[0]), termination[1]) if termination else None,
        )
        current = self.arrangements[arrangement]
        others = tuple(s for s in current.sectors if s.code != code)
        self.arrangements[arrangement] = replace(current, sectors=(*others, sector))
        return self

    # -- accreditation bodies ------------------------------------------------------------------------------
    def body(self, code: str, economy: str | None = None) -> "World":
        self.bodies.setdefault(code, economy)
        return self

    def status(self, body: str, arrangement: str, activity: Activity | None, status: SignatoryStatus, start=None,
               end=None, standard: str | None = None) -> "World":
        self.body(body)
        self.statuses.append(model.SignatoryStatusRecord(body, arrangement, activity, standard, status, d(start), d(end)))
        return self

    def history(self, body: str, arrangement: str, activity: Activity | None,
                *events: tuple[SignatoryStatus, str], standard: str | None = None) -> "World":
        """A run of events for one key: each ends the day before the next starts (RULES.md: Dates)."""
        for index, (status, start) in enumerate(events):
            end = shift(events[index + 1][1], -1) if index + 1 < len(events) else None
            self.status(body, arrangement, activity, status, start, end, standard)
        return self

    def without_statuses(self, body: str, arrangement: str | None = None) -> "World":
        self.statuses = [s for s in self.statuses
                         if not (s.accreditation_body == body and (arrangement is None or s.arrangement == arrangement))]
        return self

    # -- conformity assessment bodies ----------------------------------------------------------------------
    def cab(self, code: str, economy: str, *kinds: CabKind) -> "World":
        self.cabs[code] = _Cab(code, economy, tuple(kinds) or (CabKind.LABORATORY,))
        return self

    def accreditation(self, cab: str, number: str, body: str, activity: Activity, start, end, *scope: model.ScopeItem,
                      suspensions: tuple[tuple[str, str | None], ...] = (), withdrawn_on=None) -> "World":
        self.body(body)
        self.cabs[cab].accreditations.append(model.Accreditation(
            cab, number, body, activity, d(start), d(end),
            tuple(model.Suspension(d(a), d(b)) for a, b in suspensions), d(withdrawn_on), tuple(scope),
        ))
        return self

    def replace_accreditation(self, cab: str, number: str, **fields) -> "World":
        for key in ("valid_from", "valid_to", "withdrawn_on"):
            if key in fields:
                fields[key] = d(fields[key])
        if "suspensions" in fields:
            fields["suspensions"] = tuple(model.Suspension(d(a), d(b)) for a, b in fields["suspensions"])
        entry = self.cabs[cab]
        entry.accreditations = [replace(a, **fields) if a.number == number else a for a in entry.accreditations]
        return self

    def designation(self, cab: str, arrangement: str, sector: str, for_party: str, start=None, end=None,
                    types: tuple[AttestationType, ...] = ()) -> "World":
        self.cabs[cab].designations.append(
            model.Designation(cab, arrangement, sector, for_party, d(start), d(end), tuple(types)))
        return self

    def competence(self, cab: str, prefixes: tuple[str, ...], start=None, end=None,
                   excluded: tuple[str, ...] = ()) -> "World":
        self.cabs[cab].competences.append(model.Competence(
            cab, CompetenceKind.OFFICIAL_CERTIFICATE, tuple(prefixes), d(start), d(end), tuple(excluded)))
        return self

    def acceptance_list(self, code: str, owner: str) -> "World":
        self.lists[code] = model.AcceptanceList(code, f"{code} (invented)", owner)
        return self

    def list_entry(self, code: str, cab: str, activity: Activity | None, *scope: model.ScopeItem, start=None,
                   end=None) -> "World":
        current = self.lists[code]
        entry = model.ListEntry(code, cab, activity, d(start), d(end), tuple(scope))
        self.lists[code] = replace(current, entries=(*current.entries, entry))
        return self

    def without_designations(self, cab: str) -> "World":
        self.cabs[cab].designations = []
        return self

    # -- policies ------------------------------------------------------------------------------------------
    def policy(self, code: str, importer: str, prefixes: tuple[str, ...], required_type: AttestationType,
               tests: tuple[str, ...] = (), routes: tuple[model.Route, ...] = (), max_age: int | None = None,
               lot: bool = False, start=None, end=None, excluded: tuple[str, ...] = (), *,
               months: int | None = None, more: tuple[model.Requirement, ...] = (), origins: tuple[str, ...] = (),
               border_checks: float | None = None) -> "World":
        self.policies[code] = model.ImportPolicy(
            code, importer, tuple(prefixes), required_type, tuple(excluded), tuple(tests), tuple(routes), max_age, lot,
            d(start), d(end), max_age_months=months, additional_requirements=tuple(more), origins=tuple(origins),
            border_checks=model.BorderChecks(border_checks) if border_checks is not None else None,
        )
        return self

    def without_policy(self, code: str) -> "World":
        del self.policies[code]
        return self

    # -- what the registry knows ---------------------------------------------------------------------------
    def declare(self, code: str, kind: CompletenessKind, start="1990-01-01", end=None, **fields) -> "World":
        if "activities" in fields:
            fields["activities"] = tuple(fields["activities"])
        for key in ("hs_prefixes", "excluded_hs_prefixes"):
            if key in fields:
                fields[key] = tuple(fields[key])
        self.declarations[code] = model.CompletenessDeclaration(code, kind, d(start), d(end), **fields)
        return self

    def without_declarations(self, kind: CompletenessKind | None = None) -> "World":
        self.closed = False
        self.declarations = {code: x for code, x in self.declarations.items() if kind is not None and x.kind is not kind}
        return self

    def lookalike(self, code: str) -> "World":
        self.lookalikes[code] = model.LookalikeBody(code, f"{code} (invented look-alike)")
        return self

    def closed_world_declarations(self) -> tuple[model.CompletenessDeclaration, ...]:
        K_ = CompletenessKind
        made: list[model.CompletenessDeclaration] = [
            model.CompletenessDeclaration("ALL-ABS", K_.ACCREDITATION_BODIES, d("1990-01-01"), None),
            *((model.CompletenessDeclaration("ALL-CABS", K_.CABS, d("1990-01-01"), None),) if self.cabs_complete
              else ())]
        for code, arrangement in sorted(self.arrangements.items()):
            if arrangement.kind.is_accreditation:
                made.append(model.CompletenessDeclaration(f"SIG-{code}", K_.SIGNATORIES, d("1990-01-01"), None,
                                                          arrangement=code))
            elif arrangement.kind is K.GOVERNMENT:
                made.append(model.CompletenessDeclaration(f"DES-{code}", K_.DESIGNATIONS, d("1990-01-01"), None,
                                                          arrangement=code))
        for body in sorted(set(self.bodies) | {a.accreditation_body for c in self.cabs.values() for a in c.accreditations}):
            made.append(model.CompletenessDeclaration(f"ACC-{body}", K_.ACCREDITATIONS, d("1990-01-01"), None,
                                                      accreditation_body=body))
        importers = {p.importer for p in self.policies.values()} | set(self.memberships) | CLOSED_WORLD_IMPORTERS
        for code in sorted(self.lists):
            made.append(model.CompletenessDeclaration(f"LIST-{code}", K_.LIST_ENTRIES, d("1990-01-01"), None,
                                                      acceptance_list=code))
        for importer in sorted(importers):
            made.append(model.CompletenessDeclaration(f"POL-{importer}", K_.IMPORT_POLICIES, d("1990-01-01"), None,
                                                      importer=importer, includes_members=importer in self.memberships))
        return tuple(made)

    # -- freezing ------------------------------------------------------------------------------------------
    def registry(self) -> model.Registry:
        by_body: dict[str, list[model.SignatoryStatusRecord]] = {code: [] for code in self.bodies}
        for record in self.statuses:
            by_body.setdefault(record.accreditation_body, []).append(record)
        return model.Registry(
            version=self.version,
            unions=tuple(model.Union(code, code, tuple(members)) for code, members in self.memberships.items()),
            arrangements=tuple(self.arrangements.values()),
            accreditation_bodies=tuple(
                model.AccreditationBody(code, code, self.bodies.get(code), statuses=tuple(records))
                for code, records in by_body.items()
            ),
            cabs=tuple(
                model.ConformityAssessmentBody(c.code, f"{c.code} (invented)", c.economy, c.kinds,
                                               tuple(c.accreditations), tuple(c.designations),
                                               competences=tuple(c.competences))
                for c in self.cabs.values()
            ),
            policies=tuple(self.policies.values()),
            lookalike_bodies=tuple(self.lookalikes.values()),
            acceptance_lists=tuple(self.lists.values()),
            declarations=(*self.declarations.values(), *(self.closed_world_declarations() if self.closed else ())),
        )

    def snapshot(self) -> Snapshot:
        return Snapshot.build(self.registry())


def consignment(exporter: str = "NZ", importer: str = "JP", hs: str = "040690", *, clear="2025-09-01",
                issue="2025-08-10", issuer: str | None = "LNZ", body: str | None = "NZAB",
                type: AttestationType = T.TESTING, lot: str | None = "LOT-1", shipped_lot: str | None = "LOT-1",
                tests: tuple[str, ...] | None = None, under_accreditation: bool = True, number: str | None = None,
                credential: str | None = None) -> Consignment:
    attestation = None
    if issuer is not None:
        attestation = Attestation(type, issuer, d(issue), body, number, lot, tests, under_accreditation, credential)
    return Consignment(exporter, importer, hs, d(clear), shipped_lot, attestation)


DAIRY_TESTS = ("ISO 11290-1", "ISO 6579-1")


def standard_world() -> World:
    """INVENTED FIXTURES modelled on SCENARIOS.md section 1 (no statement about any real body or law). A closed
    world, as the scenario fixtures declare theirs (SCENARIOS.md 1.6); ``without_declarations`` opens it."""
    w = World()
    w.closed = True
    # the union: GB is treated as a member until the end of the transition period
    w.member("EU", "FR", "1958-01-01").member("EU", "DE", "1958-01-01").member("EU", "ES", "1986-01-01")
    w.member("EU", "GB", "1973-01-01", "2020-12-31")
    # accreditation arrangements and their succession
    w.arrangement("ILAC_MRA", K.ACCREDITATION_GLOBAL, superseded_by="GLOBAL_ACI_MRA", superseded_on="2026-01-01")
    w.arrangement("IAF_MLA", K.ACCREDITATION_GLOBAL, superseded_by="GLOBAL_ACI_MRA", superseded_on="2026-01-01")
    w.arrangement("GLOBAL_ACI_MRA", K.ACCREDITATION_GLOBAL, valid_from="2026-01-01")
    w.arrangement("APAC_MRA", K.ACCREDITATION_REGIONAL, region="APAC")
    w.arrangement("IAAC_MLA", K.ACCREDITATION_REGIONAL, region="IAAC")
    # government arrangements
    w.arrangement("EU_US_MRA", K.GOVERNMENT, parties=("EU", "US"))
    w.sector("EU_US_MRA", "EU-US-TEL", ("8517",), (T.TESTING, T.PRODUCT_CERTIFICATION),
             (("EU", "US", T.TESTING, "1998-12-01", None), ("EU", "US", T.PRODUCT_CERTIFICATION, "1998-12-01", None)))
    w.sector("EU_US_MRA", "EU-US-GMP-H", ("3004",), (T.GMP_INSPECTION,),
             (("EU", "US", T.GMP_INSPECTION, "2017-11-01", None),), excluded=("30049092",))
    w.arrangement("EU_CH_MRA", K.GOVERNMENT, parties=("EU", "CH"))
    w.sector("EU_CH_MRA", "EU-CH-MD", ("9018",), (T.PRODUCT_CERTIFICATION,),
             (("EU", "CH", T.PRODUCT_CERTIFICATION, "2002-06-01", "2021-05-25"),), termination=("2021-05-26", True))
    w.arrangement("APEC_TEL_MRA", K.GOVERNMENT, parties=("US", "TW", "JP"))
    w.sector("APEC_TEL_MRA", "APEC-TEL", ("8517",), (T.TESTING, T.PRODUCT_CERTIFICATION),
             (("US", "TW", T.TESTING, "2001-05-01", None),))
    w.arrangement("EU_NZ_SPS", K.SPS_EQUIVALENCE, parties=("EU", "NZ"), hs_prefixes=("04",), valid_from="2003-02-01")
    # accreditation bodies
    w.status("NZAB", "ILAC_MRA", A.TESTING, S.SIGNATORY, "2001-01-31")
    w.status("FRAB", "ILAC_MRA", A.TESTING, S.SIGNATORY, "2001-01-31")
    w.status("DEAB", "ILAC_MRA", A.TESTING, S.SIGNATORY, "2010-01-01")
    w.status("TWAB", "ILAC_MRA", A.TESTING, S.SIGNATORY, "2001-01-31")
    w.status("USAB", "ILAC_MRA", A.TESTING, S.SIGNATORY, "2001-01-31")
    w.history("USAB", "IAAC_MLA", A.TESTING, (S.SIGNATORY, "2002-10-24"), (S.WITHDRAWN, "2023-01-01"))
    w.history("KGAB", "ILAC_MRA", A.TESTING, (S.SIGNATORY, "2001-01-31"), (S.SUSPENDED, "2018-01-01"),
              (S.SIGNATORY, "2018-10-02"))
    w.status("BWAB", "IAF_MLA", A.MS_CERTIFICATION, S.SIGNATORY, "2019-11-09", standard="ISO 9001")
    w.status("INAB", "ILAC_MRA", A.TESTING, S.SIGNATORY, "2001-01-31")
    w.status("INAB", "APAC_MRA", A.RMP, S.SIGNATORY, "2015-01-01")
    w.body("CHAB", "CH")
    # conformity assessment bodies
    w.cab("LNZ", "NZ").accreditation("LNZ", "NZAB-1", "NZAB", A.TESTING, "2020-01-01", "2027-12-31",
                                     item("ISO 11290-1", "04"), item("ISO 6579-1", "04"))
    w.cab("LFR", "FR").accreditation("LFR", "FRAB-1", "FRAB", A.TESTING, "2019-01-01", "2028-12-31",
                                     item("ISO 11290-1", "04"), item("ISO 6579-1", "04"), item("ISO 14501", "04"))
    w.cab("LUS", "US").accreditation("LUS", "USAB-1", "USAB", A.TESTING, "2019-01-01", "2028-12-31",
                                     item("ISO 11290-1", "04"), item("ISO 6579-1", "04"), item("FCC Part 15", "8517"))
    w.cab("LKG", "KG").accreditation("LKG", "KGAB-1", "KGAB", A.TESTING, "2016-01-01", "2026-12-31",
                                     item("ISO 11290-1", "04"), item("ISO 6579-1", "04"))
    w.cab("LDE", "DE").accreditation("LDE", "DEAB-1", "DEAB", A.TESTING, "2018-01-01", "2028-12-31",
                                     item("FCC Part 15", "8517"), item("ISO 11290-1", "04"), item("ISO 6579-1", "04"))
    w.designation("LDE", "EU_US_MRA", "EU-US-TEL", "US", "2018-01-01")
    w.cab("LBW", "BW", CabKind.CERTIFICATION_BODY).accreditation(
        "LBW", "BWAB-1", "BWAB", A.MS_CERTIFICATION, "2018-01-01", "2026-12-31", item("ISO 9001"))
    w.cab("LCH", "CH", CabKind.CERTIFICATION_BODY).accreditation(
        "LCH", "CHAB-1", "CHAB", A.PRODUCT_CERTIFICATION, "2015-01-01", "2027-12-31", item("MD-CERT", "9018"))
    w.designation("LCH", "EU_CH_MRA", "EU-CH-MD", "EU", "2015-01-01")
    w.cab("LTW", "TW").accreditation("LTW", "TWAB-1", "TWAB", A.TESTING, "2015-01-01", "2028-12-31",
                                     item("FCC Part 15", "8517"))
    w.designation("LTW", "APEC_TEL_MRA", "APEC-TEL", "US", "2005-01-01", types=(T.TESTING,))
    w.cab("LIN", "IN", CabKind.REFERENCE_MATERIAL_PRODUCER).accreditation(
        "LIN", "INAB-1", "INAB", A.RMP, "2020-01-01", "2027-12-31", item("CRM-AFM1", "3822"))
    w.cab("AUTH-DE", "DE", CabKind.REGULATORY_AUTHORITY)
    w.designation("AUTH-DE", "EU_US_MRA", "EU-US-GMP-H", "US", "2019-06-26")
    # import policies
    w.policy("P-JP-0406", "JP", ("0406",), T.TESTING, DAIRY_TESTS, (arr("ILAC_MRA"),), 180, lot=True)
    w.policy("P-AR-0406", "AR", ("0406",), T.TESTING, DAIRY_TESTS, (arr("IAAC_MLA"),), 180, lot=True)
    w.policy("P-AU-0406", "AU", ("0406",), T.TESTING, DAIRY_TESTS, (arr("ILAC_MRA"),), 90, lot=True)
    w.policy("P-EU-0406", "EU", ("0406",), T.TESTING, DAIRY_TESTS, (arr("ILAC_MRA"),), 90, lot=True)
    w.policy("P-US-0406", "US", ("0406",), T.TESTING, DAIRY_TESTS, (gov(),), 90, lot=True)
    w.policy("P-US-8517", "US", ("8517",), T.TESTING, ("FCC Part 15",), (gov(), gov("APEC_TEL_MRA")), 365)
    w.policy("P-US-3004", "US", ("3004",), T.GMP_INSPECTION, (), (gov(),))
    w.policy("P-EU-9018", "EU", ("9018",), T.PRODUCT_CERTIFICATION, ("MD-CERT",), (gov(),))
    w.policy("P-ZA-8481", "ZA", ("8481",), T.MS_CERTIFICATION, ("ISO 9001",), (arr("IAF_MLA"),), 1095)
    w.policy("P-KR-0406", "KR", ("0406",), T.TESTING, DAIRY_TESTS, (), 90, lot=True)
    w.policy("P-SG-3822", "SG", ("3822",), T.RM_CERTIFICATE, ("CRM-AFM1",), (arr("ILAC_MRA", "APAC_MRA"),))
    w.policy("P-JP-3822", "JP", ("3822",), T.RM_CERTIFICATE, ("CRM-AFM1",), (arr("ILAC_MRA"),))
    return w


def decide_in(world: World, **kwargs):
    """Decide one consignment (see ``consignment`` for the keywords) against the world as it stands."""
    from mra_registry.domain.engine import decide

    return decide(world.snapshot(), consignment(**kwargs))


def warning_codes(decision) -> set:
    return {w.code for w in decision.warnings}
