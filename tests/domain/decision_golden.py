"""Recorded decisions: a guard for changes that must not change any decision (issue 11's speed work).

Two worlds, each with thousands of consignments drawn deterministically (a fixed seed):
- ``synthetic``: the 1,000-CAB invented registry of ``benchmarks/synthetic.py`` and the consignment mix of
  ``benchmarks/engine_bench.py`` (policy candidates, government routes, random pairs, intra-union, none, unknown);
- ``engine_world``: the invented standard world of tests/domain/engine_world.py, consignments drawn as below;
- ``fixtures``: data/reference/registry.json + data/fixtures/scenarios.json read and folded as the store's loader
  does, the worked cases of tests/scenario_cases.py, and consignments drawn over every importer, policy, CAB,
  accreditation body and look-alike the registry holds (several documents, wrong types, claims that do not
  match, stale, future-dated and lot-mismatched documents, tests listed or not).

Each decision is kept as a digest of its canonical JSON (every field: outcome, reasons and their messages, path,
warnings, checks, assurance, dates, routes), so the file stays small; ``tests/domain/test_decision_golden.py``
asserts the engine still gives exactly these decisions. Each world also records a digest of its inputs (the
registry and the consignments): when they change (new data, a changed generator or test world), the world's
recorded decisions no longer apply and are recorded again.

A deliberate change of decisions (a rule change) records again, from the repository root:

    .venv/bin/python -m tests.domain.decision_golden --record
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Iterable

from mra_registry.domain import model
from mra_registry.domain.codes import AttestationType
from mra_registry.domain.decision import Attestation, Consignment, Decision
from mra_registry.domain.engine import decide
from mra_registry.domain.errors import InvalidInput
from mra_registry.domain.snapshot import Snapshot

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("decision_golden.json")
FIXTURE_DOCUMENTS = (ROOT / "data" / "reference" / "registry.json", ROOT / "data" / "fixtures" / "scenarios.json")
SEED = 20261211
SYNTHETIC_CABS = 1_000
SYNTHETIC_CONSIGNMENTS = 2_500
FIXTURE_CONSIGNMENTS = 2_500
ENGINE_WORLD_CONSIGNMENTS = 1_500


# -- canonical form ---------------------------------------------------------------------------------------------

def canonical(decision: Decision) -> str:
    """Every field of the decision, as sorted JSON (enums by value, dates in ISO form)."""
    return json.dumps(dataclasses.asdict(decision), sort_keys=True, default=str, ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def outcome_of(snapshot: Snapshot, consignment: Consignment) -> str:
    """The canonical decision, or the input error the engine raised."""
    try:
        return canonical(decide(snapshot, consignment))
    except InvalidInput as error:
        return json.dumps({"error": str(error.code), "field": error.field})


# -- the worlds --------------------------------------------------------------------------------------------------

def synthetic_world() -> tuple[model.Registry, list[Consignment]]:
    from benchmarks.engine_bench import consignment_mix
    from benchmarks.synthetic import generate

    registry, catalogue = generate(SYNTHETIC_CABS)
    return registry, consignment_mix(registry, catalogue, SYNTHETIC_CONSIGNMENTS, SEED)


def fixture_registry() -> model.Registry:
    from mra_registry.interchange.merging import merge_documents
    from mra_registry.interchange.reader import decode, read_documents

    named = [(str(path), decode(str(path), path.read_bytes())) for path in FIXTURE_DOCUMENTS]
    parsed = merge_documents(read_documents(named))
    return model.Registry(1, parsed.unions, parsed.arrangements, parsed.accreditation_bodies, parsed.cabs,
                          parsed.policies, parsed.lookalike_bodies, parsed.declarations, parsed.acceptance_lists)


def fixture_world() -> tuple[model.Registry, list[Consignment]]:
    from tests.scenario_cases import CASES, to_consignment

    registry = fixture_registry()
    cases = [to_consignment(case) for case in CASES]
    return registry, cases + drawn_consignments(registry, FIXTURE_CONSIGNMENTS, SEED)


def engine_world() -> tuple[model.Registry, list[Consignment]]:
    from tests.domain.engine_world import standard_world

    registry = standard_world().registry()
    return registry, drawn_consignments(registry, ENGINE_WORLD_CONSIGNMENTS, SEED)


def inputs_digest(registry: model.Registry, consignments: list[Consignment]) -> str:
    """What the recorded decisions were computed from: when it differs, they no longer apply."""
    sha = hashlib.sha256()
    sha.update(_plain_json(registry).encode())
    for consignment in consignments:
        sha.update(_plain_json(consignment).encode())
    return sha.hexdigest()[:16]


def _plain_json(value) -> str:
    return json.dumps(dataclasses.asdict(value), sort_keys=True, ensure_ascii=False, default=_plain)


def _plain(value):
    if isinstance(value, (set, frozenset)):  # sorted: a set's order changes with the process's hash seed
        return sorted(value)
    return str(value)


def drawn_consignments(registry: model.Registry, count: int, seed: int) -> list[Consignment]:
    """Consignments over what ``registry`` holds: half start from a policy, half from a CAB's accreditation and
    a policy asking for its type, mostly with fresh documents issued while accredited (so that most reach the
    recognition routes); the rest vary everything."""
    rng = random.Random(seed)
    policies = sorted(registry.policies, key=lambda p: p.code)
    cabs = sorted(registry.cabs, key=lambda c: c.code)
    accredited = [c for c in cabs if c.accreditations]
    bodies = sorted(b.code for b in registry.accreditation_bodies)
    claims = bodies + sorted(b.code for b in registry.lookalike_bodies) + ["NOT-A-BODY"]
    members = {u.code: sorted({m.economy for m in u.memberships}) for u in registry.unions}
    economies = sorted({c.economy for c in cabs} | {e for group in members.values() for e in group}
                       | {p.importer for p in policies if p.importer not in members} | {"JP", "US", "KR", "ZZ"})
    by_type: dict[AttestationType, list[model.ImportPolicy]] = {}
    for policy in policies:
        for requirement in policy.requirements:
            by_type.setdefault(requirement.required_type, []).append(policy)
    types = list(AttestationType)
    made: list[Consignment] = []
    while len(made) < count:
        cab = accreditation = None
        if accredited and rng.random() < 0.5:
            cab = rng.choice(accredited)
            accreditation = rng.choice(cab.accreditations)
            kind = _TYPE_OF_ACTIVITY.get(accreditation.activity.value)
            policy = rng.choice(by_type.get(kind) or policies)
        else:
            policy = rng.choice(policies)
        importer = policy.importer
        if importer in members:
            importer = rng.choice(members[importer]) if members[importer] else rng.choice(economies)
        if rng.random() < 0.1:
            importer = rng.choice(economies)
        prefix = rng.choice(policy.hs_prefixes) if policy.hs_prefixes else f"{rng.randrange(1, 98):02d}"
        hs = (prefix + "".join(str(rng.randrange(10)) for _ in range(10)))[:rng.choice((6, 6, 8, 10))]
        clear = _clearance(rng, accreditation)
        documents = []
        for number in range(rng.choices((0, 1, 2, 3), (4, 76, 15, 5))[0]):
            first = number == 0  # the first document is the drawn CAB's, when one was drawn
            documents.append(_document(rng, policy, cab if first else None, accreditation if first else None,
                                       accredited or cabs, claims, types, clear))
        exporter = rng.choice(economies)
        if documents and rng.random() < 0.75:  # mostly shipped from where the first document's issuer is
            issuer = next((c for c in cabs if c.code == documents[0].issuer), None)
            exporter = issuer.economy if issuer is not None else exporter
        shipped = rng.choice((f"LOT-{len(made) % 7}",) * 3 + (None,))
        if rng.random() < 0.8:  # mostly the lot the (first) document names
            shipped = documents[0].lot if documents else shipped
        if len(documents) == 1 and rng.random() < 0.8:
            made.append(Consignment(exporter, importer, hs, clear, shipped, documents[0]))
        else:
            made.append(Consignment(exporter, importer, hs, clear, shipped, attestations=tuple(documents)))
    return made


_TYPE_OF_ACTIVITY = {"TESTING": AttestationType.TESTING, "CALIBRATION": AttestationType.CALIBRATION,
                     "MEDICAL_TESTING": AttestationType.MEDICAL_TESTING, "INSPECTION": AttestationType.INSPECTION,
                     "PRODUCT_CERTIFICATION": AttestationType.PRODUCT_CERTIFICATION,
                     "MS_CERTIFICATION": AttestationType.MS_CERTIFICATION,
                     "PERSONS_CERTIFICATION": AttestationType.PERSONS_CERTIFICATION,
                     "RMP": AttestationType.RM_CERTIFICATE}


def _clearance(rng: random.Random, accreditation: model.Accreditation | None) -> date:
    if accreditation is not None and accreditation.valid_from is not None and rng.random() < 0.85:
        end = accreditation.valid_to or date(2028, 12, 31)
        return accreditation.valid_from + timedelta(days=rng.randrange(max((end - accreditation.valid_from).days, 1)))
    return date(2012, 1, 1) + timedelta(days=rng.randrange(17 * 365))


def _document(rng: random.Random, policy: model.ImportPolicy, cab, accreditation, cabs: list, claims: list[str],
              types: list, clear: date) -> Attestation:
    requirement = rng.choice(policy.requirements)
    if cab is None:
        cab = rng.choice(cabs)
        accreditation = rng.choice(cab.accreditations) if cab.accreditations else None
    kind = requirement.required_type if rng.random() < 0.8 else rng.choice(types)
    issuer = cab.code if rng.random() < 0.93 else rng.choice(("CAB-UNKNOWN", "L99", "AUTH-XX"))
    body = number = None
    draw = rng.random()
    if accreditation is not None and draw < 0.75:
        body = accreditation.accreditation_body
        number = accreditation.number if rng.random() < 0.3 else None
    elif draw < 0.88:
        body = rng.choice(claims)
    low, high = rng.choices(((0, 120), (0, 900), (-15, 0)), (85, 12, 3))[0]  # now and then after the clearance
    age = rng.randrange(low, high)
    tests = rng.choice((None, None, (), requirement.required_tests, requirement.required_tests[:1],
                        (*requirement.required_tests, "ISO 9999-1")))
    lot = rng.choice((f"LOT-{rng.randrange(7)}", f"LOT-{rng.randrange(7)}", None))
    return Attestation(kind, issuer, clear - timedelta(days=age), body, number, lot, tests, rng.random() < 0.94)


WORLDS: dict[str, Callable[[], tuple[model.Registry, list[Consignment]]]] = {
    "synthetic": synthetic_world,
    "fixtures": fixture_world,
    "engine_world": engine_world,
}


def decisions(snapshot: Snapshot, consignments: Iterable[Consignment]) -> list[str]:
    return [outcome_of(snapshot, c) for c in consignments]


def record() -> dict:
    recorded: dict = {"seed": SEED, "worlds": {}}
    for name, world in WORLDS.items():
        registry, consignments = world()
        made = decisions(Snapshot.build(registry), consignments)
        outcomes: dict[str, int] = {}
        for text in made:
            data = json.loads(text)
            key = f"{data['outcome']}/{data['reason']}" if "outcome" in data else f"error/{data['error']}"
            outcomes[key] = outcomes.get(key, 0) + 1
        recorded["worlds"][name] = {"inputs": inputs_digest(registry, consignments), "count": len(made),
                                    "outcomes": dict(sorted(outcomes.items())),
                                    "digests": [digest(text) for text in made]}
    return recorded


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true", help=f"write {GOLDEN.name} from the engine as it is")
    parser.add_argument("--dump", type=Path, help="write every canonical decision (one JSON a line) to this file")
    args = parser.parse_args(argv)
    if args.dump is not None:
        with args.dump.open("w") as out:
            for name, world in WORLDS.items():
                registry, consignments = world()
                for index, text in enumerate(decisions(Snapshot.build(registry), consignments)):
                    out.write(f"{name} {index} {text}\n")
    if args.record:
        GOLDEN.write_text(json.dumps(record(), indent=0) + "\n")
        print(f"recorded {GOLDEN}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
