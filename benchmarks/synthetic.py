"""A synthetic registry of realistic shape and size, for benchmarks (deterministic for a given seed).

EVERYTHING HERE IS INVENTED: body codes (``AB017``, ``CAB004711``), dates, scopes and policies are random
and say nothing about any real body or any economy's law. The shape follows the real world: about 200
accreditation bodies with status histories (suspensions and reinstatements, withdrawals, associates,
statuses per IAF standard, records without an activity, the ILAC/IAF -> Global ACI succession with and
without an own Global ACI record), CABs accredited mostly at home and sometimes across a frontier, about ten
scope items each, government arrangements with sectors, operations and designations, SPS agreements, unions,
and import policies by importer and HS prefix.

    python -m benchmarks.synthetic --cabs 100000 --write-document /tmp/registry.json
"""
from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from mra_registry.domain import model
from mra_registry.domain.codes import (
    Activity,
    ArrangementKind,
    AttestationType,
    CabKind,
    CompletenessKind,
    RouteKind,
    SignatoryStatus,
)

SEED = 20261125
SUCCESSION = date(2026, 1, 1)
EU_MEMBERS = ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
              "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE")
# 150 economies that take part in trade here (EU members and GB included)
ECONOMIES = EU_MEMBERS + ("GB",) + (
    "US", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "UY", "PY", "EC", "BO", "VE", "CR", "PA", "GT", "HN", "SV", "NI",
    "DO", "JM", "TT", "CU", "JP", "KR", "CN", "TW", "HK", "SG", "MY", "TH", "VN", "ID", "PH", "IN", "PK", "BD", "LK",
    "NP", "KH", "LA", "MM", "MN", "KZ", "KG", "UZ", "TJ", "TM", "AZ", "AM", "GE", "TR", "IL", "JO", "LB", "SA", "AE",
    "QA", "KW", "BH", "OM", "YE", "IR", "IQ", "EG", "MA", "DZ", "TN", "LY", "SD", "ET", "KE", "UG", "TZ", "RW", "BI",
    "ZA", "BW", "NA", "ZM", "ZW", "MZ", "MW", "AO", "NG", "GH", "CI", "SN", "CM", "GA", "CD", "MU", "MG", "SC", "AU",
    "NZ", "PG", "FJ", "WS", "TO", "NO", "IS", "CH", "LI", "UA", "MD", "BY", "RU", "RS", "ME", "MK", "AL", "BA", "MC",
    "AF", "BT", "BN", "MV", "TL",
)
ACCREDITATION_ARRANGEMENTS = ("ILAC_MRA", "IAF_MLA", "GLOBAL_ACI_MRA")
REGIONAL = ("EA_MLA", "APAC_MRA", "IAAC_MLA", "AFRAC_MRA", "ARAC_MLA", "SADCA_MRA")
ILAC_ACTIVITIES = (Activity.TESTING, Activity.CALIBRATION, Activity.MEDICAL_TESTING, Activity.INSPECTION,
                   Activity.PTP, Activity.RMP)
IAF_ACTIVITIES = (Activity.PRODUCT_CERTIFICATION, Activity.MS_CERTIFICATION, Activity.PERSONS_CERTIFICATION)
IAF_STANDARDS = ("ISO 9001", "ISO 14001", "ISO 45001", "ISO 22000")
# the activity of an accredited CAB, weighted like the real population (testing labs dominate)
CAB_ACTIVITIES = ((Activity.TESTING, 55), (Activity.CALIBRATION, 15), (Activity.MEDICAL_TESTING, 8),
                  (Activity.INSPECTION, 8), (Activity.PRODUCT_CERTIFICATION, 6), (Activity.MS_CERTIFICATION, 5),
                  (Activity.RMP, 1), (Activity.PERSONS_CERTIFICATION, 2))
TYPE_OF_ACTIVITY = {
    Activity.TESTING: AttestationType.TESTING, Activity.CALIBRATION: AttestationType.CALIBRATION,
    Activity.MEDICAL_TESTING: AttestationType.MEDICAL_TESTING, Activity.INSPECTION: AttestationType.INSPECTION,
    Activity.PRODUCT_CERTIFICATION: AttestationType.PRODUCT_CERTIFICATION,
    Activity.MS_CERTIFICATION: AttestationType.MS_CERTIFICATION,
    Activity.PERSONS_CERTIFICATION: AttestationType.PERSONS_CERTIFICATION, Activity.RMP: AttestationType.RM_CERTIFICATE,
}
KIND_OF_ACTIVITY = {
    Activity.TESTING: CabKind.LABORATORY, Activity.CALIBRATION: CabKind.CALIBRATION_LABORATORY,
    Activity.MEDICAL_TESTING: CabKind.MEDICAL_LABORATORY, Activity.INSPECTION: CabKind.INSPECTION_BODY,
    Activity.PRODUCT_CERTIFICATION: CabKind.CERTIFICATION_BODY, Activity.MS_CERTIFICATION: CabKind.CERTIFICATION_BODY,
    Activity.PERSONS_CERTIFICATION: CabKind.CERTIFICATION_BODY, Activity.RMP: CabKind.REFERENCE_MATERIAL_PRODUCER,
}
ADOPTION_PREFIXES = ("EN ", "BS EN ", "DIN EN ", "NF EN ", "UNE-EN ", "SS-EN ")


@dataclass
class Catalogue:
    """The product and method universe the generator draws from (also used to build realistic consignments)."""

    headings: list[str]  # 4-digit HS headings in use
    methods: dict[str, list[str]]  # heading -> method identifiers used for it
    policy_index: dict[str, list[model.ImportPolicy]]  # HS prefix -> policies listing it


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _catalogue(rng: random.Random) -> tuple[list[str], dict[str, list[str]]]:
    chapters = [f"{c:02d}" for c in range(1, 98) if c != 77]
    headings = sorted({f"{rng.choice(chapters)}{rng.randrange(1, 100):02d}" for _ in range(400)})
    methods: dict[str, list[str]] = {}
    number = 1000
    for heading in headings:
        family = []
        for _ in range(rng.randrange(6, 16)):
            number += rng.randrange(1, 7)
            kind = rng.random()
            if kind < 0.6:
                family.append(f"ISO {number}-{rng.randrange(1, 4)}")
            elif kind < 0.75:
                family.append(f"IEC {60000 + number}")
            elif kind < 0.85:
                family.append(f"EN {number % 1000} {rng.randrange(100, 999)}")
            else:
                family.append(f"LAB-METHOD-{number}")
        methods[heading] = family
    return headings, methods


def _spelled(rng: random.Random, identifier: str) -> str:
    """How a CAB's scope or a policy may spell a method: adoption prefixes, editions, case."""
    if identifier.startswith(("ISO", "IEC")) and rng.random() < 0.15:
        identifier = rng.choice(ADOPTION_PREFIXES) + identifier
    if rng.random() < 0.1:
        identifier = f"{identifier}:{rng.choice((2012, 2017, 2020))}"
    return identifier


def _unions(rng: random.Random) -> tuple[model.Union, ...]:
    eu = [model.UnionMembership("EU", e, date(1958, 1, 1) if e in ("FR", "DE", "IT", "NL", "BE", "LU") else
                                date(1973 + rng.randrange(0, 35), 1, 1), None) for e in EU_MEMBERS]
    eu.append(model.UnionMembership("EU", "GB", date(1973, 1, 1), date(2020, 12, 31)))
    # an invented second union, so that importers with two unions are exercised
    xu = [model.UnionMembership("XU", e, date(2010, 1, 1), None) for e in ("BH", "KW", "OM", "QA", "SA", "AE")]
    return model.Union("EU", "European Union", tuple(eu)), model.Union("XU", "Invented customs union", tuple(xu))


def _arrangements(rng: random.Random, headings: list[str]) -> tuple[model.Arrangement, ...]:
    arrangements = [
        model.Arrangement("ILAC_MRA", "ILAC MRA", ArrangementKind.ACCREDITATION_GLOBAL, superseded_by="GLOBAL_ACI_MRA",
                          superseded_on=SUCCESSION, activities=ILAC_ACTIVITIES),
        model.Arrangement("IAF_MLA", "IAF MLA", ArrangementKind.ACCREDITATION_GLOBAL, superseded_by="GLOBAL_ACI_MRA",
                          superseded_on=SUCCESSION, activities=IAF_ACTIVITIES),
        model.Arrangement("GLOBAL_ACI_MRA", "Global ACI MRA", ArrangementKind.ACCREDITATION_GLOBAL,
                          valid_from=SUCCESSION, activities=ILAC_ACTIVITIES + IAF_ACTIVITIES),
    ]
    arrangements += [model.Arrangement(code, code, ArrangementKind.ACCREDITATION_REGIONAL, region=code[:2])
                     for code in REGIONAL]
    partners = [e for e in ECONOMIES if e not in EU_MEMBERS and e != "GB"]
    government_types = (AttestationType.TESTING, AttestationType.PRODUCT_CERTIFICATION, AttestationType.INSPECTION)
    for index in range(24):
        partner = partners[index * 3 % len(partners)]
        parties = ("EU", partner) if index < 16 else tuple(rng.sample(partners, rng.randrange(5, 19)))
        code = f"GOV{index:02d}_MRA"
        sectors = []
        for number in range(rng.randrange(3, 9)):
            types = tuple(sorted(rng.sample(government_types, rng.randrange(1, 3))))
            pairs = [(a, b) for i, a in enumerate(parties) for b in parties[i + 1:]]
            operations = []
            for a, b in pairs if len(pairs) <= 10 else rng.sample(pairs, 10):
                for t in types:
                    if rng.random() < 0.8:
                        start = _day(rng, date(1999, 1, 1), date(2024, 12, 31))
                        end = _day(rng, start, date(2030, 12, 31)) if rng.random() < 0.1 else None
                        operations.append(model.SectorOperation(frozenset((a, b)), t, start, end))
            termination = None
            if rng.random() < 0.05:
                termination = model.SectorTermination(_day(rng, date(2020, 1, 1), date(2027, 1, 1)), rng.random() < 0.5)
            sectors.append(model.Sector(code, f"{code}-S{number}", f"sector {number}",
                                        tuple(rng.sample(headings, rng.randrange(1, 4))), (), types,
                                        tuple(operations), termination))
        arrangements.append(model.Arrangement(code, code, ArrangementKind.GOVERNMENT, parties=parties,
                                              sectors=tuple(sectors)))
    for index in range(6):
        partner = partners[(index * 7 + 1) % len(partners)]
        chapters = tuple(sorted({h[:2] for h in rng.sample(headings, 3)}))
        arrangements.append(model.Arrangement(f"SPS{index:02d}", f"SPS {index}", ArrangementKind.SPS_EQUIVALENCE,
                                              valid_from=_day(rng, date(1999, 1, 1), date(2020, 1, 1)),
                                              parties=("EU", partner), hs_prefixes=chapters))
    return tuple(arrangements)


def _status_history(rng: random.Random, body: str, arrangement: str, activity: Activity | None,
                    standard: str | None) -> list[model.SignatoryStatusRecord]:
    """One key's history: signatory from some date, sometimes suspended and reinstated, sometimes withdrawn;
    a few associates and applicants."""
    start = _day(rng, date(2000, 1, 1), date(2022, 12, 31))
    roll = rng.random()
    if roll < 0.05:
        events = [(SignatoryStatus.ASSOCIATE, start)]
    elif roll < 0.08:
        events = [(SignatoryStatus.APPLICANT, start)]
    else:
        events = [(SignatoryStatus.SIGNATORY, start)]
        if rng.random() < 0.12:  # suspended, then reinstated (or not)
            suspended = _day(rng, start + timedelta(days=30), date(2027, 6, 30))
            events.append((SignatoryStatus.SUSPENDED, suspended))
            if rng.random() < 0.7:
                events.append((SignatoryStatus.SIGNATORY, suspended + timedelta(days=rng.randrange(30, 300))))
        elif rng.random() < 0.05:
            events.append((SignatoryStatus.WITHDRAWN, _day(rng, start + timedelta(days=30), date(2027, 6, 30))))
    records = []
    for index, (status, day) in enumerate(events):
        end = events[index + 1][1] - timedelta(days=1) if index + 1 < len(events) else None
        records.append(model.SignatoryStatusRecord(body, arrangement, activity, standard, status, day, end))
    return records


def _accreditation_bodies(rng: random.Random, count: int) -> tuple[list[model.AccreditationBody], dict[str, list[str]]]:
    bodies = []
    by_economy: dict[str, list[str]] = {}
    for index in range(count):
        code = f"AB{index:03d}"
        economy = ECONOMIES[index % len(ECONOMIES)]
        by_economy.setdefault(economy, []).append(code)
        statuses: list[model.SignatoryStatusRecord] = []
        for activity in rng.sample(ILAC_ACTIVITIES, rng.randrange(1, 5)):
            statuses += _status_history(rng, code, "ILAC_MRA", activity, None)
        for activity in rng.sample(IAF_ACTIVITIES, rng.randrange(0, 3)):
            statuses += _status_history(rng, code, "IAF_MLA", activity, None)
        if rng.random() < 0.3:
            for standard in rng.sample(IAF_STANDARDS, rng.randrange(1, 3)):
                statuses += _status_history(rng, code, "IAF_MLA", Activity.MS_CERTIFICATION, standard)
        for regional in rng.sample(REGIONAL, rng.randrange(0, 2)):
            for activity in rng.sample(ILAC_ACTIVITIES, rng.randrange(1, 3)):
                statuses += _status_history(rng, code, regional, activity, None)
        if rng.random() < 0.3:  # an own Global ACI record from the succession date
            # sorted: a set's order follows the per-process string hash, and the same seed must give the
            # same registry in every process
            for activity in sorted({s.activity for s in statuses if s.arrangement in ("ILAC_MRA", "IAF_MLA")
                                    and s.activity}):
                status = SignatoryStatus.SIGNATORY if rng.random() < 0.9 else SignatoryStatus.WITHDRAWN
                statuses.append(model.SignatoryStatusRecord(code, "GLOBAL_ACI_MRA", activity, None, status,
                                                            SUCCESSION, None))
        if rng.random() < 0.03:  # a source that names no activity (never recognises anything)
            statuses.append(model.SignatoryStatusRecord(code, "ILAC_MRA", None, None, SignatoryStatus.SIGNATORY,
                                                        None, None, reported_since="2003"))
        bodies.append(model.AccreditationBody(code, f"Accreditation body {index}", economy, statuses=tuple(statuses)))
    return bodies, by_economy


def _cabs(rng: random.Random, count: int, scope_items: int, bodies: dict[str, list[str]], all_bodies: list[str],
          headings: list[str], methods: dict[str, list[str]], arrangements: tuple[model.Arrangement, ...]):
    activities = [a for a, _ in CAB_ACTIVITIES]
    weights = [w for _, w in CAB_ACTIVITIES]
    prefix_tuples: dict[str, tuple[str, ...]] = {}  # shared tuples: a million scope items reuse a few hundred
    # (economy, attestation type) -> the sectors its bodies could be designated under, and for which party
    government_by_party: dict[tuple[str, AttestationType], list] = {}
    for arrangement in arrangements:
        if arrangement.kind is not ArrangementKind.GOVERNMENT:
            continue
        for economy in ECONOMIES:
            own = {economy, "EU"} if economy in EU_MEMBERS else {economy}
            exporter_parties = own & set(arrangement.parties)
            if not exporter_parties:
                continue
            others = [p for p in arrangement.parties if p not in exporter_parties]
            for sector in arrangement.sectors:
                for attestation_type in sector.attestation_types:
                    for party in others[:3]:
                        government_by_party.setdefault((economy, attestation_type), []).append(
                            (arrangement, sector, party))
    per_cab = max(1, scope_items // max(count, 1))
    cabs = []
    for index in range(count):
        code = f"CAB{index:06d}"
        economy = rng.choice(ECONOMIES)
        home = bodies.get(economy)
        accreditations = []
        activity = rng.choices(activities, weights)[0]
        kinds = {KIND_OF_ACTIVITY[activity]}
        for number in range(1 if rng.random() < 0.8 else 2):
            if number:
                activity = rng.choices(activities, weights)[0]
                kinds.add(KIND_OF_ACTIVITY[activity])
            body = rng.choice(home) if home and rng.random() < 0.7 else rng.choice(all_bodies)
            start = _day(rng, date(2008, 1, 1), date(2024, 12, 31))
            end = _day(rng, date(2025, 1, 1), date(2031, 12, 31))
            suspensions = ()
            if rng.random() < 0.05:
                suspended = _day(rng, start, end)
                suspensions = (model.Suspension(suspended, suspended + timedelta(days=rng.randrange(20, 200))),)
            withdrawn_on = _day(rng, start, end) if rng.random() < 0.03 else None
            scope = []
            if activity in (Activity.MS_CERTIFICATION, Activity.PERSONS_CERTIFICATION):
                for standard in rng.sample(IAF_STANDARDS, rng.randrange(1, 4)):
                    scope.append(model.ScopeItem(standard))
            else:
                for heading in rng.sample(headings, rng.randrange(1, 4)):
                    prefix = heading if rng.random() < 0.8 else heading[:2]
                    hs = prefix_tuples.setdefault(prefix, (prefix,))
                    family = methods[heading]
                    wanted = max(1, per_cab // 2 - rng.randrange(2))  # about per_cab items per CAB in all
                    for identifier in rng.sample(family, min(len(family), wanted)):
                        scope.append(model.ScopeItem(_spelled(rng, identifier), hs))
            accreditations.append(model.Accreditation(code, f"{body}-{index}-{number}", body, activity, start, end,
                                                      suspensions, withdrawn_on, tuple(scope)))
        designations = []
        first = accreditations[0]
        options = government_by_party.get((economy, TYPE_OF_ACTIVITY[first.activity]), ())
        if options and rng.random() < 0.25:
            arrangement, sector, for_party = rng.choice(options)
            designations.append(model.Designation(code, arrangement.code, sector.code, for_party,
                                                  _day(rng, date(2000, 1, 1), date(2024, 1, 1)), None,
                                                  (TYPE_OF_ACTIVITY[first.activity],) if rng.random() < 0.3 else ()))
            # a designated body is accredited for the sector's products, with the methods importers ask for
            extra = tuple(model.ScopeItem(identifier, prefix_tuples.setdefault(heading, (heading,)))
                          for heading in sector.hs_prefixes for identifier in methods[heading][:3])
            accreditations[0] = replace(first, scope=first.scope + extra)
        if rng.random() < 0.002:
            kinds = {CabKind.REGULATORY_AUTHORITY}
            accreditations = []
        cabs.append(model.ConformityAssessmentBody(code, f"Conformity body {index}", economy, tuple(sorted(kinds)),
                                                   tuple(accreditations), tuple(designations)))
    return cabs


def _policies(rng: random.Random, count: int, headings: list[str], methods: dict[str, list[str]],
              arrangements: tuple[model.Arrangement, ...]) -> list[model.ImportPolicy]:
    importers = [e for e in ECONOMIES if e not in EU_MEMBERS][:100] + ["EU", "XU", "DE", "FR", "IT"]
    government = [a.code for a in arrangements if a.kind is ArrangementKind.GOVERNMENT]
    types = [(AttestationType.TESTING, 70), (AttestationType.INSPECTION, 8),
             (AttestationType.PRODUCT_CERTIFICATION, 12), (AttestationType.MS_CERTIFICATION, 4),
             (AttestationType.CALIBRATION, 3), (AttestationType.RM_CERTIFICATE, 2), (AttestationType.GMP_INSPECTION, 1)]
    policies = []
    # importers that signed government arrangements have policies accepting them for the sectors' products
    for arrangement in arrangements:
        if arrangement.kind is not ArrangementKind.GOVERNMENT:
            continue
        for sector in arrangement.sectors:
            for importer in arrangement.parties[:3]:
                if len(policies) >= count // 10:
                    break
                heading = sector.hs_prefixes[0]
                policies.append(model.ImportPolicy(
                    f"P{len(policies):05d}", importer, (heading,), rng.choice(sector.attestation_types), (),
                    (rng.choice(methods[heading][:3]),),
                    (model.Route(RouteKind.GOVERNMENT, ()), model.Route(RouteKind.ARRANGEMENT, ("ILAC_MRA",))),
                    rng.choice((None, 365, 1095)), False,
                ))
    while len(policies) < count:
        index = len(policies)
        heading = rng.choice(headings)
        roll = rng.random()
        prefix = heading[:2] if roll < 0.15 else heading if roll < 0.8 else f"{heading}{rng.randrange(10, 100)}"
        required_type = rng.choices([t for t, _ in types], [w for _, w in types])[0]
        if required_type is AttestationType.MS_CERTIFICATION:
            tests = (rng.choice(IAF_STANDARDS),)
        elif required_type is AttestationType.GMP_INSPECTION:
            tests = ()
        else:
            tests = tuple(_spelled(rng, m) for m in rng.sample(methods[heading], rng.randrange(1, 4)))
        routes_roll = rng.random()
        if routes_roll < 0.55:
            routes = (model.Route(RouteKind.ARRANGEMENT, (rng.choice(("ILAC_MRA", "IAF_MLA", "GLOBAL_ACI_MRA")),)),)
        elif routes_roll < 0.7:
            routes = (model.Route(RouteKind.ARRANGEMENT, ("ILAC_MRA", rng.choice(REGIONAL))),)
        elif routes_roll < 0.85:
            routes = (model.Route(RouteKind.GOVERNMENT, ()), model.Route(RouteKind.ARRANGEMENT, ("ILAC_MRA",)))
        elif routes_roll < 0.95:
            routes = (model.Route(RouteKind.GOVERNMENT, (rng.choice(government),)),)
        else:
            routes = ()
        start = _day(rng, date(2000, 1, 1), date(2020, 1, 1)) if rng.random() < 0.3 else None
        end = _day(rng, date(2024, 1, 1), date(2030, 1, 1)) if rng.random() < 0.1 else None
        policies.append(model.ImportPolicy(
            f"P{index:05d}", rng.choice(importers), (prefix,), required_type, (), tests, routes,
            rng.choice((None, 90, 180, 365, 1095)), rng.random() < 0.3, start, end,
        ))
    return policies


def generate(cabs: int = 100_000, *, scope_items: int | None = None, bodies: int = 200, policies: int = 5_000,
             seed: int = SEED) -> tuple[model.Registry, Catalogue]:
    """A registry with ``cabs`` CABs and about ten scope items each (``scope_items`` in all when given)."""
    rng = random.Random(seed)
    headings, methods = _catalogue(rng)
    unions = _unions(rng)
    arrangements = _arrangements(rng, headings)
    body_list, by_economy = _accreditation_bodies(rng, bodies)
    policy_list = _policies(rng, policies, headings, methods, arrangements)
    # CABs come last and from their own stream, so that the 1,000- and the 100,000-CAB registries share
    # bodies, arrangements and policies exactly
    cab_rng = random.Random(seed + 1)
    cab_list = _cabs(cab_rng, cabs, scope_items if scope_items is not None else cabs * 10, by_economy,
                     [b.code for b in body_list], headings, methods, arrangements)
    policy_index: dict[str, list[model.ImportPolicy]] = {}
    for policy in policy_list:
        for prefix in policy.hs_prefixes:
            policy_index.setdefault(prefix, []).append(policy)
    registry = model.Registry(version=1, unions=unions, arrangements=arrangements,
                              accreditation_bodies=tuple(body_list), cabs=tuple(cab_list), policies=tuple(policy_list),
                              declarations=_declarations(arrangements, body_list, policy_list, unions))
    return registry, Catalogue(headings, methods, policy_index)


def _declarations(arrangements, bodies, policies, unions) -> tuple[model.CompletenessDeclaration, ...]:
    """The invented registry declares itself complete for what it holds (as the scenario fixtures do), so the
    decisions exercise the whole engine rather than stopping at an unknown rule or status; issuers are left
    open, as in the fixtures."""
    since = date(1990, 1, 1)
    made = [model.CompletenessDeclaration("SYN-ABS", CompletenessKind.ACCREDITATION_BODIES, since, None)]
    for arrangement in arrangements:
        if arrangement.kind.is_accreditation:
            made.append(model.CompletenessDeclaration(f"SYN-SIG-{arrangement.code}", CompletenessKind.SIGNATORIES,
                                                      since, None, arrangement=arrangement.code))
        elif arrangement.kind is ArrangementKind.GOVERNMENT:
            made.append(model.CompletenessDeclaration(f"SYN-DES-{arrangement.code}", CompletenessKind.DESIGNATIONS,
                                                      since, None, arrangement=arrangement.code))
    made.extend(model.CompletenessDeclaration(f"SYN-ACC-{body.code}", CompletenessKind.ACCREDITATIONS, since, None,
                                              accreditation_body=body.code) for body in bodies)
    union_codes = {union.code for union in unions}
    importers = sorted({policy.importer for policy in policies} | set(ECONOMIES) | union_codes)
    made.extend(model.CompletenessDeclaration(f"SYN-POL-{importer}", CompletenessKind.IMPORT_POLICIES, since, None,
                                              importer=importer, includes_members=importer in union_codes)
                for importer in importers)
    return tuple(made)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cabs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--write-document", metavar="PATH", help="write the registry as a registry document")
    args = parser.parse_args(argv)
    registry, _ = generate(args.cabs, seed=args.seed)
    items = sum(len(a.scope) for c in registry.cabs for a in c.accreditations)
    print(f"{len(registry.accreditation_bodies)} accreditation bodies, {len(registry.cabs)} CABs, {items} scope items, "
          f"{len(registry.policies)} policies, {len(registry.arrangements)} arrangements")
    if args.write_document:
        from mra_registry.interchange.writer import document, dumps

        with open(args.write_document, "w", encoding="utf-8") as out:
            out.write(dumps(document(registry, title="Synthetic benchmark registry (invented)")))
        print(f"written to {args.write_document}")


if __name__ == "__main__":
    main()
