"""Helpers shared by the API tests: run a mutation by name, read versions and the change log, decide the
worked cases the write tests use, and take a picture of the whole registry to prove a refused write changed
nothing."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from mra_registry.api.schema import schema
from mra_registry.store.exporting import export_document

SCENARIOS = Path(__file__).resolve().parents[2] / "data" / "fixtures" / "scenarios.json"
REQUEST_ID = "test-request"  # what the `api` fixture sends as the request id

# which field of each payload holds the object written
PAYLOAD_OBJECT = {
    "accreditationBodyCreate": "accreditationBody",
    "accreditationBodyUpdate": "accreditationBody",
    "conformityAssessmentBodyCreate": "conformityAssessmentBody",
    "conformityAssessmentBodyUpdate": "conformityAssessmentBody",
    "signatoryStatusRecord": "accreditationBody",
    "signatoryStatusSuspend": "accreditationBody",
    "signatoryStatusReinstate": "accreditationBody",
    "signatoryStatusWithdraw": "accreditationBody",
    "accreditationGrant": "conformityAssessmentBody",
    "accreditationSuspend": "conformityAssessmentBody",
    "accreditationExtend": "conformityAssessmentBody",
    "accreditationWithdraw": "conformityAssessmentBody",
    "accreditationScopeSet": "conformityAssessmentBody",
    "designationCreate": "conformityAssessmentBody",
    "designationEnd": "conformityAssessmentBody",
    "importPolicyCreate": "importPolicy",
    "importPolicyAmend": "importPolicy",
    "registryDocumentLoad": None,
    "completenessDeclarationRecord": "completenessDeclaration",
    "completenessDeclarationEnd": "completenessDeclaration",
    "acceptanceListCreate": "acceptanceList",
    "acceptanceListEntryRecord": "acceptanceList",
    "acceptanceListEntryEnd": "acceptanceList",
    "competenceRecord": "conformityAssessmentBody",
    "competenceEnd": "conformityAssessmentBody",
}

OBJECT_SELECTION = {
    "accreditationBody": "accreditationBody { code version name economy { code } region "
                         "statuses(first: 100) { edges { node { arrangement { code } activity standard status "
                         "validFrom validTo } } } }",
    "conformityAssessmentBody": "conformityAssessmentBody { code version name economy { code } kinds "
                                "accreditations(first: 100) { edges { node { number accreditationBody { code } "
                                "activity validFrom validTo withdrawnOn "
                                "suspensions { edges { node { validFrom validTo note } } } "
                                "scope { edges { node { identifier hsPrefixes } } } } } } "
                                "designations(first: 100) { edges { node { arrangement { code } sector { code } "
                                "forParty validFrom validTo } } } "
                                "competences(first: 100) { edges { node { kind hsPrefixes excludedHsPrefixes "
                                "validFrom validTo } } } }",
    "importPolicy": "importPolicy { code version importer name hsPrefixes requiredType requiredTests maxAgeDays "
                    "lotMatch validFrom validTo routes { kind arrangements } maxAgeMonths origins "
                    "requirements { type requiredTests routes { kind arrangements list { code } } maxAgeDays "
                    "maxAgeMonths lotMatch } borderChecks { percent note } legalSource { instrument reference url } }",
    "acceptanceList": "acceptanceList { code version name owner entries(first: 100) { edges { node { cab { code } "
                      "activity validFrom validTo scope { edges { node { identifier hsPrefixes } } } } } } }",
    "completenessDeclaration": "completenessDeclaration { code version kind validFrom validTo importer hsPrefixes "
                               "excludedHsPrefixes includesMembers arrangement { code } activities "
                               "accreditationBody { code } sector { code } party list confidence sources note }",
    None: "changed changes",
}


def nodes(value: Any) -> Any:
    """An answer with each nested connection selected as only `edges { node }` read as the list of its nodes
    (the write tests are about what was written, not about pages; test_nested_connections is about pages)."""
    if isinstance(value, dict):
        if set(value) == {"edges"}:
            return [nodes(edge["node"]) for edge in value["edges"]]
        return {key: nodes(item) for key, item in value.items()}
    if isinstance(value, list):
        return [nodes(item) for item in value]
    return value


def input_type(mutation: str) -> str:
    """The GraphQL type of a mutation's `input` argument, e.g. `SignatoryStatusEventInput!`."""
    return str(schema.graphql_schema.mutation_type.fields[mutation].args["input"].type)


def mutate(api, mutation: str, data: dict, token: str | None, selection: str | None = None,
           authorization: str | None = None) -> dict:
    """Run one mutation; the request itself must be well-formed (no top-level errors): refusals are data."""
    selection = OBJECT_SELECTION[PAYLOAD_OBJECT[mutation]] if selection is None else selection
    document = (f"mutation($input: {input_type(mutation)}) {{ {mutation}(input: $input) {{ "
                f"registryVersion errors {{ field message code }} {selection} }} }}")
    result = api(document, {"input": data}, token=token, authorization=authorization)
    assert not result.errors, result.errors
    return nodes(result.data[mutation])


def error_codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


def token_id(token: str) -> str:
    return token.split("_", 2)[1]


def registry_version(api) -> int:
    result = api("{ registryVersion }")
    assert not result.errors, result.errors
    return result.data["registryVersion"]


_LOOKUP = {"AccreditationBody": "accreditationBody", "ConformityAssessmentBody": "conformityAssessmentBody",
           "ImportPolicy": "importPolicy", "CompletenessDeclaration": "completenessDeclaration",
           "LookalikeBody": "lookalikeBody", "AcceptanceList": "acceptanceList"}


def version(api, kind: str, code: str) -> int:
    """The object's `version`, as a client reads it before an update."""
    field = _LOOKUP[kind]
    result = api(f"query($code: String!) {{ {field}(code: $code) {{ version }} }}", {"code": code})
    assert not result.errors, result.errors
    return result.data[field]["version"]


def changes(api, entity_code: str, first: int = 20, since_version: int | None = None) -> list[dict]:
    """The object's latest `first` changes, newest first (the feed itself reads oldest first)."""
    result = api(
        "query($code: String, $last: Int, $since: Int) { changes(entityCode: $code, last: $last, since: $since) "
        "{ totalCount edges { node { version entityType entityCode facet action before after at actor role "
        "requestId message } } } }",
        {"code": entity_code, "last": first, "since": since_version},
    )
    assert not result.errors, result.errors
    return [edge["node"] for edge in reversed(result.data["changes"]["edges"])]


def export(api) -> str:
    """The whole registry as its canonical document: equal before and after means nothing changed."""
    with Session(api.services.engine) as session:
        return export_document(session)


def snapshot_of_registry(api) -> tuple[int, str]:
    return registry_version(api), export(api)


CLEARANCE = """
query($input: ClearanceInput!) {
  clearance(input: $input) {
    outcome reason registryVersion
    route { kind arrangement { code } sector { code } }
    policy { code maxAgeDays }
  }
}
"""


def clearance(api, exporter: str, importer: str, hs_code: str, *, issuer: str | None = None,
              accreditation_body: str | None = None, issue_date: str | None = None, clearance_date: str,
              attestation_type: str = "TESTING", tests: list[str] | None = None, lot: str = "LOT-1") -> dict:
    data: dict[str, Any] = {"exporter": exporter, "importer": importer, "hsCode": hs_code, "lot": lot,
                            "clearanceDate": clearance_date}
    if issuer is not None:
        data["attestation"] = {"type": attestation_type, "issuer": issuer, "issueDate": issue_date,
                               "accreditationBody": accreditation_body, "lot": lot}
        if tests is not None:
            data["attestation"]["tests"] = tests
    result = api(CLEARANCE, {"input": data})
    assert not result.errors, result.errors
    return result.data["clearance"]


# The worked cases of SCENARIOS.md that the write tests move (inputs as SCENARIOS.md section 2 gives them).
def s03(api) -> dict:
    """FR -> JP cheese, test report L02 / COFRAC issued 2025-08-10, cleared 2025-09-15: RECOGNISED (ILAC_MRA)."""
    return clearance(api, "FR", "JP", "040690", issuer="L02", accreditation_body="COFRAC", issue_date="2025-08-10",
                     clearance_date="2025-09-15", tests=["ISO 11290-1", "ISO 6579-1", "ISO 14501"])


def s05(api) -> dict:
    """US -> SG cheese, L03 / A2LA issued 2024-09-01: RETEST_REQUIRED, L03's accreditation ended 2024-06-30."""
    return clearance(api, "US", "SG", "040690", issuer="L03", accreditation_body="A2LA", issue_date="2024-09-01",
                     clearance_date="2024-10-01")


def s15(api) -> dict:
    """DE -> US radio equipment, L04 / DAkkS issued 2026-05-01: RECOGNISED via EU_US_MRA / EU-US-TEL."""
    return clearance(api, "DE", "US", "851762", issuer="L04", accreditation_body="DAkkS", issue_date="2026-05-01",
                     clearance_date="2026-06-01", tests=["FCC Part 15"])


def s26(api) -> dict:
    """IN -> JP reference material, L11 / NABL issued 2025-03-01: NABL's RMP recognition is APAC-only."""
    return clearance(api, "IN", "JP", "382290", issuer="L11", accreditation_body="NABL", issue_date="2025-03-01",
                     clearance_date="2025-04-01", attestation_type="RM_CERTIFICATE")


def fixture_entity(kind: str, code: str) -> dict:
    """One entity of data/fixtures/scenarios.json as the registry document states it (for document loads)."""
    document = json.loads(SCENARIOS.read_text(encoding="utf-8"))
    return json.loads(json.dumps(next(item for item in document[kind] if item["code"] == code)))


def document(**entities: list[dict]) -> dict:
    return {"format": "mra-registry", "formatVersion": 1, **entities}
