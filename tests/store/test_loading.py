"""Loading and exporting registry documents: validation with paths, all-or-nothing, idempotence, versions."""
from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mra_registry.interchange.problems import DocumentInvalid
from mra_registry.store import models as m
from mra_registry.store.exporting import export_document
from mra_registry.store.loading import _Applier, load_documents, load_files
from mra_registry.store.mapping import registry_version

from tests.conftest import REFERENCE, SCENARIOS, load


def export(engine) -> str:
    with Session(engine) as session:
        return export_document(session)


def version(engine) -> int:
    with Session(engine) as session:
        return registry_version(session)


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in m.Base.metadata.sorted_tables
        }


def load_data(engine, *documents, allow_fixture_overwrite: bool = False):
    with Session(engine) as session, session.begin():
        return load_documents(session, [(f"doc{i}", d) for i, d in enumerate(documents)],
                              allow_fixture_overwrite=allow_fixture_overwrite)


@pytest.mark.parametrize("path", [SCENARIOS, REFERENCE], ids=["scenarios", "reference"])
def test_load_export_load_is_identical(engine, new_database, path):
    first = load(engine, path)
    assert first.changed and first.version == 1
    exported = export(engine)
    assert json.loads(exported)["format"] == "mra-registry"

    again = load(engine, path)  # loading the same document twice changes nothing
    assert not again.changed and again.version == 1

    from mra_registry.store.database import make_engine

    fresh = make_engine(new_database())
    try:
        load_data(fresh, json.loads(exported))
        assert export(fresh) == exported
        assert not load_data(fresh, json.loads(exported)).changed
    finally:
        fresh.dispose()


def load_allowing_fixtures(engine, *paths):
    with Session(engine) as session, session.begin():
        return load_files(session, [str(p) for p in paths], allow_fixture_overwrite=True)


def test_reference_data_and_fixtures_load_together(engine):
    # the fixtures restate real bodies with invented dates: only a test may lay them over the reference data
    result = load_allowing_fixtures(engine, REFERENCE, SCENARIOS)
    assert result.version == 1  # one transaction, one version
    document = json.loads(export(engine))
    bodies = {b["code"] for b in document["accreditationBodies"]}
    assert {"IANZ", "COFRAC", "UKAS", "DAkkS", "ACCREDIA", "SADCAS"} <= bodies
    assert "GASB" not in bodies
    cabs = {c["code"] for c in document["conformityAssessmentBodies"]}
    assert {"L01", "L20", "AUTH-DE", "AUTH-ES"} <= cabs and "LAB-X-9999" not in cabs
    assert not load_allowing_fixtures(engine, REFERENCE, SCENARIOS).changed


def test_every_fact_keeps_its_provenance(engine):
    load(engine, REFERENCE)
    document = json.loads(export(engine))
    statuses = [s for b in document["accreditationBodies"] for s in b.get("statuses", [])]
    assert statuses and all(s["confidence"] in ("confirmed", "unconfirmed") for s in statuses)
    assert any(s.get("sources") for s in statuses)
    ukas_global = [s for b in document["accreditationBodies"] if b["code"] == "UKAS"
                   for s in b["statuses"] if s["arrangement"] == "GLOBAL_ACI_MRA"]
    assert ukas_global and ukas_global[0]["confidence"] == "confirmed"


def test_each_write_transaction_moves_the_version_by_exactly_one(engine):
    base = json.loads(SCENARIOS.read_text())
    assert load(engine, SCENARIOS).version == 1
    changed = copy.deepcopy(base)
    policy = next(p for p in changed["importPolicies"] if p["code"] == "P-JP-0406")
    policy["maxAgeDays"] = 120
    body = next(b for b in changed["accreditationBodies"] if b["code"] == "IANZ")
    body["name"] = "IANZ (renamed in a test)"
    result = load_data(engine, changed)
    assert result.version == 2 and result.changes == 2
    with Session(engine) as session:
        records = session.scalars(select(m.ChangeRecord).where(m.ChangeRecord.version == 2)).all()
        assert {(r.entity_type, r.entity_code) for r in records} == {("ImportPolicy", "P-JP-0406"),
                                                                    ("AccreditationBody", "IANZ")}
        policy_change = next(r for r in records if r.entity_type == "ImportPolicy")
        assert policy_change.before["maxAgeDays"] == 180 and policy_change.after["maxAgeDays"] == 120
        # the old policy row is retired, not deleted
        rows = session.scalars(select(m.ImportPolicyRow).where(m.ImportPolicyRow.code == "P-JP-0406")).all()
        assert sorted((r.max_age_days, r.retired_version) for r in rows) == [(120, None), (180, 2)]


def _minimal(**sections):
    return {"format": "mra-registry", "formatVersion": 1, **sections}


BAD_DOCUMENTS = {
    "unknown economy code": (
        _minimal(accreditationBodies=[{"code": "XAB", "name": "X", "economy": "XX"}]),
        "$.accreditationBodies[0].economy",
    ),
    "to before from": (
        _minimal(unions=[{"code": "EU", "name": "European Union", "memberships": [
            {"economy": "FR", "from": "2020-01-01", "to": "2019-12-31"}]}]),
        "$.unions[0].memberships[0].to",
    ),
    "overlapping intervals for one key": (
        _minimal(arrangements=[{"code": "ILAC_MRA", "name": "ILAC", "kind": "ACCREDITATION_GLOBAL"}],
                 accreditationBodies=[{"code": "XAB", "name": "X", "economy": "FR", "statuses": [
                     {"arrangement": "ILAC_MRA", "activity": "TESTING", "status": "SIGNATORY", "from": "2001-01-01",
                      "to": "2012-12-31"},
                     {"arrangement": "ILAC_MRA", "activity": "TESTING", "status": "SUSPENDED", "from": "2010-01-01"},
                 ]}]),
        "$.accreditationBodies[0].statuses[1]",
    ),
    "two events for one key on the same day": (
        _minimal(arrangements=[{"code": "ILAC_MRA", "name": "ILAC", "kind": "ACCREDITATION_GLOBAL"}],
                 accreditationBodies=[{"code": "XAB", "name": "X", "economy": "FR", "statuses": [
                     {"arrangement": "ILAC_MRA", "activity": "TESTING", "status": "SIGNATORY", "from": "2010-01-01"},
                     {"arrangement": "ILAC_MRA", "activity": "TESTING", "status": "SUSPENDED", "from": "2010-01-01"},
                 ]}]),
        "$.accreditationBodies[0].statuses[1]",
    ),
    "unknown arrangement": (
        _minimal(accreditationBodies=[{"code": "XAB", "name": "X", "economy": "FR", "statuses": [
            {"arrangement": "NO_SUCH_MRA", "activity": "TESTING", "status": "SIGNATORY"}]}]),
        "$.accreditationBodies[0].statuses[0].arrangement",
    ),
    "unknown accreditation body": (
        _minimal(conformityAssessmentBodies=[{"code": "LX", "name": "Lab X", "economy": "FR", "kinds": ["LABORATORY"],
                                              "accreditations": [{"number": "1", "accreditationBody": "NOBODY",
                                                                  "activity": "TESTING"}]}]),
        "$.conformityAssessmentBodies[0].accreditations[0].accreditationBody",
    ),
    "unknown importer economy": (
        _minimal(importPolicies=[{"code": "P-X", "importer": "QQ", "hsPrefixes": ["0406"], "requiredType": "TESTING",
                                  "routes": []}]),
        "$.importPolicies[0].importer",
    ),
    "duplicate codes": (
        _minimal(accreditationBodies=[{"code": "XAB", "name": "X", "economy": "FR"},
                                      {"code": "XAB", "name": "Y", "economy": "DE"}]),
        "$.accreditationBodies[1]",
    ),
    "malformed HS prefix": (
        _minimal(importPolicies=[{"code": "P-X", "importer": "JP", "hsPrefixes": ["04A6"], "requiredType": "TESTING",
                                  "routes": []}]),
        "$.importPolicies[0].hsPrefixes[0]",
    ),
    "wrong type": (
        _minimal(importPolicies=[{"code": "P-X", "importer": "JP", "hsPrefixes": ["0406"], "requiredType": "TESTING",
                                  "routes": [], "maxAgeDays": "ninety"}]),
        "$.importPolicies[0].maxAgeDays",
    ),
    "impossible date": (
        _minimal(unions=[{"code": "EU", "name": "European Union", "memberships": [
            {"economy": "FR", "from": "2021-02-30"}]}]),
        "$.unions[0].memberships[0].from",
    ),
    "unknown field": (
        _minimal(accreditationBodies=[{"code": "XAB", "name": "X", "economy": "FR", "colour": "blue"}]),
        "$.accreditationBodies[0]",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_bad_documents_are_refused_with_a_path_and_change_nothing(scenario_engine, case):
    document, path = BAD_DOCUMENTS[case]
    before_export, before_counts = export(scenario_engine), counts(scenario_engine)
    with pytest.raises(DocumentInvalid) as refused:
        load_data(scenario_engine, document)
    assert any(p.path == path for p in refused.value.problems), refused.value.problems
    assert all(p.message for p in refused.value.problems)
    assert export(scenario_engine) == before_export
    assert counts(scenario_engine) == before_counts
    assert version(scenario_engine) == 1


def test_a_truncated_file_is_refused_and_changes_nothing(scenario_engine, tmp_path):
    truncated = tmp_path / "truncated.json"
    truncated.write_text(SCENARIOS.read_text()[:5000])
    before = export(scenario_engine)
    with pytest.raises(DocumentInvalid) as refused:
        load(scenario_engine, truncated)
    assert refused.value.problems[0].path == "$" and "JSON" in refused.value.problems[0].message
    assert export(scenario_engine) == before


def test_every_problem_of_a_document_is_reported_at_once(engine):
    document = _minimal(accreditationBodies=[
        {"code": "XAB", "name": "X", "economy": "XX"},
        {"code": "YAB", "name": "Y", "economy": "YY"},
    ])
    with pytest.raises(DocumentInvalid) as refused:
        load_data(engine, document)
    assert {p.path for p in refused.value.problems} == {"$.accreditationBodies[0].economy",
                                                        "$.accreditationBodies[1].economy"}


def test_a_load_that_fails_midway_leaves_nothing_behind(engine, monkeypatch):
    original = _Applier.cab
    calls = {"n": 0}

    def failing_cab(self, cab):
        calls["n"] += 1
        if calls["n"] == 5:  # after arrangements, bodies and four CABs were written
            raise RuntimeError("simulated crash in the middle of a load")
        return original(self, cab)

    monkeypatch.setattr(_Applier, "cab", failing_cab)
    empty_counts = counts(engine)
    with pytest.raises(RuntimeError):
        load(engine, SCENARIOS)
    assert counts(engine) == empty_counts
    assert version(engine) == 0
    monkeypatch.setattr(_Applier, "cab", original)
    assert load(engine, SCENARIOS).version == 1


def test_a_later_document_replaces_only_the_histories_it_names(engine):
    load(engine, SCENARIOS)
    kca_only = _minimal(accreditationBodies=[{
        "code": "KCA", "name": "Kyrgyz Center of Accreditation", "economy": "KG", "statuses": [
            {"arrangement": "ILAC_MRA", "activity": "CALIBRATION", "status": "SIGNATORY", "from": "2018-10-02",
             "confidence": "fixture"}]}])
    result = load_data(engine, kca_only)
    assert result.version == 2
    kca = next(b for b in json.loads(export(engine))["accreditationBodies"] if b["code"] == "KCA")
    testing = [s for s in kca["statuses"] if s["activity"] == "TESTING"]
    calibration = [s for s in kca["statuses"] if s["activity"] == "CALIBRATION"]
    assert len(testing) == 3  # untouched: the document did not name ILAC_MRA/TESTING
    assert calibration == [{"arrangement": "ILAC_MRA", "activity": "CALIBRATION", "status": "SIGNATORY",
                            "from": "2018-10-02", "confidence": "fixture"}]


def test_a_history_written_as_events_loads_and_each_event_ends_the_previous_one(engine):
    # KCA's ILAC testing history as SCENARIOS.md lists it: three events, none with an end date (RULES.md, Dates:
    # a newer event for the same key ends the older one the day before)
    from mra_registry.domain.engine import decide
    from mra_registry.domain.snapshot import Snapshot
    from mra_registry.store.mapping import read_registry
    from tests.scenario_cases import case, to_consignment

    load(engine, SCENARIOS)
    events = [{"arrangement": "ILAC_MRA", "activity": "TESTING", "status": status, "from": day, "confidence": "fixture"}
              for status, day in (("SIGNATORY", "2001-01-31"), ("SUSPENDED", "2018-01-01"), ("SIGNATORY", "2018-10-02"))]
    # (the events restate KCA's real reinstatement without its sources: allowed for this test only)
    load_data(engine, _minimal(accreditationBodies=[
        {"code": "KCA", "name": "Kyrgyz Center of Accreditation", "economy": "KG", "statuses": events}]),
        allow_fixture_overwrite=True)

    # each event ended the one before, as every reader (browsing, the path, exports) now sees it
    exported = export(engine)
    kca = next(b for b in json.loads(exported)["accreditationBodies"] if b["code"] == "KCA")
    ends = [s.get("to") for s in kca["statuses"] if s["activity"] == "TESTING"]
    assert ends == ["2017-12-31", "2018-10-01", None]
    # and loading the same events again changes nothing
    again = load_data(engine, _minimal(accreditationBodies=[
        {"code": "KCA", "name": "Kyrgyz Center of Accreditation", "economy": "KG", "statuses": events}]))
    assert not again.changed
    with Session(engine) as session:
        snapshot = Snapshot.build(read_registry(session))
    s08 = case("S08")  # issued on 2018-10-01, the last day of the suspension
    decision = decide(snapshot, to_consignment(s08))
    assert (decision.outcome, decision.reason) == (s08.outcome, s08.reason)
