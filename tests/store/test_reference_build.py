"""The bundled reference registry (data/reference/registry.json) and its builder (data/build_reference.py): the
committed file is what the builder gives from the shared research snapshot, it keeps the corrections of the
December 2026 research pass (shared/domain/reference-data-CHANGES.md), every fact keeps its provenance, and the
project's loader takes it whole."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.conftest import REFERENCE, ROOT, load

BUILDER = ROOT / "data" / "build_reference.py"
SNAPSHOT = ROOT.parent / "shared" / "domain" / "reference-data.json"

needs_snapshot = pytest.mark.skipif(not SNAPSHOT.exists(), reason="the shared research snapshot is not here")


def builder():
    spec = importlib.util.spec_from_file_location("build_reference", BUILDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def document() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def arrangement(document: dict, code: str) -> dict:
    return next(a for a in document["arrangements"] if a["code"] == code)


def body(document: dict, code: str) -> dict:
    return next(b for b in document["accreditationBodies"] if b["code"] == code)


def sector(document: dict, code: str) -> dict:
    return next(s for a in document["arrangements"] for s in a.get("sectors", []) if s["code"] == code)


def statuses(document: dict, code: str, arrangement_code: str, activity: str | None) -> list[dict]:
    return [s for s in body(document, code)["statuses"]
            if s["arrangement"] == arrangement_code and s["activity"] == activity]


# -- the build -----------------------------------------------------------------------------------------------------
@needs_snapshot
def test_the_committed_registry_is_what_the_builder_gives():
    run = subprocess.run([sys.executable, str(BUILDER), "--check"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "is up to date" in run.stdout


@needs_snapshot
def test_the_build_is_deterministic():
    module = builder()
    assert module.render(module.build(SNAPSHOT)) == module.render(module.build(SNAPSHOT))


@needs_snapshot
def test_the_builder_refuses_a_snapshot_that_lost_a_fact_it_relies_on(tmp_path):
    text = SNAPSHOT.read_text(encoding="utf-8")
    phrase = "operational for veterinary products from 2023-05-30"
    assert phrase in text
    changed = tmp_path / "reference-data.json"
    changed.write_text(text.replace(phrase, "operational for veterinary products from 2023-05-31"), encoding="utf-8")
    output = tmp_path / "registry.json"
    run = subprocess.run([sys.executable, str(BUILDER), str(changed), "--output", str(output)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1 and not output.exists()
    assert phrase in run.stderr


@needs_snapshot
def test_the_builder_refuses_a_status_dated_before_its_activity_joined_the_arrangement(tmp_path):
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    nah = next(b for b in data["accreditation_bodies"] if b["acronym"] == "NAH")
    inspection = next(m for m in nah["memberships"] if m["scopes"] == ["INSPECTION"])
    inspection["since"] = "2011-05-09"  # ILAC covers inspection only from 2012-10-24
    changed = tmp_path / "reference-data.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    module = builder()
    with pytest.raises(module.BuildError, match="before ILAC_MRA covered INSPECTION"):
        module.build(changed)


# -- facts the December 2026 research pass corrected -------------------------------------------------------------
def test_eu_us_gmp_operations_carry_the_corrected_dates(document):
    (veterinary,) = sector(document, "EU-US-GMP-V")["operations"]
    assert veterinary["from"] == "2023-05-30" and veterinary["confidence"] == "confirmed"
    assert not any("billeveast" in s for s in veterinary["sources"])
    assert any("fda.gov" in s for s in veterinary["sources"])
    (human,) = sector(document, "EU-US-GMP-H")["operations"]
    assert human["from"] == "2017-11-01" and human["confidence"] == "confirmed"
    assert "Decision 1/2017" in human["note"]
    hosts = ("generationdance", "humblasfysioterapi", "billeveast", "nevadaseniorbootcd", "prideseotools")
    assert not any(h in REFERENCE.read_text(encoding="utf-8") for h in hosts)


def test_eu_us_in_force_month_is_not_made_a_day(document):
    us = arrangement(document, "EU_US_MRA")
    assert "from" not in us and us["confidence"] == "confirmed"
    assert "1998-12" in us["note"]


def test_government_arrangements_gain_the_sourced_dates_and_sectors(document):
    assert arrangement(document, "EU_CH_MRA")["from"] == "2002-06-01"
    australia = arrangement(document, "EU_AU_MRA")
    assert australia["from"] == "1999-01-01"
    assert {s["code"] for s in australia["sectors"]} >= {"EU-AU-EMC", "EU-AU-GMP", "EU-AU-TTE"}
    canada_gmp = sector(document, "EU-CA-1998-GMP")
    assert [o["from"] for o in canada_gmp["operations"]] == ["2003-02-01"]
    assert canada_gmp["termination"] == {**canada_gmp["termination"], "effective": "2017-09-21",
                                         "voidsExisting": False}
    assert sector(document, "EU-CA-CETA-EMC")["confidence"] == "confirmed"
    assert sector(document, "EU-CH-EXPLOSIVES")["confidence"] == "unconfirmed"
    assert sector(document, "EU-CH-LIFTS")["confidence"] == "confirmed"


def test_corrected_signatories(document):
    codes = {b["code"] for b in document["accreditationBodies"]}
    assert "PAO" not in codes and {"PAB", "NAH", "LA", "CALA", "BATA"} <= codes
    assert body(document, "PAB")["confidence"] == "confirmed"
    assert [s["status"] for s in statuses(document, "UKAS", "ILAC_MRA", "RMP")] == ["SIGNATORY"]
    assert [s["from"] for s in statuses(document, "NAH", "ILAC_MRA", "INSPECTION")] == ["2017-05-09"]
    assert [s["from"] for s in statuses(document, "ANAB", "ILAC_MRA", "RMP")] == ["2020-07-21"]
    assert [s["from"] for s in statuses(document, "TURKAK", "IAF_MLA", "MS_CERTIFICATION")] == ["2007-10-26"]
    # signed on the day the ILAC MRA was signed, recorded from the day it took effect
    (taf,) = statuses(document, "TAF", "ILAC_MRA", "CALIBRATION")
    assert taf["from"] == "2001-01-31" and "2000-11-02" in taf["note"]
    assert [(s["status"], s.get("from")) for s in statuses(document, "NAT", "ILAC_MRA", None)] == [
        ("SIGNATORY", None), ("WITHDRAWN", "2015-12-31")]


def test_union_membership_comes_from_the_snapshot_with_sources(document):
    (eu,) = document["unions"]
    assert len(eu["memberships"]) == 28
    assert all(m["confidence"] == "confirmed" and m["sources"] for m in eu["memberships"])
    (gb,) = [m for m in eu["memberships"] if m["economy"] == "GB"]
    assert gb["from"] == "1973-01-01" and gb["to"] == "2020-12-31"


# -- the new fields ------------------------------------------------------------------------------------------------
def test_activity_starts_only_where_the_snapshot_gives_a_full_date(document):
    ilac = {s["activity"]: s for s in arrangement(document, "ILAC_MRA")["activityStarts"]}
    assert ilac["INSPECTION"]["from"] == "2012-10-24" and ilac["INSPECTION"]["confidence"] == "confirmed"
    assert ilac["INSPECTION"]["sources"]
    assert ilac["TESTING"]["from"] == ilac["CALIBRATION"]["from"] == "2001-01-31"
    assert not {"PTP", "RMP", "MEDICAL_TESTING", "BIOBANKING"} & set(ilac)  # partial or no date
    iaf = {s["activity"]: s["from"] for s in arrangement(document, "IAF_MLA")["activityStarts"]}
    assert iaf == {"MS_CERTIFICATION": "1998-01-22", "PRODUCT_CERTIFICATION": "2004-10-09"}
    apac = {s["activity"]: s["from"] for s in arrangement(document, "APAC_MRA")["activityStarts"]}
    assert apac == {"INSPECTION": "2003-11-12", "RMP": "2007-12-06", "BIOBANKING": "2022-06-28"}
    assert "activityStarts" not in arrangement(document, "EA_MLA")  # PTP 2017 and RMP 2019-05 are partial


def test_no_status_is_dated_before_its_activity_start(document):
    starts = {(a["code"], s["activity"]): s["from"] for a in document["arrangements"]
              for s in a.get("activityStarts", [])}
    for b in document["accreditationBodies"]:
        for s in b["statuses"]:
            start = starts.get((s["arrangement"], s["activity"]))
            if start and s.get("from"):
                assert s["from"] >= start, (b["code"], s)


def test_urls_only_where_the_snapshot_gives_them(document):
    snapshot_text = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else None
    lists = {a["code"]: a["signatoryListUrl"] for a in document["arrangements"] if a.get("signatoryListUrl")}
    assert lists == {"IAF_MLA": "https://iaf.nu/en/signatories-to-the-iaf-mla-2023/"}
    assert not any(b.get("directoryUrl") for b in document["accreditationBodies"])
    if snapshot_text:
        assert all(url in snapshot_text for url in lists.values())


def test_the_invented_gasb_is_no_part_of_the_real_registry(document):
    assert "GASB" not in {b["code"] for b in document["accreditationBodies"]}
    assert "GASB" not in {b["code"] for b in document.get("lookalikeBodies", [])}


def test_no_completeness_declaration(document):
    # no source in the snapshot states that a list it gives is complete (data/README.md)
    assert "completenessDeclarations" not in document


# -- provenance ----------------------------------------------------------------------------------------------------
def facts(node):
    if isinstance(node, dict):
        if "confidence" in node or "status" in node or "from" in node and "activity" in node:
            yield node
        for key, value in node.items():
            if key not in ("sources",):
                yield from facts(value)
    elif isinstance(node, list):
        for value in node:
            yield from facts(value)


def test_every_fact_has_a_confidence_and_a_confirmed_fact_its_sources(document):
    found = list(facts(document))
    assert len(found) > 500
    for fact in found:
        assert fact.get("confidence") in ("confirmed", "unconfirmed"), fact
        if fact["confidence"] == "confirmed":
            assert fact.get("sources"), fact
    for s in (s for b in document["accreditationBodies"] for s in b["statuses"] if not s.get("sources")):
        assert s["confidence"] == "unconfirmed" and "general knowledge" in s["note"], s
    assert all(a["confidence"] and a["sources"] for a in document["arrangements"])


# -- through the project's loader and engine ----------------------------------------------------------------------
def test_the_loader_takes_it_and_exports_it_back(engine):
    from mra_registry.store.exporting import export_document

    result = load(engine, REFERENCE)
    assert result.changed
    with Session(engine) as session:
        exported = json.loads(export_document(session))

    def canonical(node):  # what export leaves out: title, description, nulls and empty lists
        if isinstance(node, dict):
            return {k: canonical(v) for k, v in node.items()
                    if v is not None and v != [] and k not in ("title", "description")}
        if isinstance(node, list):
            return [canonical(v) for v in node]
        return node

    built = canonical(json.loads(REFERENCE.read_text(encoding="utf-8")))
    assert json.dumps(canonical(exported)) == json.dumps(built)  # same values, same key order
    assert not load(engine, REFERENCE).changed


def test_alone_it_answers_intra_eu_and_leaves_real_consignments_undetermined(engine):
    from mra_registry.domain.codes import Outcome
    from mra_registry.domain.decision import Consignment
    from mra_registry.domain.engine import decide
    from mra_registry.domain.snapshot import Snapshot
    from mra_registry.store.mapping import read_registry

    load(engine, REFERENCE)
    with Session(engine) as session:
        snapshot = Snapshot.build(read_registry(session))
    day = date(2026, 6, 1)
    assert decide(snapshot, Consignment("DE", "FR", "0406900000", day)).outcome is Outcome.NOT_REQUIRED
    for exporter, importer, code in (("NZ", "JP", "040690"), ("US", "DE", "300490"), ("CN", "US", "851762")):
        decision = decide(snapshot, Consignment(exporter, importer, code, day))
        assert decision.outcome is Outcome.UNDETERMINED, (exporter, importer, decision.outcome)
