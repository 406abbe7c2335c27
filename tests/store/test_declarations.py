"""Completeness declarations, look-alike bodies, arrangement activity starts and the directory and signatory-list
URLs: through the registry document (problems with paths), the store (what a load replaces), the domain registry
the engine reads, and the rule that invented (`fixture`) records never overwrite real ones.

Codes starting with ZZ- are invented for these tests."""
from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mra_registry.domain.codes import Activity, CompletenessKind
from mra_registry.interchange.problems import DocumentInvalid
from mra_registry.store import models as m
from mra_registry.store.exporting import export_document
from mra_registry.store.loading import load_documents, load_files
from mra_registry.store.mapping import read_registry, registry_version

from tests.conftest import REFERENCE, SCENARIOS, load


def doc(**sections):
    return {"format": "mra-registry", "formatVersion": 1, **sections}


def load_data(engine, *documents, allow_fixture_overwrite=False):
    with Session(engine) as session, session.begin():
        return load_documents(session, [(f"doc{i}", d) for i, d in enumerate(documents)],
                              allow_fixture_overwrite=allow_fixture_overwrite)


def registry(engine):
    with Session(engine) as session:
        return read_registry(session)


def exported(engine) -> dict:
    with Session(engine) as session:
        return json.loads(export_document(session))


def row_counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {t.name: session.execute(select(func.count()).select_from(t)).scalar_one()
                for t in m.Base.metadata.sorted_tables}


def declaration(code="ZZ-DECL", kind="IMPORT_POLICIES", **fields):
    return {"code": code, "kind": kind, **fields}


# -- the scenario fixtures ---------------------------------------------------------------------------------
def test_the_scenario_fixtures_reach_the_registry_the_engine_reads(scenario_engine):
    held = registry(scenario_engine)
    declarations = {d.code: d for d in held.declarations}
    assert len(declarations) == 45
    eu = declarations["DECL-IMPORT-EU"]
    assert (eu.kind, eu.importer, eu.hs_prefixes, eu.includes_members, eu.valid_from) == (
        CompletenessKind.IMPORT_POLICIES, "EU", ("04", "12", "90"), True, date(2000, 1, 1))
    assert not any(d.kind is CompletenessKind.CABS for d in held.declarations)  # SCENARIOS.md 1.6
    assert not any(d.accreditation_body == "ENAC" for d in held.declarations)
    assert declarations["DECL-LIST-US-TOY-LABS"].acceptance_list == "US-TOY-LABS"
    gmp_v = declarations["DECL-DESIGNATIONS-EU-US-GMP-V"]
    assert (gmp_v.arrangement, gmp_v.sector, gmp_v.party, gmp_v.valid_from) == (
        "EU_US_MRA", "EU-US-GMP-V", None, date(2023, 5, 31))
    assert [(b.code, b.economy) for b in held.lookalike_bodies] == [("GASB", None)]
    assert "GASB" not in {b.code for b in held.accreditation_bodies}
    arrangements = {a.code: a for a in held.arrangements}
    ilac = arrangements["ILAC_MRA"]
    assert ilac.activity_start(Activity.INSPECTION) == date(2012, 10, 24)
    assert ilac.activity_start(Activity.TESTING) == date(2001, 1, 31)
    assert {s.provenance.confidence.value for s in ilac.activity_starts} == {"confirmed"}
    assert arrangements["IAF_MLA"].activity_start(Activity.MS_CERTIFICATION) == date(1998, 1, 22)
    enac = next(b for b in held.accreditation_bodies if b.code == "ENAC")
    assert sorted((s.activity.value if s.activity else "-", s.valid_from, s.reported_since) for s in enac.statuses) == [
        ("-", None, "2024-01-01"), ("TESTING", None, "2024-01-01")]
    assert {c.code for c in held.cabs} >= {"L21", "L22", "L23"}


def test_loading_the_fixtures_over_the_reference_data_is_refused_and_changes_nothing(engine):
    load(engine, REFERENCE)
    with Session(engine) as session:
        before_version = registry_version(session)
    before_rows = row_counts(engine)

    with pytest.raises(DocumentInvalid) as refused:
        load(engine, SCENARIOS)

    problems = refused.value.problems
    assert problems and {p.code for p in problems} == {"FIXTURE_OVERWRITE"}
    ukas = next(p for p in problems if "UKAS" in p.message)
    assert ukas.path.startswith("$.accreditationBodies[") and ".statuses[" in ukas.path
    assert "ILAC_MRA / TESTING" in ukas.message and "confirmed" in ukas.message and "https://" in ukas.message
    assert ukas.document == str(SCENARIOS)
    with Session(engine) as session:
        assert registry_version(session) == before_version
    assert row_counts(engine) == before_rows

    # an explicit option lets a test lay the fixtures over the real data
    with Session(engine) as session, session.begin():
        result = load_files(session, [str(SCENARIOS)], allow_fixture_overwrite=True)
    assert result.changed and result.version == before_version + 1


def test_a_fixture_in_a_later_document_of_the_same_load_cannot_replace_a_real_record(engine):
    real = doc(lookalikeBodies=[{"code": "ZZ-FORUM", "name": "Forum", "confidence": "confirmed", "sources": ["https://x.example/"]}])
    invented = doc(lookalikeBodies=[{"code": "ZZ-FORUM", "name": "Forum (renamed)", "confidence": "fixture"}])
    with pytest.raises(DocumentInvalid) as refused:
        load_data(engine, real, invented)
    assert [(p.document, p.path, p.code) for p in refused.value.problems] == [
        ("doc1", "$.lookalikeBodies[0]", "FIXTURE_OVERWRITE")]
    assert load_data(engine, real, invented, allow_fixture_overwrite=True).changed


@pytest.mark.parametrize("existing, new, refused", [
    ("confirmed", "fixture", True),
    ("unconfirmed", "fixture", True),
    ("fixture", "fixture", False),
    ("confirmed", "unconfirmed", False),
])
def test_a_declaration_is_protected_by_its_confidence(engine, existing, new, refused):
    load_data(engine, doc(completenessDeclarations=[declaration(importer="JP", confidence=existing)]))
    replacement = doc(completenessDeclarations=[declaration(importer="JP", hsPrefixes=["04"], confidence=new)])
    if refused:
        with pytest.raises(DocumentInvalid) as error:
            load_data(engine, replacement)
        assert [(p.path, p.code) for p in error.value.problems] == [("$.completenessDeclarations[0]", "FIXTURE_OVERWRITE")]
        assert existing in error.value.problems[0].message
    else:
        assert load_data(engine, replacement).changed


def test_a_fixture_that_restates_a_real_record_unchanged_is_no_overwrite(scenario_engine):
    # the fixtures' own real facts (KCA's reinstatement, confirmed) stay as they are when loaded again
    assert not load(scenario_engine, SCENARIOS).changed


def test_a_fixture_entity_cannot_rewrite_a_real_entitys_fields(engine):
    load_data(engine, doc(accreditationBodies=[{"code": "ZZ-AB", "name": "Real", "confidence": "confirmed"}]))
    with pytest.raises(DocumentInvalid) as refused:
        load_data(engine, doc(accreditationBodies=[{"code": "ZZ-AB", "name": "Invented", "confidence": "fixture"}]))
    assert [(p.path, p.code) for p in refused.value.problems] == [("$.accreditationBodies[0]", "FIXTURE_OVERWRITE")]


# -- the document format -------------------------------------------------------------------------------------
GOVERNMENT = {"code": "ZZ-GOV", "name": "Gov", "kind": "GOVERNMENT", "parties": ["EU", "US"],
              "sectors": [{"code": "ZZ-S", "name": "S", "attestationTypes": ["TESTING"]}]}
ACCREDITATION = {"code": "ZZ-ACC", "name": "Acc", "kind": "ACCREDITATION_GLOBAL", "activities": ["TESTING", "INSPECTION"]}
BASE = {"unions": [{"code": "EU", "name": "European Union"}], "arrangements": [GOVERNMENT, ACCREDITATION],
        "accreditationBodies": [{"code": "ZZ-AB", "name": "Body"}]}

BAD = {
    "a range field of another kind": (declaration(importer="JP", arrangement="ZZ-ACC"),
                                      "$.completenessDeclarations[0].arrangement", "INCONSISTENT"),
    "no importer": (declaration(hsPrefixes=["04"]), "$.completenessDeclarations[0].importer", "INCONSISTENT"),
    "an unknown importer": (declaration(importer="ZZ"), "$.completenessDeclarations[0].importer", "UNKNOWN_ECONOMY"),
    "includesMembers on an economy": (declaration(importer="JP", includesMembers=True),
                                      "$.completenessDeclarations[0].includesMembers", "INCONSISTENT"),
    "signatories of a government arrangement": (declaration(kind="SIGNATORIES", arrangement="ZZ-GOV"),
                                                "$.completenessDeclarations[0].arrangement", "INCONSISTENT"),
    "signatories of an unknown arrangement": (declaration(kind="SIGNATORIES", arrangement="ZZ-NONE"),
                                              "$.completenessDeclarations[0].arrangement", "UNKNOWN_REFERENCE"),
    "an activity the arrangement does not cover": (
        declaration(kind="SIGNATORIES", arrangement="ZZ-ACC", activities=["TESTING", "RMP"]),
        "$.completenessDeclarations[0].activities[1]", "INCONSISTENT"),
    "a range for every accreditation body": (declaration(kind="ACCREDITATION_BODIES", importer="JP"),
                                             "$.completenessDeclarations[0].importer", "INCONSISTENT"),
    "accreditations of an unknown body": (declaration(kind="ACCREDITATIONS", accreditationBody="ZZ-NONE"),
                                          "$.completenessDeclarations[0].accreditationBody", "UNKNOWN_REFERENCE"),
    "accreditations of no body": (declaration(kind="ACCREDITATIONS"),
                                  "$.completenessDeclarations[0].accreditationBody", "INCONSISTENT"),
    "designations in a sector of another arrangement": (
        declaration(kind="DESIGNATIONS", arrangement="ZZ-GOV", sector="EU-US-TEL"),
        "$.completenessDeclarations[0].sector", "UNKNOWN_REFERENCE"),
    "designations for a non-party": (declaration(kind="DESIGNATIONS", arrangement="ZZ-GOV", party="JP"),
                                     "$.completenessDeclarations[0].party", "UNKNOWN_REFERENCE"),
    "designations under an accreditation arrangement": (declaration(kind="DESIGNATIONS", arrangement="ZZ-ACC"),
                                                        "$.completenessDeclarations[0].arrangement", "INCONSISTENT"),
    "list entries of no list": (declaration(kind="LIST_ENTRIES"), "$.completenessDeclarations[0].list", "INCONSISTENT"),
    "list entries of a list the registry does not hold": (declaration(kind="LIST_ENTRIES", list="ZZ-NONE"),
                                                          "$.completenessDeclarations[0].list", "UNKNOWN_REFERENCE"),
    "a list code with spaces": (declaration(kind="LIST_ENTRIES", list=" US-TOY-LABS"),
                                "$.completenessDeclarations[0].list", "INVALID"),
    "to before from": (declaration(importer="JP", **{"from": "2020-01-01", "to": "2019-01-01"}),
                       "$.completenessDeclarations[0].to", "INVALID_DATE_RANGE"),
    "an unknown kind": (declaration(kind="EVERYTHING"), "$.completenessDeclarations[0].kind", "INVALID"),
    "a malformed HS prefix": (declaration(importer="JP", hsPrefixes=["4"]),
                              "$.completenessDeclarations[0].hsPrefixes[0]", "INVALID"),
}


ZZ_LIST = {"code": "ZZ-LIST", "name": "An invented acceptance list", "owner": "US"}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_faulty_declaration_is_refused_with_its_path(engine, name):
    item, path, code = BAD[name]
    with pytest.raises(DocumentInvalid) as refused:
        load_data(engine, doc(**BASE, completenessDeclarations=[item]))
    assert (path, code) in [(p.path, p.code) for p in refused.value.problems], refused.value.problems


def test_a_list_entries_declaration_names_a_list_the_registry_or_the_same_load_holds(engine):
    # a list of no document: refused like any unknown reference, with its path, and nothing is written
    before = row_counts(engine)
    with pytest.raises(DocumentInvalid) as refused:
        load_data(engine, doc(acceptanceLists=[ZZ_LIST], completenessDeclarations=[
            declaration("ZZ-HELD", kind="LIST_ENTRIES", list="ZZ-LIST"),
            declaration("ZZ-GONE", kind="LIST_ENTRIES", list="ZZ-LIST-GONE")]))
    assert [(p.document, p.path, p.code, p.message) for p in refused.value.problems] == [
        ("doc0", "$.completenessDeclarations[1].list", "UNKNOWN_REFERENCE", "unknown acceptance list 'ZZ-LIST-GONE'")]
    assert row_counts(engine) == before
    # codes are matched exactly, as every other reference is
    with pytest.raises(DocumentInvalid) as in_another_case:
        load_data(engine, doc(acceptanceLists=[ZZ_LIST],
                              completenessDeclarations=[declaration(kind="LIST_ENTRIES", list="zz-list")]))
    assert [(p.path, p.code) for p in in_another_case.value.problems] == [
        ("$.completenessDeclarations[0].list", "UNKNOWN_REFERENCE")]
    # the list in another document of the same load, then in the registry
    assert load_data(engine, doc(acceptanceLists=[ZZ_LIST]),
                     doc(completenessDeclarations=[declaration("ZZ-A", kind="LIST_ENTRIES", list="ZZ-LIST")])).changed
    assert load_data(engine, doc(completenessDeclarations=[declaration("ZZ-B", kind="LIST_ENTRIES", list="ZZ-LIST")])
                     ).changed
    assert {d.code: d.acceptance_list for d in registry(engine).declarations} == {"ZZ-A": "ZZ-LIST", "ZZ-B": "ZZ-LIST"}


def test_a_declaration_code_is_unique_but_declarations_may_overlap(engine):
    twice = [declaration(importer="JP"), declaration(importer="JP")]
    with pytest.raises(DocumentInvalid) as refused:
        load_data(engine, doc(completenessDeclarations=twice))
    assert [(p.path, p.code) for p in refused.value.problems] == [("$.completenessDeclarations[1]", "DUPLICATE_CODE")]
    overlapping = [declaration("ZZ-A", importer="JP", hsPrefixes=["04"], **{"from": "2000-01-01"}),
                   declaration("ZZ-B", importer="JP", hsPrefixes=["0406"], **{"from": "2010-01-01"})]
    assert load_data(engine, doc(completenessDeclarations=overlapping)).changed


def test_every_kind_with_its_own_range_loads_and_exports_canonically(engine):
    declarations = [
        declaration("ZZ-1", importer="EU", hsPrefixes=["04"], excludedHsPrefixes=["0401"], includesMembers=True,
                    **{"from": "2000-01-01", "to": "2030-12-31"}),
        declaration("ZZ-2", kind="SIGNATORIES", arrangement="ZZ-ACC", activities=["INSPECTION"]),
        declaration("ZZ-3", kind="ACCREDITATION_BODIES"),
        declaration("ZZ-4", kind="ACCREDITATIONS", accreditationBody="ZZ-AB"),
        declaration("ZZ-5", kind="CABS"),
        declaration("ZZ-6", kind="DESIGNATIONS", arrangement="ZZ-GOV", sector="ZZ-S", party="US"),
        declaration("ZZ-7", kind="LIST_ENTRIES", list="ZZ-LIST"),
    ]
    load_data(engine, doc(**BASE, acceptanceLists=[ZZ_LIST], completenessDeclarations=declarations))
    written = exported(engine)["completenessDeclarations"]
    assert [d["code"] for d in written] == [f"ZZ-{i}" for i in range(1, 8)]
    assert written[0] == declarations[0] | {"confidence": "unconfirmed"}
    assert written[2] == {"code": "ZZ-3", "kind": "ACCREDITATION_BODIES", "confidence": "unconfirmed"}
    assert not load_data(engine, doc(completenessDeclarations=written)).changed


def test_look_alikes_and_accreditation_bodies_never_share_a_code(engine):
    load_data(engine, doc(**BASE, lookalikeBodies=[{"code": "ZZ-FORUM", "name": "Forum"}]))
    with pytest.raises(DocumentInvalid) as as_lookalike:
        load_data(engine, doc(lookalikeBodies=[{"code": "ZZ-AB", "name": "Body"}]))
    with pytest.raises(DocumentInvalid) as as_body:
        load_data(engine, doc(accreditationBodies=[{"code": "ZZ-FORUM", "name": "Forum"}]))
    with pytest.raises(DocumentInvalid) as in_one_document:
        load_data(engine, doc(accreditationBodies=[{"code": "ZZ-X", "name": "X"}],
                              lookalikeBodies=[{"code": "ZZ-X", "name": "X"}]))
    assert [(p.path, p.code) for p in as_lookalike.value.problems] == [("$.lookalikeBodies[0].code", "INCONSISTENT")]
    assert [(p.path, p.code) for p in as_body.value.problems] == [("$.accreditationBodies[0].code", "INCONSISTENT")]
    assert ("$.lookalikeBodies[0].code", "INCONSISTENT") in [(p.path, p.code) for p in in_one_document.value.problems]


@pytest.mark.parametrize("change, path", [
    (lambda d: d["arrangements"][0].__setitem__("activityStarts", [{"activity": "TESTING", "from": "2001-01-31"}]),
     "$.arrangements[0].activityStarts"),
    (lambda d: d["arrangements"][1].__setitem__("activityStarts", [{"activity": "TESTING", "from": "2001-01-31"},
                                                                   {"activity": "TESTING", "from": "2002-01-31"}]),
     "$.arrangements[1].activityStarts[1]"),
    (lambda d: d["arrangements"][1].__setitem__("activityStarts", [{"activity": "RMP", "from": "2001-01-31"}]),
     "$.arrangements[1].activityStarts[0].activity"),
    (lambda d: d["arrangements"][1].__setitem__("activityStarts", [{"activity": "TESTING"}]),
     "$.arrangements[1].activityStarts[0]"),
    (lambda d: d["arrangements"][1].__setitem__("signatoryListUrl", "http://ilac.org/signatories"),
     "$.arrangements[1].signatoryListUrl"),
    (lambda d: d["accreditationBodies"][0].__setitem__("directoryUrl", "ftp://x"), "$.accreditationBodies[0].directoryUrl"),
])
def test_faulty_activity_starts_and_urls_are_refused_with_their_path(engine, change, path):
    document = doc(**copy.deepcopy(BASE))
    change(document)
    with pytest.raises(DocumentInvalid) as refused:
        load_data(engine, document)
    assert path in [p.path for p in refused.value.problems], refused.value.problems


# -- what a load replaces ------------------------------------------------------------------------------------
def test_a_load_replaces_a_declaration_by_code_and_keeps_its_history(engine):
    load_data(engine, doc(completenessDeclarations=[declaration("ZZ-A", importer="JP"), declaration("ZZ-B", importer="KR")]))
    result = load_data(engine, doc(completenessDeclarations=[declaration("ZZ-A", importer="JP", hsPrefixes=["04"])]))
    assert result.changes == 1
    held = {d.code: d for d in registry(engine).declarations}
    assert held["ZZ-A"].hs_prefixes == ("04",) and held["ZZ-B"].importer == "KR"
    with Session(engine) as session:
        rows = session.scalars(select(m.CompletenessDeclarationRow).where(m.CompletenessDeclarationRow.code == "ZZ-A")).all()
        assert sorted((r.hs_prefixes, r.row_version, r.retired_version) for r in rows) == [
            ([], 1, result.version), (["04"], 2, None)]
        change = session.scalars(select(m.ChangeRecord).where(m.ChangeRecord.version == result.version)).one()
        assert (change.entity_type, change.entity_code, change.action) == ("CompletenessDeclaration", "ZZ-A", "UPDATE")
        assert "hsPrefixes" not in change.before and change.after["hsPrefixes"] == ["04"]


def test_a_load_replaces_activity_starts_per_activity_and_urls_with_the_entity(engine):
    starts = [{"activity": "TESTING", "from": "2001-01-31"}, {"activity": "INSPECTION", "from": "2012-10-24"}]
    base = copy.deepcopy(BASE)
    base["arrangements"][1] = ACCREDITATION | {"activityStarts": starts, "signatoryListUrl": "https://x.example/list"}
    base["accreditationBodies"][0] |= {"directoryUrl": "https://x.example/directory"}
    load_data(engine, doc(**base))
    result = load_data(engine, doc(arrangements=[ACCREDITATION | {
        "signatoryListUrl": "https://x.example/list",
        "activityStarts": [{"activity": "INSPECTION", "from": "2012-11-01", "confidence": "confirmed"}]}]))
    assert result.changes == 1
    arrangement = next(a for a in registry(engine).arrangements if a.code == "ZZ-ACC")
    assert arrangement.activity_start(Activity.TESTING) == date(2001, 1, 31)  # not named: kept
    assert arrangement.activity_start(Activity.INSPECTION) == date(2012, 11, 1)
    assert arrangement.signatory_list_url == "https://x.example/list"
    body = next(b for b in registry(engine).accreditation_bodies if b.code == "ZZ-AB")
    assert body.directory_url == "https://x.example/directory"
    written = next(a for a in exported(engine)["arrangements"] if a["code"] == "ZZ-ACC")
    assert [s["activity"] for s in written["activityStarts"]] == ["INSPECTION", "TESTING"]
    assert written["signatoryListUrl"] == "https://x.example/list"


def test_a_look_alike_is_updated_in_place(engine):
    load_data(engine, doc(lookalikeBodies=[{"code": "ZZ-FORUM", "name": "Forum"}]))
    load_data(engine, doc(lookalikeBodies=[{"code": "ZZ-FORUM", "name": "Forum", "economy": "CH"}]))
    with Session(engine) as session:
        row = session.get(m.LookalikeBodyRow, "ZZ-FORUM")
        assert (row.economy_code, row.row_version) == ("CH", 2)


def test_a_document_without_the_new_sections_loads_as_before(engine):
    document = json.loads(REFERENCE.read_text(encoding="utf-8"))
    for key in ("lookalikeBodies", "completenessDeclarations"):
        document.pop(key, None)
    assert load_data(engine, document).changed
    assert registry(engine).declarations == ()


def test_the_load_command_refuses_fixtures_over_real_data_unless_told(db_url, capsys, monkeypatch):
    from mra_registry.cli import main
    from mra_registry.store import database

    # the command leaves its engine to the end of the process; here each one is closed after the test
    engines = []
    make_engine = database.make_engine
    monkeypatch.setattr(database, "make_engine", lambda *a, **k: engines.append(make_engine(*a, **k)) or engines[-1])
    try:
        _run_load_commands(main, db_url, capsys)
    finally:
        for engine in engines:
            engine.dispose()


def _run_load_commands(main, db_url, capsys):
    assert main(["--database", db_url, "load", str(REFERENCE)]) == 0
    assert main(["--database", db_url, "load", str(SCENARIOS)]) == 2
    refusal = capsys.readouterr().err
    assert "nothing loaded" in refusal and "would replace the status ILAC_MRA / TESTING / - of AccreditationBody UKAS" in refusal
    assert main(["--database", db_url, "load", "--allow-fixture-overwrite", str(SCENARIOS)]) == 0
