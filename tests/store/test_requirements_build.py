"""The bundled real import requirements (data/reference/import-requirements.json) and their builder
(data/build_requirements.py): the committed file is what the builder gives from the shared research snapshot
(shared/domain/import-requirements.json), every rule of the snapshot is recorded, merged or left out with a
reason written in data/README.md, pinned rules keep their real shape, no fact is invented, and - once the loader
takes the new policy fields - the project's loader takes it on top of the reference registry and exports it back."""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.conftest import REFERENCE, ROOT, load

BUILDER = ROOT / "data" / "build_requirements.py"
REQUIREMENTS = ROOT / "data" / "reference" / "import-requirements.json"
README = ROOT / "data" / "README.md"
SNAPSHOT = ROOT.parent / "shared" / "domain" / "import-requirements.json"
SCHEMA = ROOT / "mra_registry" / "interchange" / "registry-document.schema.json"

needs_snapshot = pytest.mark.skipif(not SNAPSHOT.exists(), reason="the shared research snapshot is not here")


def loader_takes_the_new_policy_fields() -> bool:
    """The loader is extended to acceptance lists, requirements, origins, ... in a separate change; until its
    schema knows acceptanceLists, loading this document is refused, so the loader tests wait for it."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return "acceptanceLists" in schema.get("properties", {})


needs_loader = pytest.mark.skipif(not loader_takes_the_new_policy_fields(),
                                  reason="the loader does not take the new policy fields yet")


def builder():
    spec = importlib.util.spec_from_file_location("build_requirements", BUILDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def document() -> dict:
    return json.loads(REQUIREMENTS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def snapshot() -> dict:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def policy(document: dict, code: str) -> dict:
    return next(p for p in document["importPolicies"] if p["code"] == code)


def rule(snapshot: dict, rule_id: str) -> dict:
    return next(r for r in snapshot["requirements"] if r["id"] == rule_id)


def requirements(p: dict) -> list[dict]:
    """Every requirement of a policy, in the several-requirements form."""
    if "requirements" in p:
        return p["requirements"]
    return [{"type": p["requiredType"], "requiredTests": p["requiredTests"], "routes": p["routes"],
             **{k: p[k] for k in ("maxAgeDays", "maxAgeMonths") if k in p}, "lotMatch": p["lotMatch"]}]


def run_builder(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BUILDER), *args], capture_output=True, text=True, cwd=ROOT)


# -- the build ------------------------------------------------------------------------------------------------------
@needs_snapshot
def test_the_committed_document_is_what_the_builder_gives():
    run = run_builder("--check")
    assert run.returncode == 0, run.stderr
    assert "is up to date" in run.stdout


@needs_snapshot
def test_the_build_is_deterministic():
    module = builder()
    first = module.render(module.build(SNAPSHOT))
    second = module.render(module.build(SNAPSHOT))
    assert first == second == REQUIREMENTS.read_text(encoding="utf-8")


@needs_snapshot
def test_every_rule_is_recorded_merged_or_left_out_with_a_reason_in_the_readme(document, snapshot):
    module = builder()
    codes = {p["code"] for p in document["importPolicies"]}
    merged = {r for spec in module.MERGED.values() for r in spec["rules"]}
    readme = README.read_text(encoding="utf-8")
    for r in snapshot["requirements"]:
        if r["id"] in module.LEFT_OUT:
            assert r["id"] not in codes
            assert f"`{r['id']}`" in readme, f"{r['id']} is left out but data/README.md does not say why"
        elif r["id"] in merged:
            assert r["id"] not in codes
            assert f"`{r['id']}`" in readme
        else:
            assert r["id"] in codes, r["id"]
    assert set(module.MERGED) <= codes
    assert {code for code, _, _ in module.ALTERNATIVES.values()} <= codes
    assert len(codes) == len(snapshot["requirements"]) - len(module.LEFT_OUT) - len(merged) + len(module.MERGED) \
        + len(module.ALTERNATIVES)


# -- refusals: nothing is written and the reason is said ---------------------------------------------------------------
def refused(tmp_path: Path, data: dict) -> str:
    source = tmp_path / "snapshot.json"
    output = tmp_path / "out.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = run_builder(str(source), "--output", str(output))
    assert run.returncode == 1
    assert not output.exists()
    assert "nothing written" in run.stderr
    return run.stderr


@needs_snapshot
def test_it_refuses_a_rule_it_has_no_decision_for(tmp_path, snapshot):
    data = json.loads(json.dumps(snapshot))
    extra = dict(rule(data, "KR-RRA-TELECOM-TEST-REPORTS"), id="KR-NEW-RULE")
    data["requirements"].append(extra)
    assert "KR-NEW-RULE" in refused(tmp_path, data)


@needs_snapshot
def test_it_refuses_a_recorded_rule_that_gains_a_trigger(tmp_path, snapshot):
    data = json.loads(json.dumps(snapshot))
    rule(data, "KR-RRA-TELECOM-TEST-REPORTS")["applies_when"] = ["only for high-risk items"]
    assert "applies_when" in refused(tmp_path, data)


@needs_snapshot
def test_it_refuses_a_changed_age_rule(tmp_path, snapshot):
    data = json.loads(json.dumps(snapshot))
    rule(data, "EU-2019-1793-EG-GROUNDNUTS")["max_age"]["value"] = 3
    assert "EU-2019-1793-EG-GROUNDNUTS" in refused(tmp_path, data)


@needs_snapshot
def test_it_refuses_an_arrangement_the_registry_does_not_hold(tmp_path, snapshot):
    data = json.loads(json.dumps(snapshot))
    rule(data, "KR-RRA-TELECOM-TEST-REPORTS")["accepted_routes"][0]["arrangement"] = "KR_XX_MRA"
    assert "KR_XX_MRA" in refused(tmp_path, data)


@needs_snapshot
def test_it_refuses_two_policies_that_would_compete(tmp_path, snapshot):
    data = json.loads(json.dumps(snapshot))
    rule(data, "EU-2019-1793-IR-PISTACHIOS")["origins"] = ["TR"]  # now the same codes and origin as TR pistachios
    assert "could both apply" in refused(tmp_path, data)


@needs_snapshot
def test_it_refuses_a_merge_of_rules_that_differ(tmp_path, snapshot):
    data = json.loads(json.dumps(snapshot))
    rule(data, "EU-284-2011-CN-HK-MELAMINE-KITCHENWARE")["check_frequency_pct"] = 20
    assert "differ" in refused(tmp_path, data)


# -- pinned rules ---------------------------------------------------------------------------------------------------
def test_eu_groundnuts_from_egypt_need_a_certificate_and_results(document, snapshot):
    p = policy(document, "EU-2019-1793-EG-GROUNDNUTS")
    source = rule(snapshot, "EU-2019-1793-EG-GROUNDNUTS")
    assert p["importer"] == "EU" and p["origins"] == ["EG"]
    assert p["hsPrefixes"] == source["hs_prefixes"] and "12024100" in p["hsPrefixes"]
    assert "requiredType" not in p  # several documents: the requirements form only
    certificate, results = p["requirements"]
    assert certificate == {"type": "OFFICIAL_CERTIFICATE", "requiredTests": [],
                           "routes": [{"kind": "OFFICIAL_CERTIFICATE"}], "maxAgeMonths": 4, "lotMatch": True}
    assert results["type"] == "TESTING" and results["routes"] == [{"kind": "ANY"}]
    assert results["maxAgeMonths"] == 6 and results["lotMatch"] is True and "maxAgeDays" not in results
    assert p["borderChecks"]["percent"] == source["check_frequency_pct"] == 30
    assert p["legalSource"]["instrument"] == "Commission Implementing Regulation (EU) 2019/1793"
    assert p["legalSource"]["url"] == snapshot["sources_index"]["S-EU1793-20260630"]["url"]
    assert "Annex II" in p["legalSource"]["reference"]
    assert "from" not in p and "to" not in p  # the entry's start was not found: never invented
    assert p["confidence"] == "confirmed"
    assert p["sources"] == [snapshot["sources_index"][k]["url"] for k in source["sources"]]
    assert p["note"].startswith(source["note"])


def test_salmonella_entries_name_the_reference_method(document):
    for code in ("EU-2019-1793-SD-SESAME-SALMONELLA", "EU-2019-1793-UG-SESAME-SALMONELLA",
                 "EU-2019-1793-BR-BLACK-PEPPER-SALMONELLA"):
        assert policy(document, code)["requirements"][1]["requiredTests"] == ["EN ISO 6579-1"]
    assert policy(document, "EU-2019-1793-CN-ARACHIDONIC-OIL-CEREULIDE")["requirements"][1]["requiredTests"] == \
        ["ISO 18465"]
    figs = policy(document, "EU-2019-1793-TR-DRIED-FIGS")  # hazards, not methods: kept in the note, not matched
    assert figs["requirements"][1]["requiredTests"] == [] and "ochratoxin A" in figs["note"]


def test_border_checks_follow_the_snapshot(document, snapshot):
    ids = {r["id"] for r in snapshot["requirements"]}
    for p in (p for p in document["importPolicies"] if p["code"] in ids):
        assert p.get("borderChecks", {}).get("percent") == rule(snapshot, p["code"]).get("check_frequency_pct"), p["code"]
    assert policy(document, "EU-2019-1793-TR-PISTACHIOS")["borderChecks"]["percent"] == 50
    assert "2026-02-18" in policy(document, "EU-2019-1793-TR-PISTACHIOS")["borderChecks"]["note"]
    assert policy(document, "EU-284-2011-CN-HK-KITCHENWARE")["borderChecks"]["percent"] == 10


def test_us_cpsc_toys_go_through_the_cpsc_list(document):
    p = policy(document, "US-CPSC-TOYS-ASTM-F963")
    assert (p["importer"], p["hsPrefixes"], p["requiredType"]) == ("US", ["9503"], "TESTING")
    assert p["requiredTests"] == ["ASTM F963-23"]
    assert p["routes"] == [{"kind": "LIST", "list": "US-CPSC-LABS"}]
    assert p["from"] == "2024-04-20" and "to" not in p
    assert p["confidence"] == "unconfirmed" and "hs_source mapped" in p["note"]
    cpsc = next(l for l in document["acceptanceLists"] if l["code"] == "US-CPSC-LABS")
    assert cpsc["owner"] == "US" and cpsc["entries"] == []  # the snapshot lists no laboratory: none invented
    assert cpsc["confidence"] == "confirmed" and cpsc["sources"]


def test_a_rule_with_mapped_hs_codes_is_unconfirmed(document, snapshot):
    mapped = [r for r in snapshot["requirements"] if r["hs_source"] == "mapped"]
    assert mapped
    codes = {p["code"] for p in document["importPolicies"]}
    for r in mapped:
        if r["id"] in codes:
            p = policy(document, r["id"])
            assert p["confidence"] == "unconfirmed", r["id"]
            assert "hs_source mapped" in p["note"], r["id"]
    dairy = policy(document, "EU-DAIRY-OFFICIAL-CERTIFICATE")
    assert rule(snapshot, "EU-DAIRY-OFFICIAL-CERTIFICATE")["confidence"] == "confirmed"
    assert dairy["confidence"] == "unconfirmed"
    assert (dairy["requiredType"], dairy["routes"]) == ("OFFICIAL_CERTIFICATE", [{"kind": "OFFICIAL_CERTIFICATE"}])
    # stated codes, but the exclusion of processed cheese is the research's mapping
    jp = policy(document, "JP-MHLW-DAIRY-HEALTH-CERTIFICATE")
    assert jp["excludedHsPrefixes"] == ["040630"] and jp["confidence"] == "unconfirmed"


def test_historic_entries_keep_their_end(document):
    assert policy(document, "EU-2019-1793-ET-SPICES-AFLATOXINS")["to"] == "2025-08-11"
    assert policy(document, "EU-2019-1793-IN-PEPPERS-SPICES-ETO")["to"] == "2026-02-17"
    for code in ("JP-MHLW-INSPECTION-ORDER-DRIED-FIGS-FY2020", "JP-MHLW-INSPECTION-ORDER-PISTACHIOS-FY2020"):
        p = policy(document, code)
        assert (p["from"], p["to"]) == ("2020-04-01", "2021-03-31")
        assert p["routes"] == []  # registered Japanese inspection institutions only
    assert "from" not in policy(document, "EU-2019-1793-ET-SPICES-AFLATOXINS")  # "since December 2019": a month


def test_routes_name_only_what_the_registry_holds_or_rules_allow(document):
    registry = json.loads(REFERENCE.read_text(encoding="utf-8"))
    arrangements = {a["code"] for a in registry["arrangements"]}
    lists = {l["code"] for l in document["acceptanceLists"]}
    kinds = set()
    for p in document["importPolicies"]:
        for r in requirements(p):
            for route in r["routes"]:
                kinds.add(route["kind"])
                assert set(route.get("arrangements", [])) <= arrangements, (p["code"], route)
                if route["kind"] == "LIST":
                    assert route["list"] in lists
                if route["kind"] == "ANY":
                    assert r["routes"] == [route]  # always a requirement's only route
            if r["type"] == "OFFICIAL_CERTIFICATE":
                assert r["routes"] == [{"kind": "OFFICIAL_CERTIFICATE"}]
    assert kinds == {"GOVERNMENT", "OFFICIAL_CERTIFICATE", "LIST", "ANY"}
    ca = policy(document, "CA-ISED-RADIO-TEST-REPORTS")  # "any MRA of Canada": any government arrangement
    assert ca["routes"] == [{"kind": "GOVERNMENT", "arrangements": []}, {"kind": "LIST", "list": "CA-ISED-LABS"}]
    jp = policy(document, "JP-MIC-RADIO-TBA-CERTIFICATION")  # US-JP and JP-SG left out, said in the note
    assert jp["routes"] == [{"kind": "GOVERNMENT", "arrangements": ["EU_JP_MRA"]}]
    assert "US_JP_MRA left out" in jp["note"] and "JP_SG_EPA_MRA left out" in jp["note"]


def test_a_test_report_or_a_certificate_is_two_policies_told_apart_by_type(document):
    testing = policy(document, "SG-IMDA-TELECOM-TEST-REPORTS")
    certificate = policy(document, "SG-IMDA-TELECOM-TEST-REPORTS-PHASE-II")
    assert testing["hsPrefixes"] == certificate["hsPrefixes"]
    assert (testing["requiredType"], certificate["requiredType"]) == ("TESTING", "PRODUCT_CERTIFICATION")
    assert testing["routes"] == certificate["routes"] == [{"kind": "GOVERNMENT", "arrangements": ["APEC_TEL_MRA"]}]


def test_the_kitchenware_rules_are_one_policy(document):
    p = policy(document, "EU-284-2011-CN-HK-KITCHENWARE")
    assert (p["origins"], p["hsPrefixes"], p["from"]) == (["CN", "HK"], ["39241000"], "2011-07-01")
    assert (p["requiredType"], p["requiredTests"], p["routes"]) == ("TESTING", [], [{"kind": "ANY"}])
    assert "primary aromatic amines" in p["note"] and "formaldehyde" in p["note"]


# -- form and provenance ------------------------------------------------------------------------------------------
def test_form_codes_and_prefixes(document):
    assert (document["format"], document["formatVersion"]) == ("mra-registry", 1)
    codes = [p["code"] for p in document["importPolicies"]]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    for p in document["importPolicies"]:
        assert ("requirements" in p) != ("requiredType" in p), p["code"]
        if "requirements" in p:
            assert len(p["requirements"]) > 1, p["code"]  # one requirement: the flat form the exporter writes
        for prefix in p["hsPrefixes"] + p["excludedHsPrefixes"]:
            assert re.fullmatch(r"\d{2,10}", prefix), (p["code"], prefix)
        for r in requirements(p):
            assert not ("maxAgeDays" in r and "maxAgeMonths" in r)
        assert len(p["note"]) <= 2000 and len(p["name"]) <= 300


def test_every_fact_has_a_confidence_and_sources_and_none_is_a_fixture(document):
    text = REQUIREMENTS.read_text(encoding="utf-8")
    assert '"fixture"' not in text
    for p in document["importPolicies"]:
        assert p["confidence"] in ("confirmed", "unconfirmed"), p["code"]
        assert p["sources"] and all(s.startswith(("https://", "http://")) for s in p["sources"]), p["code"]
        assert p["note"]
    for l in document["acceptanceLists"]:
        assert l["confidence"] in ("confirmed", "unconfirmed") and l["sources"]


def test_no_authority_list_entry_or_declaration_is_invented(document):
    assert document.get("conformityAssessmentBodies", []) == []
    assert document.get("completenessDeclarations", []) == []
    assert all(l["entries"] == [] for l in document["acceptanceLists"])


# -- through the project's loader ------------------------------------------------------------------------------------
@needs_loader
def test_the_loader_takes_it_on_top_of_the_reference_registry(engine):
    from mra_registry.store.mapping import read_registry

    load(engine, REFERENCE)
    result = load(engine, REQUIREMENTS)
    assert result.changed
    with Session(engine) as session:
        registry = read_registry(session)
    document = json.loads(REQUIREMENTS.read_text(encoding="utf-8"))
    assert {p.code for p in registry.policies} == {p["code"] for p in document["importPolicies"]}
    groundnuts = next(p for p in registry.policies if p.code == "EU-2019-1793-EG-GROUNDNUTS")
    assert groundnuts.origins == ("EG",) and len(groundnuts.requirements) == 2
    assert groundnuts.requirements[0].max_age_months == 4 and groundnuts.requirements[1].max_age_months == 6
    assert groundnuts.border_checks.percent == 30
    assert {a.code for a in registry.acceptance_lists} == {l["code"] for l in document["acceptanceLists"]}
    assert not load(engine, REQUIREMENTS).changed


@needs_loader
def test_export_load_export_round_trips(new_database):
    from mra_registry.store.database import make_engine
    from mra_registry.store.exporting import export_document
    from mra_registry.store.loading import load_documents

    first_engine, second_engine = make_engine(new_database()), make_engine(new_database())
    try:
        load(first_engine, REFERENCE, REQUIREMENTS)
        with Session(first_engine) as session:
            exported = export_document(session)
        with Session(second_engine) as session, session.begin():
            load_documents(session, [("exported.json", json.loads(exported))])
        with Session(second_engine) as session:
            again = export_document(session)
        assert json.loads(again) == json.loads(exported)
        policies = {p["code"] for p in json.loads(exported)["importPolicies"]}
        assert "EU-2019-1793-EG-GROUNDNUTS" in policies and "US-CPSC-TOYS-ASTM-F963" in policies
    finally:
        first_engine.dispose()
        second_engine.dispose()
