"""Policy model v2 in the store and the registry document (issue 12): both policy forms, origins, border checks,
legal sources, competences and acceptance lists; export -> load -> export byte-identical; every problem with its
JSON path; the fixture guard over the new records; and the bundled real requirements loaded over the reference
registry. Codes starting with ZZ- are invented for these tests."""
from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from mra_registry.domain.codes import Outcome, ReasonCode, RouteKind
from mra_registry.domain.decision import Consignment
from mra_registry.domain.engine import decide
from mra_registry.domain.snapshot import Snapshot
from mra_registry.interchange.problems import DocumentInvalid
from mra_registry.store.exporting import export_document
from mra_registry.store.loading import load_documents, load_files
from mra_registry.store.mapping import read_registry

from tests.conftest import REFERENCE, SCENARIOS, load

REQUIREMENTS = Path(REFERENCE).parent / "import-requirements.json"


def doc(**sections):
    return {"format": "mra-registry", "formatVersion": 1, **sections}


def load_data(engine, *documents, allow_fixture_overwrite=False):
    with Session(engine) as session, session.begin():
        return load_documents(session, [(f"doc{i}", d) for i, d in enumerate(documents)],
                              allow_fixture_overwrite=allow_fixture_overwrite)


def exported(engine) -> str:
    with Session(engine) as session:
        return export_document(session)


def registry(engine):
    with Session(engine) as session:
        return read_registry(session)


def fixture(kind: str, code: str) -> dict:
    return copy.deepcopy(next(x for x in json.loads(SCENARIOS.read_text())[kind] if x["code"] == code))


# -- both forms, written back as they were read ---------------------------------------------------------------
def test_the_scenario_fixtures_round_trip_byte_identically(scenario_engine, new_database):
    from mra_registry.store.database import make_engine

    first = exported(scenario_engine)
    data = json.loads(first)
    policies = {p["code"]: p for p in data["importPolicies"]}
    assert "requirements" in policies["P-EU-1202-EG"] and "requiredType" not in policies["P-EU-1202-EG"]
    assert policies["P-US-9503"]["routes"] == [{"kind": "LIST", "list": "US-TOY-LABS"}]
    assert "origins" not in policies["P-CA-9503"] and "maxAgeMonths" not in policies["P-CA-9503"]
    assert data["acceptanceLists"][0]["code"] == "US-TOY-LABS"
    other = make_engine(new_database())
    try:
        load_data(other, data)
        assert exported(other) == first
    finally:
        other.dispose()


def test_a_policy_in_the_requirements_form_with_one_requirement_is_written_flat(engine):
    load(engine, SCENARIOS)
    policy = fixture("importPolicies", "P-CA-9503")
    flat = {k: policy.pop(k) for k in ("requiredType", "requiredTests", "routes", "maxAgeDays", "lotMatch")}
    policy["requirements"] = [{"type": flat["requiredType"], "requiredTests": flat["requiredTests"],
                               "routes": flat["routes"], "maxAgeDays": flat["maxAgeDays"], "lotMatch": False}]
    result = load_data(engine, doc(importPolicies=[policy]))
    assert not result.changed  # the same policy, said the other way
    written = next(p for p in json.loads(exported(engine))["importPolicies"] if p["code"] == "P-CA-9503")
    assert written["requiredType"] == "TESTING" and "requirements" not in written


def test_origins_months_border_checks_and_legal_source_are_stored(engine):
    load(engine, SCENARIOS)
    load_data(engine, doc(importPolicies=[{
        "code": "ZZ-P", "importer": "EU", "hsPrefixes": ["0802"], "origins": ["TR", "EU"], "requiredType": "TESTING",
        "routes": [{"kind": "ANY"}], "maxAgeMonths": 4, "lotMatch": True, "borderChecks": {"percent": 12.5},
        "legalSource": {"instrument": "Invented Regulation", "reference": "Art. 1", "url": "http://example.org/x"},
        "confidence": "fixture"}]))
    policy = next(p for p in registry(engine).policies if p.code == "ZZ-P")
    assert policy.origins == ("TR", "EU") and policy.max_age_months == 4 and policy.max_age_days is None
    assert policy.border_checks.percent == 12.5 and policy.legal_source.url == "http://example.org/x"
    assert policy.routes[0].kind is RouteKind.ANY
    written = next(p for p in json.loads(exported(engine))["importPolicies"] if p["code"] == "ZZ-P")
    assert written["borderChecks"] == {"percent": 12.5} and written["origins"] == ["TR", "EU"]


# -- problems, each with its path -----------------------------------------------------------------------------
EG_POLICY = {"code": "ZZ-P", "importer": "EU", "hsPrefixes": ["1202"], "requirements": [
    {"type": "OFFICIAL_CERTIFICATE", "routes": [{"kind": "OFFICIAL_CERTIFICATE"}]},
    {"type": "TESTING", "routes": [{"kind": "ANY"}]}]}


def _with(path: list, value) -> dict:
    policy = copy.deepcopy(EG_POLICY)
    target = policy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return policy


@pytest.mark.parametrize(("policy", "path", "code"), [
    (EG_POLICY | {"requiredType": "TESTING"}, "$.importPolicies[0]", "INVALID"),
    ({k: v for k, v in EG_POLICY.items() if k != "requirements"}, "$.importPolicies[0]", "INVALID"),
    (EG_POLICY | {"requirements": []}, "$.importPolicies[0].requirements", "INVALID"),
    (_with(["requirements", 0, "routes"], [{"kind": "ANY"}]), "$.importPolicies[0].requirements[0].routes[0]",
     "INCONSISTENT"),
    (_with(["requirements", 1, "routes"], [{"kind": "ANY"}, {"kind": "GOVERNMENT"}]),
     "$.importPolicies[0].requirements[1].routes[0]", "INCONSISTENT"),
    (_with(["requirements", 1, "routes"], [{"kind": "LIST"}]), "$.importPolicies[0].requirements[1].routes[0].list",
     "INCONSISTENT"),
    (_with(["requirements", 1, "routes"], [{"kind": "LIST", "list": "ZZ-NONE"}]),
     "$.importPolicies[0].requirements[1].routes[0].list", "UNKNOWN_REFERENCE"),
    (_with(["requirements", 1, "routes"], [{"kind": "ANY", "list": "US-TOY-LABS"}]),
     "$.importPolicies[0].requirements[1].routes[0].list", "INCONSISTENT"),
    (_with(["requirements", 1, "routes"], [{"kind": "ANY", "arrangements": ["ILAC_MRA"]}]),
     "$.importPolicies[0].requirements[1].routes[0].arrangements", "INCONSISTENT"),
    (_with(["requirements", 1, "routes"], [{"kind": "GOVERNMENT", "arrangements": ["ILAC_MRA"]}]),
     "$.importPolicies[0].requirements[1].routes[0].arrangements[0]", "INCONSISTENT"),
    (_with(["requirements", 1, "maxAgeDays"], 10) | {}, None, None),  # days alone: fine
    (_with(["requirements", 1], {"type": "TESTING", "routes": [], "maxAgeDays": 1, "maxAgeMonths": 1}),
     "$.importPolicies[0].requirements[1].maxAgeMonths", "INCONSISTENT"),
    (EG_POLICY | {"origins": ["XX"]}, "$.importPolicies[0].origins[0]", "UNKNOWN_ECONOMY"),
    (EG_POLICY | {"borderChecks": {"percent": 101}}, "$.importPolicies[0].borderChecks.percent", "INVALID"),
    (EG_POLICY | {"legalSource": {"reference": "Art. 1"}}, "$.importPolicies[0].legalSource", "INVALID"),
    (EG_POLICY | {"legalSource": {"instrument": "x" * 301}}, "$.importPolicies[0].legalSource.instrument", "INVALID"),
    ({"code": "ZZ-P", "importer": "US", "hsPrefixes": ["9503"], "requiredType": "TESTING",
      "routes": [{"kind": "LIST", "list": "US-TOY-LABS"}], "maxAgeDays": 1, "maxAgeMonths": 2},
     "$.importPolicies[0].maxAgeMonths", "INCONSISTENT"),
])
def test_a_faulty_policy_is_refused_with_its_path(scenario_engine, policy, path, code):
    if path is None:
        load_data(scenario_engine, doc(importPolicies=[policy | {"confidence": "fixture"}]))
        return
    with pytest.raises(DocumentInvalid) as refused:
        load_data(scenario_engine, doc(importPolicies=[policy]))
    assert (path, code) in [(p.path, p.code) for p in refused.value.problems], refused.value.problems


@pytest.mark.parametrize(("section", "path", "code"), [
    ({"conformityAssessmentBodies": [{"code": "ZZ-LAB", "name": "x", "economy": "FR", "kinds": ["LABORATORY"],
                                      "competences": [{"kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["12"]}]}]},
     "$.conformityAssessmentBodies[0].competences", "INCONSISTENT"),
    ({"conformityAssessmentBodies": [{"code": "ZZ-A", "name": "x", "economy": "FR", "kinds": ["REGULATORY_AUTHORITY"],
                                      "competences": [{"kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": []}]}]},
     "$.conformityAssessmentBodies[0].competences[0].hsPrefixes", "INVALID"),
    ({"acceptanceLists": [{"code": "ZZ-L", "name": "x", "owner": "US", "entries": [{"cab": "ZZ-NOBODY"}]}]},
     "$.acceptanceLists[0].entries[0].cab", "UNKNOWN_REFERENCE"),
    ({"acceptanceLists": [{"code": "ZZ-L", "name": "x", "owner": "XX"}]}, "$.acceptanceLists[0].owner",
     "UNKNOWN_ECONOMY"),
    ({"acceptanceLists": [{"code": "ZZ-L", "name": "x", "owner": "US", "entries": [
        {"cab": "L17", "activity": "TESTING", "from": "2020-01-01", "to": "2021-12-31"},
        {"cab": "L17", "activity": "TESTING", "from": "2021-01-01"}]}]},
     "$.acceptanceLists[0].entries[1]", "OVERLAPPING_INTERVAL"),
    ({"acceptanceLists": [{"code": "ZZ-L", "name": "x", "owner": "US"}, {"code": "ZZ-L", "name": "y", "owner": "US"}]},
     "$.acceptanceLists[1]", "DUPLICATE_CODE"),
])
def test_faulty_competences_and_lists_are_refused_with_their_paths(scenario_engine, section, path, code):
    with pytest.raises(DocumentInvalid) as refused:
        load_data(scenario_engine, doc(**section))
    assert (path, code) in [(p.path, p.code) for p in refused.value.problems], refused.value.problems


def test_a_list_route_may_name_a_list_of_another_document_of_the_same_set(scenario_engine):
    lists = doc(acceptanceLists=[{"code": "ZZ-L", "name": "x", "owner": "CA", "confidence": "fixture"}])
    policy = doc(importPolicies=[{"code": "ZZ-P", "importer": "CA", "hsPrefixes": ["9503"], "requiredType": "TESTING",
                                  "routes": [{"kind": "LIST", "list": "ZZ-L"}], "confidence": "fixture"}])
    assert load_data(scenario_engine, policy, lists).changed


# -- histories: what a later document replaces ----------------------------------------------------------------
def test_a_list_entry_history_is_replaced_per_cab_and_activity(scenario_engine):
    later = fixture("acceptanceLists", "US-TOY-LABS")
    later["entries"] = [{"cab": "L23", "activity": "TESTING", "from": "2026-01-01", "confidence": "fixture"}]
    load_data(scenario_engine, doc(acceptanceLists=[later]))
    entries = registry(scenario_engine).acceptance_lists[0].entries
    assert [(e.cab, e.valid_from) for e in entries] == [("L17", date(2019, 1, 1)), ("L23", date(2026, 1, 1))]
    later["entries"] = [{"cab": "L17", "activity": "TESTING", "from": "2019-01-01", "to": "2025-12-31",
                         "confidence": "fixture"}]
    load_data(scenario_engine, doc(acceptanceLists=[later]))
    entries = registry(scenario_engine).acceptance_lists[0].entries
    assert [(e.cab, e.valid_to) for e in entries] == [("L17", date(2025, 12, 31)), ("L23", None)]


def test_an_authoritys_competences_of_a_kind_are_replaced_together(scenario_engine):
    authority = fixture("conformityAssessmentBodies", "AUTH-EG")
    authority["competences"] = [{"kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["12"], "from": "2019-01-01",
                                 "to": "2025-12-31", "confidence": "fixture"},
                                {"kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["08"], "from": "2020-01-01",
                                 "confidence": "fixture"}]
    load_data(scenario_engine, doc(conformityAssessmentBodies=[authority]))
    cab = next(c for c in registry(scenario_engine).cabs if c.code == "AUTH-EG")
    assert sorted((c.hs_prefixes, c.valid_to) for c in cab.competences) == [(("08",), None),
                                                                          (("12",), date(2025, 12, 31))]


# -- the fixture guard covers the new records -----------------------------------------------------------------
def test_a_fixture_cannot_replace_a_real_competence_list_entry_or_policy_requirement(engine):
    authority = fixture("conformityAssessmentBodies", "AUTH-EG")
    authority["competences"][0]["confidence"] = "confirmed"
    authority["competences"][0]["sources"] = ["https://example.org/real"]
    lab = fixture("conformityAssessmentBodies", "L17")
    lab["confidence"] = lab["accreditations"][0]["confidence"] = "confirmed"
    lab["accreditations"][0]["accreditationBody"] = "ZZ-AB"
    real_list = fixture("acceptanceLists", "US-TOY-LABS") | {"confidence": "confirmed"}
    real_list["entries"][0]["confidence"] = "confirmed"
    real_policy = {"code": "ZZ-P", "importer": "EU", "hsPrefixes": ["1202"], "confidence": "confirmed",
                   "requirements": EG_POLICY["requirements"]}
    load_data(engine, doc(unions=[{"code": "EU", "name": "European Union", "confidence": "confirmed"}],
                          accreditationBodies=[{"code": "ZZ-AB", "name": "x", "confidence": "confirmed"}],
                          conformityAssessmentBodies=[authority, lab], acceptanceLists=[real_list],
                          importPolicies=[real_policy]))
    before = exported(engine)

    fake_authority = fixture("conformityAssessmentBodies", "AUTH-EG") | {"confidence": "confirmed"}
    fake_authority["competences"][0]["from"] = "2010-01-01"
    fake_list = fixture("acceptanceLists", "US-TOY-LABS") | {"confidence": "confirmed"}
    fake_list["entries"][0]["to"] = "2020-12-31"
    fake_policy = real_policy | {"confidence": "fixture", "requirements": [EG_POLICY["requirements"][0]]}
    with pytest.raises(DocumentInvalid) as refused:
        load_data(engine, doc(conformityAssessmentBodies=[fake_authority], acceptanceLists=[fake_list],
                              importPolicies=[fake_policy]))
    found = {(p.path, p.code) for p in refused.value.problems}
    assert {("$.conformityAssessmentBodies[0].competences[0]", "FIXTURE_OVERWRITE"),
            ("$.acceptanceLists[0].entries[0]", "FIXTURE_OVERWRITE"),
            ("$.importPolicies[0]", "FIXTURE_OVERWRITE")} <= found, refused.value.problems
    assert exported(engine) == before


# -- the bundled real requirements ----------------------------------------------------------------------------
def test_the_reference_registry_and_the_real_requirements_load_into_a_fresh_database(engine):
    with Session(engine) as session, session.begin():
        result = load_files(session, [str(REFERENCE), str(REQUIREMENTS)])
    assert result.changed
    loaded = registry(engine)
    assert len(loaded.policies) == len(json.loads(REQUIREMENTS.read_text())["importPolicies"]) >= 27
    assert {x.code for x in loaded.acceptance_lists} == {"CA-ISED-LABS", "US-CPSC-LABS", "US-FCC-LABS"}
    assert all(p.provenance.sources for p in loaded.policies)
    # loading them again changes nothing, and the export loads back to the same export
    with Session(engine) as session, session.begin():
        assert not load_files(session, [str(REFERENCE), str(REQUIREMENTS)]).changed
    # EG -> DE groundnuts without documents: the EU's increased-controls rule applies and asks for documents
    snapshot = Snapshot.build(loaded)
    decision = decide(snapshot, Consignment("EG", "DE", "1202420000", date(2026, 12, 1)))
    assert (decision.outcome, decision.reason) == (Outcome.RETEST_REQUIRED, ReasonCode.NO_ATTESTATION)
    applied = next(p for p in loaded.policies if p.code == decision.policy)
    assert "2019/1793" in applied.legal_source.instrument and applied.origins == ("EG",)
    # from an origin the rule does not list, that rule does not decide
    other = decide(snapshot, Consignment("US", "DE", "1202420000", date(2026, 12, 1)))
    assert other.policy != decision.policy


def test_the_real_requirements_round_trip_byte_identically(engine, new_database):
    from mra_registry.store.database import make_engine

    with Session(engine) as session, session.begin():
        load_files(session, [str(REFERENCE), str(REQUIREMENTS)])
    first = exported(engine)
    other = make_engine(new_database())
    try:
        load_data(other, json.loads(first))
        assert exported(other) == first
    finally:
        other.dispose()
