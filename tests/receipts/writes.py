"""A hundred later writes through the API's mutations, touching every kind of registry entity: coded entities
kept in place (accreditation and conformity assessment bodies, arrangements, look-alikes, unions, lists) and
dated facts (statuses, accreditations and their suspensions, policies, completeness declarations, list
entries, competences, designations). Several of them move the scenario decisions (S03's policy age, S44's
competence, S46's list entry), so a re-decision that ignored ``asOfRegistryVersion`` would differ.

Codes starting with ZZ- and every value written here are invented for the tests."""
from __future__ import annotations

import json
from typing import Callable

from mra_registry.store.tokens import Role
from tests.api.support import document, fixture_entity, mutate, registry_version, version

COFRAC_TESTING = {"accreditationBody": "COFRAC", "arrangement": "ILAC_MRA", "activity": "TESTING"}
L02_COFRAC = {"cab": "L02", "accreditationBody": "COFRAC", "number": "COFRAC-T-L02"}


def _load(api, token, **entities) -> dict:
    return mutate(api, "registryDocumentLoad", {"document": json.dumps(document(**entities))}, token)


def write_plan(api) -> list[Callable[[str], dict]]:
    """The writes, each a function of an administrator token returning the mutation's payload."""
    plan: list[Callable[[str], dict]] = []
    add = plan.append

    # one-off writes: new entities and the decisions they move
    add(lambda t: mutate(api, "accreditationBodyCreate", {
        "code": "ZZ-AB", "name": "Invented Accreditation Body", "economy": "FR", "region": "EA",
        "provenance": {"confidence": "FIXTURE", "note": "invented"}}, t))
    add(lambda t: mutate(api, "conformityAssessmentBodyCreate", {
        "code": "ZZ-LAB", "name": "Invented Laboratory", "economy": "FR", "kinds": ["LABORATORY"]}, t))
    add(lambda t: mutate(api, "acceptanceListEntryRecord", {
        "list": "US-TOY-LABS", "cab": "L23", "activity": "TESTING", "validFrom": "2026-01-01",
        "scope": [{"identifier": "ISO 8124-1", "hsPrefixes": ["9503"]}],
        "expectedVersion": version(api, "AcceptanceList", "US-TOY-LABS"), "provenance": {"confidence": "FIXTURE"}}, t))
    add(lambda t: mutate(api, "acceptanceListEntryEnd", {
        "list": "US-TOY-LABS", "cab": "L23", "activity": "TESTING", "validTo": "2026-01-31",
        "expectedVersion": version(api, "AcceptanceList", "US-TOY-LABS")}, t))
    add(lambda t: mutate(api, "competenceEnd", {
        "cab": "AUTH-EG", "kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["12"], "validTo": "2026-01-31",
        "expectedVersion": version(api, "ConformityAssessmentBody", "AUTH-EG")}, t))
    add(lambda t: mutate(api, "acceptanceListCreate", {"code": "ZZ-CA-LIST", "name": "Invented", "owner": "CA"}, t))
    add(lambda t: mutate(api, "designationEnd", {
        "cab": "L04", "arrangement": "EU_US_MRA", "sector": "EU-US-TEL", "forParty": "US", "validTo": "2026-03-31",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L04")}, t))
    add(lambda t: mutate(api, "importPolicyCreate", {
        "code": "ZZ-P-JP-0401", "importer": "JP", "name": "milk (invented)", "hsPrefixes": ["0401"],
        "requiredType": "TESTING", "requiredTests": ["ISO 11290-1"], "maxAgeDays": 90, "lotMatch": True,
        "routes": [{"kind": "ARRANGEMENT", "arrangements": ["ILAC_MRA"]}], "validFrom": "2025-01-01",
        "provenance": {"confidence": "FIXTURE"}}, t))
    add(lambda t: _load(api, t, arrangements=[{
        "code": "ZZ-ARR", "name": "Invented arrangement", "kind": "ACCREDITATION_GLOBAL",
        "activities": ["GHG_VALIDATION_VERIFICATION"], "confidence": "fixture"}]))
    for i in range(5):  # suspended and reinstated, each time later
        add(lambda t, i=i: mutate(api, "signatoryStatusSuspend", COFRAC_TESTING | {
            "validFrom": f"{2031 + i}-03-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, t))
        add(lambda t, i=i: mutate(api, "signatoryStatusReinstate", COFRAC_TESTING | {
            "validFrom": f"{2031 + i}-04-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, t))

    def rename(kind: str, code: str, value: dict):
        return lambda t: _load(api, t, **{kind: [fixture_entity(kind, code) | value]})

    for i in range(10):
        add(lambda t, i=i: mutate(api, "accreditationBodyUpdate", {
            "code": "COFRAC", "expectedVersion": version(api, "AccreditationBody", "COFRAC"),
            "name": f"COFRAC (revision {i})"}, t))
        add(lambda t, i=i: mutate(api, "conformityAssessmentBodyUpdate", {
            "code": "L02", "expectedVersion": version(api, "ConformityAssessmentBody", "L02"),
            "name": f"Laboratoire Fromager de Lyon (revision {i})",
            "kinds": ["LABORATORY", "INSPECTION_BODY"] if i % 2 == 0 else ["LABORATORY"]}, t))
        add(lambda t, i=i: mutate(api, "importPolicyAmend", {
            "code": "P-JP-0406", "maxAgeDays": 10 + i, "expectedVersion": version(api, "ImportPolicy", "P-JP-0406")}, t))
        add(lambda t, i=i: mutate(api, "accreditationSuspend", L02_COFRAC | {
            "validFrom": f"{2040 + i}-01-01", "validTo": f"{2040 + i}-01-31", "note": f"invented {i}",
            "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, t))
        add(lambda t, i=i: mutate(api, "completenessDeclarationRecord", {
            "code": f"ZZ-DECL-JP-2{i}", "kind": "IMPORT_POLICIES", "importer": "JP", "hsPrefixes": [f"2{i}"],
            "validFrom": "2000-01-01", "provenance": {"confidence": "FIXTURE"}}, t))
        add(rename("arrangements", "EU_US_MRA", {"note": f"invented revision {i}",
                                                          "confidence": "unconfirmed" if i % 2 else "confirmed"}))
        add(rename("lookalikeBodies", "GASB", {"name": f"GASB (revision {i})"}))
        add(rename("unions", "EU", {"note": f"invented revision {i}"}))
    for i in range(1, 3):
        add(lambda t, i=i: mutate(api, "accreditationBodyUpdate", {
            "code": "ZZ-AB", "expectedVersion": version(api, "AccreditationBody", "ZZ-AB"),
            "name": f"Invented Accreditation Body (revision {i})", "economy": "DE" if i == 1 else "NZ"}, t))
    add(lambda t: mutate(api, "competenceRecord", {
        "cab": "AUTH-EG", "kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["12"], "validFrom": "2026-03-01",
        "expectedVersion": version(api, "ConformityAssessmentBody", "AUTH-EG")}, t))
    return plan


def make_writes(api, after_each: Callable[[int], None] | None = None, count: int = 100, start: int = 0) -> int:
    """Runs ``count`` writes of the plan from ``start`` (each must be applied as exactly one new registry version);
    returns the last version."""
    token = api.token(Role.ADMINISTRATOR)
    plan = write_plan(api)
    assert len(plan) >= start + count, len(plan)
    for write in plan[start:start + count]:
        before = registry_version(api)
        payload = write(token)
        assert payload["errors"] == [], payload["errors"]
        assert registry_version(api) == before + 1, "each write must make one new registry version"
        if after_each is not None:
            after_each(before + 1)
    return registry_version(api)
