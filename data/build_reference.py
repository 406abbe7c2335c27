#!/usr/bin/env python3
"""Build the bundled real reference registry, data/reference/registry.json, from the shared research snapshot.

    python data/build_reference.py [SOURCE] [--output FILE] [--check]

SOURCE defaults to <repo>/../shared/domain/reference-data.json. The output is a registry document
(docs/registry-document.md) and is deterministic: running the script again gives the identical file.
--check builds in memory and fails if the committed file differs.

Only the standard library and pycountry are used. Every modelling choice made here is explained in
data/README.md. The script refuses to write anything when the data does not fit the rules it knows:
an unknown activity, scope, sector or economy code, overlapping intervals, an event it cannot place, or
a hard-coded fact that no longer appears in the source.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pycountry

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "domain" / "reference-data.json"
DEFAULT_OUTPUT = REPO / "data" / "reference" / "registry.json"

ACTIVITIES = (
    "TESTING", "CALIBRATION", "MEDICAL_TESTING", "INSPECTION", "PTP", "RMP", "BIOBANKING",
    "PRODUCT_CERTIFICATION", "MS_CERTIFICATION", "PERSONS_CERTIFICATION", "VALIDATION_VERIFICATION",
    "GHG_VALIDATION_VERIFICATION",
)
STATUSES = ("SIGNATORY", "SUSPENDED", "WITHDRAWN", "ASSOCIATE", "APPLICANT", "EXPIRED")
UNION = "EU"
APAC_FORMED = "2019-01-01"

HS_READING = "HS mapping is the maintainers' reading, not stated in the instrument"
NO_HS = ("no HS heading maps this sector unambiguously, so hsPrefixes is empty and the sector covers no HS "
         "code until someone records a mapping")
NO_OPERATION = ("no full operational date is stated in the research data, so no operation is recorded and "
                "the sector recognises nothing")
GLP_TYPES = ("GLP compliance monitoring attests test facilities, not consignments; none of the registry's "
             "attestation types fits, so attestationTypes is empty")
PRODUCT_TYPES = ["TESTING", "PRODUCT_CERTIFICATION"]
GMP_TYPES = ["GMP_INSPECTION"]

# What an HS mapping means, for the sector notes. Only headings that match a sector without doubt are
# used, and each reading says what it leaves out (a narrower reading never recognises too much).
HS_MEANING = {
    "8517": "telephone sets and other apparatus for transmitting or receiving voice, images or data (8517); "
            "radio equipment classified elsewhere (8525-8527) is not mapped",
    "8903": "yachts and other vessels for pleasure or sports (8903)",
    "9018": "instruments and appliances used in medical, surgical, dental or veterinary sciences (9018); "
            "devices classified elsewhere (9019, 9021, 9022, 3005, 3822 ...) are not mapped",
    "3004": "medicaments in measured doses or for retail sale (3004); bulk medicaments (3003) and vaccines "
            "and blood products (3002) are not mapped",
    "9503": "toys (9503); games (9504) and festive articles (9505) are not mapped",
}


MAX_NAME = 300  # the longest name the registry stores (mra_registry/store/lengths.py)


class BuildError(Exception):
    """The source does not fit what this script knows how to model; nothing is written."""


# -- small helpers ----------------------------------------------------------------------------------------
def is_full_date(text: str | None) -> bool:
    if not text or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    date.fromisoformat(text)  # raises on 2021-02-30
    return True


def is_partial_date(text: str | None) -> bool:
    return bool(text) and re.fullmatch(r"\d{4}(-\d{2})?", text) is not None


def day_before(text: str) -> str:
    return (date.fromisoformat(text) - timedelta(days=1)).isoformat()


def clean(mapping: dict) -> dict:
    """Leave out absent values and empty source and operation lists (the format reads them as absent). An
    empty hsPrefixes or attestationTypes list is kept: there it says "nothing", on purpose."""
    return {k: v for k, v in mapping.items()
            if v is not None and not (k in ("sources", "operations", "activityStarts") and not v)}


# Key order of each kind of object: the order the package's canonical export writes.
PROVENANCE = ["confidence", "sources", "note"]
ORDER = {
    "union": ["code", "name", "memberships", *PROVENANCE],
    "membership": ["economy", "from", "to", *PROVENANCE],
    "arrangement": ["code", "name", "kind", "from", "to", "supersededBy", "supersededOn", "region", "activities",
                    "parties", "sectors", "hsPrefixes", "excludedHsPrefixes", "activityStarts", "signatoryListUrl",
                    *PROVENANCE],
    "activityStart": ["activity", "from", *PROVENANCE],
    "sector": ["code", "name", "hsPrefixes", "excludedHsPrefixes", "attestationTypes", "operations", "termination",
               *PROVENANCE],
    "operation": ["parties", "attestationType", "from", "to", *PROVENANCE],
    "termination": ["effective", "voidsExisting", *PROVENANCE],
    "body": ["code", "name", "economy", "region", "statuses", "directoryUrl", *PROVENANCE],
    "lookalike": ["code", "name", "economy", *PROVENANCE],
    "status": ["arrangement", "activity", "standard", "status", "from", "to", "reportedSince", *PROVENANCE],
}


def ordered(kind: str, mapping: dict) -> dict:
    """The object in its canonical key order, without absent values (an explicit null activity is kept)."""
    unknown = set(mapping) - set(ORDER[kind])
    if unknown:
        raise BuildError(f"{kind}: unexpected keys {sorted(unknown)}")
    kept = clean(mapping)
    if kind == "status":
        kept.setdefault("activity", None)
    return {k: kept[k] for k in ORDER[kind] if k in kept}


def note(*parts: str | None) -> str | None:
    kept = [p.strip().rstrip(".") for p in parts if p and p.strip()]
    return ". ".join(kept) + "." if kept else None


def unique(items):
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


class Source:
    """The research snapshot, with a check that every hard-coded fact below is still stated in it."""

    def __init__(self, path: Path):
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.data = json.loads(self.text)

    def states(self, *phrases: str) -> None:
        for phrase in phrases:
            if phrase not in self.text:
                raise BuildError(f"{self.path}: the script relies on {phrase!r}, which the source no longer says")


# -- unions -------------------------------------------------------------------------------------------------
# The snapshot's eu_membership section: dates of entry from the EU's own country page, GB's end on 2020-12-31
# (end of the transition period), each with its sources and confidence. DE from 1958 is the Federal Republic.
DE_NOTE = "the Federal Republic from 1958 (the eastern Länder joined with reunification on 1990-10-03)"


def unions(src: Source) -> list[dict]:
    section = src.data["eu_membership"]
    if section["union"] != UNION:
        raise BuildError(f"eu_membership: unexpected union {section['union']!r}")
    memberships = []
    for m in section["members"]:
        where = f"union {UNION} {m['economy']}"
        for key in ("from", "to"):
            if m.get(key) is not None and not is_full_date(m[key]):
                raise BuildError(f"{where}: {key} {m[key]!r} is not a full date")
        if m["confidence"] not in ("confirmed", "unconfirmed") or not m["sources"]:
            raise BuildError(f"{where}: a membership needs a confidence and sources")
        memberships.append(ordered("membership", {
            "economy": m["economy"], "from": m["from"], "to": m.get("to"), "confidence": m["confidence"],
            "sources": m["sources"], "note": note(m.get("note"), DE_NOTE if m["economy"] == "DE" else None),
        }))
    memberships.sort(key=lambda m: (m["economy"], m["from"]))
    sources = unique(s for m in section["members"] for s in m["sources"])
    return [ordered("union", {
        "code": UNION,
        "name": "European Union",
        "memberships": memberships,
        "confidence": "confirmed" if all(m["confidence"] == "confirmed" for m in memberships) else "unconfirmed",
        "sources": sources,
        "note": note("single-market union (EEC/EC before 1993)", section["note"]),
    })]


# -- accreditation arrangements --------------------------------------------------------------------------
def activity_codes(items, what: str) -> list[str]:
    """Leading activity codes of the source's scope strings ("PTP (launched 2017)" -> PTP,
    "TESTING+MEDICAL (...)" -> TESTING, MEDICAL_TESTING), in the format's order."""
    found = set()
    for item in items:
        head = item.split(" (")[0].strip()
        parts = ["TESTING", "MEDICAL_TESTING"] if head == "TESTING+MEDICAL" else [head]
        for code in parts:
            if code not in ACTIVITIES:
                raise BuildError(f"{what}: unknown activity {item!r}")
            found.add(code)
    return [a for a in ACTIVITIES if a in found]


def accreditation_arrangements(src: Source) -> list[dict]:
    by_id = {a["id"]: a for a in src.data["arrangements"]}
    rcb = {r["id"]: r for r in src.data["regional_cooperation_bodies"]}
    out = []

    ilac = by_id["ILAC_MRA"]
    joined = "; ".join(
        f"{a['code']} ({a['level3']}) from {a['in_mra_since'] or 'an unstated date'}"
        + (f" ({a['note']})" if a.get("note") else "")
        for a in ilac["activities"]
    )
    counts = ", ".join(f"{c['signatories']} signatories / {c['economies']} economies ({c['as_of']})"
                       for c in ilac["counts"])
    out.append({
        "code": "ILAC_MRA", "name": ilac["name"], "kind": ilac["kind"], "from": ilac["effective"],
        "supersededBy": ilac["superseded_by"], "supersededOn": ilac["superseded_on"],
        "activities": activity_codes([a["code"] for a in ilac["activities"]], "ILAC_MRA"),
        "confidence": "confirmed", "sources": ilac["sources"],
        "note": note(f"signed {ilac['signed']}, effective {ilac['effective']}",
                     f"activities and when they joined the arrangement: {joined}", f"size: {counts}",
                     f"replaced by the Global ACI MRA on {ilac['superseded_on']}"),
    })

    iaf = by_id["IAF_MLA"]
    scopes = "; ".join(f"{s['code']} ({s['level3']}; e.g. {', '.join(s['level5_examples'])})"
                       for s in iaf["main_scopes"])
    out.append({
        "code": "IAF_MLA", "name": iaf["name"], "kind": iaf["kind"], "from": iaf["signed"],
        "supersededBy": iaf["superseded_by"], "supersededOn": iaf["superseded_on"],
        "activities": activity_codes([s["code"] for s in iaf["main_scopes"]], "IAF_MLA"),
        "confidence": "confirmed", "sources": iaf["sources"],
        "note": note(f"'from' is the first signing ({iaf['signed']}); the data gives no separate effective date",
                     iaf["note"], "Level 1 ISO/IEC 17011; main scope = Level 2 activity + Level 3 standard; "
                     "sub-scope = Levels 4 and 5", f"main scopes: {scopes}",
                     f"{iaf['counts'][0]['ab_signatories']} AB signatories for {iaf['counts'][0]['economies']} "
                     f"economies ({iaf['counts'][0]['as_of']})",
                     f"replaced by the Global ACI MRA on {iaf['superseded_on']}"),
    })

    gaci = by_id["GLOBAL_ACI_MRA"]
    out.append({
        "code": "GLOBAL_ACI_MRA", "name": gaci["name"], "kind": gaci["kind"], "from": gaci["effective"],
        "activities": activity_codes(gaci["activities"], "GLOBAL_ACI_MRA"),
        "confidence": "confirmed", "sources": gaci["sources"],
        "note": note(f"replaces {' and '.join(gaci['replaces'])} from {gaci['effective']}", *gaci["notes"]),
    })

    # Regional arrangements: activities are the codes the data gives for the arrangement and for its regional
    # co-operation body (the scopes ILAC and IAF recognise it for). APAC's own scope list is prose; its two
    # unambiguous items (RMP, biobanking) are taken, its "V&V" is left to IAF's GHG code.
    src.states("scopes include testing, calibration, medical, inspection, RMP, PTP, biobanking",
               "refined: 2023-03-23 for CALIBRATION and TESTING")
    extra_codes = {"APAC_MRA": ["RMP", "BIOBANKING"], "SADCA_MRA": ["CALIBRATION", "TESTING"]}
    for code in ("EA_MLA", "APAC_MRA", "IAAC_MLA", "AFRAC_MRA", "ARAC_MLA", "SADCA_MRA"):
        a = by_id[code]
        body = rcb[a["region"]]
        codes = list(a.get("scopes", [])) + body.get("ilac_recognised_scopes", []) \
            + body.get("iaf_recognised_main_scopes_2023", []) + extra_codes.get(code, [])
        facts = list(a.get("notes", []))
        if a.get("scopes"):
            facts.append("scopes as the source lists them: " + "; ".join(a["scopes"]))
        if body.get("ilac_recognised_scopes"):
            facts.append(f"ILAC recognises {body['id']} for: {', '.join(body['ilac_recognised_scopes'])}")
        if body.get("iaf_recognised_main_scopes_2023"):
            facts.append(f"IAF recognises {body['id']} (2023) for: "
                         f"{', '.join(body['iaf_recognised_main_scopes_2023'])}")
        if body.get("ilac_recognised"):
            facts.append(f"ILAC recognition of {body['id']}: {body['ilac_recognised']}")
        if body.get("formed"):
            facts.append(f"{body['id']} formed {body['formed']} from {' and '.join(body['predecessors'])}; statuses "
                         "dated before then are those of the predecessor arrangements, recorded under this code")
        facts.append(body["note_on_ilac_scopes"])
        start, start_note = None, "no 'from': the data gives no full start date for this arrangement"
        if code == "IAAC_MLA":
            src.states("first signed 2002-10-24 by A2LA, INMETRO (Cgcre) and SCC")
            start, start_note = "2002-10-24", "'from' is the first signing"
        elif code == "APAC_MRA":
            start_note = ("no 'from': APAC formed 2019-01-01, but its MRA continues the APLAC MRA (1997-11-19) and "
                          "the PAC MLA (1998), whose statuses are recorded under APAC_MRA")
        out.append({
            "code": code, "name": a["name"], "kind": a["kind"], "from": start, "region": a["region"],
            "activities": activity_codes(codes, code),
            "confidence": "confirmed", "sources": unique(a["sources"] + body["sources"]),
            "note": note(f"regional arrangement of {body['name']}", *facts, start_note),
        })
    for a in out:
        a["activityStarts"] = activity_starts(src, a["code"], by_id[a["code"]])
        a["signatoryListUrl"] = signatory_list_url(src, a["code"])
    return [ordered("arrangement", a) for a in out]


# Where an accreditation arrangement began to cover an activity, by a full date. The ILAC MRA's come from its
# activity list (in_mra_since); the others are stated in prose and hard-coded here with the phrase the source must
# still state (in the arrangement or in the notes of its memberships) and what the date is. A partial date (ILAC
# PTP 2019-05, EA PTP 2017 and RMP 2019-05) gives no start.
APLAC = "in the APLAC MRA, which the APAC MRA continues since 2019-01-01"
STATED_STARTS = [
    ("IAF_MLA", "MS_CERTIFICATION", "1998-01-22", "first QMS MLA signed in Guangzhou 1998-01-22",
     "the first (QMS) MLA"),
    ("IAF_MLA", "PRODUCT_CERTIFICATION", "2004-10-09", "EMS and product MLAs operational 2004-10-09",
     "the product certification MLA became operational"),
    ("APAC_MRA", "INSPECTION", "2003-11-12", "inaugural APLAC MRA inspection signatory 2003-11-12",
     f"the inaugural inspection signatories, {APLAC}"),
    ("APAC_MRA", "RMP", "2007-12-06", "inaugural APLAC RMP signatory 2007-12-06",
     f"the inaugural RMP signatories, {APLAC}"),
    ("APAC_MRA", "BIOBANKING", "2022-06-28", "ISO 20387 (biobanking) added to APAC MRA 2022-06-28 (first AB)",
     "the first accreditation body signed for biobanking (A2LA), so no body held it earlier"),
]
# The page holding an arrangement's signatories, where a source in the data is one.
SIGNATORY_LISTS = {"IAF_MLA": "https://iaf.nu/en/signatories-to-the-iaf-mla-2023/"}


def activity_starts(src: Source, code: str, raw: dict) -> list[dict]:
    starts = []
    if code == "ILAC_MRA":
        for a in raw["activities"]:
            if is_full_date(a["in_mra_since"]):
                picked = [u for u in raw["sources"] if any(m in u for m in ILAC_START_SOURCES.get(a["code"], ()))]
                starts.append({
                    "activity": a["code"], "from": a["in_mra_since"], "confidence": "confirmed",
                    "sources": picked or raw["sources"],
                    "note": note(f"{a['code']} ({a['level3']}) in the ILAC MRA from {a['in_mra_since']}", a.get("note"),
                                 None if picked else "the data dates it for the arrangement as a whole; which of "
                                 "the arrangement's sources states it is not recorded"),
                })
            elif a["in_mra_since"] and not is_partial_date(a["in_mra_since"]):
                raise BuildError(f"ILAC_MRA {a['code']}: cannot read in_mra_since {a['in_mra_since']!r}")
    for arrangement, activity, day, phrase, what in STATED_STARTS:
        if arrangement != code:
            continue
        src.states(phrase)
        holders = [raw] if phrase in json.dumps(raw, ensure_ascii=False) else []
        holders += [m for b in src.data["accreditation_bodies"] for m in b["memberships"]
                    if m["arrangement"] == code and phrase in (m.get("note") or "")]
        if not holders:
            raise BuildError(f"{code} {activity}: neither the arrangement nor its memberships say {phrase!r}")
        confirmed = raw is holders[0] or any(h["confidence"] == "confirmed" for h in holders)
        starts.append({
            "activity": activity, "from": day, "confidence": "confirmed" if confirmed else "unconfirmed",
            "sources": unique(s for h in holders for s in h["sources"]),
            "note": note(f"{day}: {what}", f"the source says: '{phrase}'"),
        })
    if len({s["activity"] for s in starts}) != len(starts):
        raise BuildError(f"{code}: two starts for one activity")
    return [ordered("activityStart", s) for s in sorted(starts, key=lambda s: s["activity"])]


ILAC_START_SOURCES = {"INSPECTION": ("ukas.com/resources/latest-news/ilac-mra-extended-to-include-accreditation",)}


def signatory_list_url(src: Source, code: str) -> str | None:
    url = SIGNATORY_LISTS.get(code)
    if url:
        src.states(f'"{url}"')
        if not url.startswith("https://"):
            raise BuildError(f"{code}: the format takes https URLs only, not {url}")
    return url


# -- government arrangements ------------------------------------------------------------------------------
# Each source sector name -> (sector code suffix, kind, HS prefixes). kind: product (TESTING and
# PRODUCT_CERTIFICATION), gmp (GMP_INSPECTION) or glp (no attestation type). An HS prefix is given only where
# one heading matches the sector without doubt (HS_MEANING); otherwise the list stays empty.
SECTORS = {
    "US": {
        "Telecommunication equipment": ("TEL", "product", ["8517"]),
        "Electromagnetic compatibility (EMC)": ("EMC", "product", []),
        "Electrical safety": ("ELEC", "product", []),
        "Recreational craft": ("RC", "product", ["8903"]),
        "Pharmaceutical GMP": None,  # split into human and veterinary below
        "Medical devices": ("MD", "product", ["9018"]),
    },
    "CA-1998": {
        "Telecommunications terminal equipment (TTE)": ("1998-TTE", "product", ["8517"]),
        "Recreational craft": ("1998-RC", "product", ["8903"]),
        "Good manufacturing practices (GMP) for medicinal products": ("1998-GMP", "gmp", ["3004"]),
    },
    "CA-CETA": {
        "Electrical and electronic equipment incl. installations/appliances": ("CETA-EEE", "product", []),
        "Radio and telecommunications terminal equipment": ("CETA-RTTE", "product", ["8517"]),
        "Electromagnetic compatibility (EMC)": ("CETA-EMC", "product", []),
        "Toys": ("CETA-TOYS", "product", ["9503"]),
        "Construction products": ("CETA-CPR", "product", []),
        "Machinery": ("CETA-MACH", "product", []),
        "Measuring instruments": ("CETA-MI", "product", []),
        "Hot-water boilers": ("CETA-BOILERS", "product", []),
        "Equipment for potentially explosive atmospheres": ("CETA-ATEX", "product", []),
        "Outdoor equipment (noise)": ("CETA-NOISE", "product", []),
        "Recreational craft": ("CETA-RC", "product", ["8903"]),
    },
    "JP": {
        "Telecommunications terminal equipment and radio equipment": ("TEL", "product", ["8517"]),
        "Electrical products": ("ELEC", "product", []),
        "GLP for chemicals": ("GLP", "glp", []),
        "GMP for medicinal products": ("GMP", "gmp", ["3004"]),
    },
    "CH": {
        "machinery": ("MACH", "product", []), "PPE": ("PPE", "product", []),
        "toys": ("TOYS", "product", ["9503"]), "medical devices": ("MD", "product", ["9018"]),
        "gas appliances": ("GAS", "product", []), "pressure equipment": ("PED", "product", []),
        "radio/telecom": ("RTTE", "product", ["8517"]), "ATEX": ("ATEX", "product", []),
        "electrical equipment & EMC": ("ELEC-EMC", "product", []),
        "construction equipment noise": ("NOISE", "product", []),
        "measuring instruments": ("MI", "product", []), "motor vehicles": ("MV", "product", []),
        "tractors": ("TRACTORS", "product", []), "GLP": ("GLP", "glp", []), "GMP": ("GMP", "gmp", ["3004"]),
        "construction products": ("CPR", "product", []), "lifts": ("LIFTS", "product", []),
        "biocides": ("BIOCIDES", "product", []), "cableways": ("CABLEWAYS", "product", []),
        "explosives": ("EXPLOSIVES", "product", []),
    },
    "AU": {
        "Automotive products": ("AUTO", "product", []), "Low voltage equipment": ("LVE", "product", []),
        "Machinery": ("MACH", "product", []), "Medical devices": ("MD", "product", ["9018"]),
        "Pressure equipment": ("PED", "product", []),
        "Electromagnetic compatibility (EMC)": ("EMC", "product", []),
        "Medicinal products GMP inspection and batch certification": ("GMP", "gmp", ["3004"]),
        "Telecommunications terminal equipment": ("TTE", "product", ["8517"]),
    },
    "NZ": {
        "LVE": ("LVE", "product", []), "machinery": ("MACH", "product", []),
        "medical devices": ("MD", "product", ["9018"]), "pressure equipment": ("PED", "product", []),
        "TTE": ("TTE", "product", ["8517"]), "EMC": ("EMC", "product", []), "GMP": ("GMP", "gmp", ["3004"]),
    },
    "IL": {
        "GLP (chemicals)": ("GLP", "glp", []),
        "GMP for pharmaceuticals via ACAA": ("GMP", "gmp", ["3004"]),
    },
}

# The sources that back an operation's dates, picked from the MRA's source list by a marker each URL must
# contain (every marker must find one).
US_GMP_HOSTS = ("fda.gov", "ec.europa.eu/newsroom", "maestrodatabase.com", "blue-reg.com", "in2pharma.com",
                "pdfslide.us")
US_VET_HOSTS = ("fda.gov", "ema.europa.eu", "CELEX%3A22023D1044", "gmp-publishing.com")
CA_GMP_HOSTS = ("ema.europa.eu", "canada.ca/en/health-canada")
# Operations with a stated full date: (partner, sector suffix, type, from, confidence, phrase the source must
# state, source markers or None for the sector's sources, note). Nothing else is operational: a sector without
# an operation recognises nothing.
OPERATIONS = [
    ("US", "GMP-H", "GMP_INSPECTION", "2017-11-01", "confirmed",
     "the amended annex entered into force on 2017-11-01 (FDA) with the FDA recognising 8 member states that day",
     US_GMP_HOSTS,
     "the annex was amended by Joint Committee Decision 1/2017 (signed 2017-01-19 and 2017-03-01); the amended "
     "annex entered into force on 2017-11-01, when the FDA recognised 8 member states (AT, HR, FR, IT, MT, ES, SE, "
     "UK); CZ, GR, HU, RO from 2018-03-01; PL and SI 2019-02-07; DE 2019-06-26; all 28 on 2019-07-11. A member "
     "state's later start belongs to its authority's designation, which this document does not hold"),
    ("US", "GMP-V", "GMP_INSPECTION", "2023-05-30", "confirmed",
     "operational for veterinary products from 2023-05-30", US_VET_HOSTS,
     "veterinary products were brought into the annex by Decision No 2536/2023 of 2023-05-11; operational from "
     "2023-05-30, when the FDA recognised 16 member states (AT, BE, BG, DK, EE, FI, FR, GR, HU, IE, LU, NL, PL, PT, "
     "SI, ES; not DE) and the EU recognised the FDA (FDA table 'Date Recognized'; EU notification signed that day); "
     "announced 2023-05-31 (EMA, EC). The FDA recognised SE, LV, LT and DE by 2024-08-07 and CY, CZ, SK, IT and RO "
     "by September 2025: a member state's later start belongs to its authority's designation, which this "
     "document does not hold"),
    ("JP", "GMP", "GMP_INSPECTION", "2004-05-29", "confirmed",
     "GMP for medicinal products (operational 2004-05-29", None,
     "operational 2004-05-29 with a limited scope, widened in 2016 and 2018 (years only); the widening is not "
     "modelled, so the HS mapping overstates the early scope"),
    ("CA", "1998-GMP", "GMP_INSPECTION", "2003-02-01", "confirmed",
     "GMP operational 2003-02-01 (EMA, Health Canada)", CA_GMP_HOSTS,
     "operational 2003-02-01 under the 1998 MRA's GMP annex (EMA, Health Canada); the annex was replaced by the "
     "CETA GMP protocol on 2017-09-21 (see the sector's termination)"),
]


# EU-CH: the chapter the source still has from general knowledge only (chapter 20).
CH_GENERAL_KNOWLEDGE = {"EXPLOSIVES"}
# EU-AU: the older EC page's short names for sectors of the current list.
AU_OLDER_NAMES = {"EMC": "Electromagnetic compatibility (EMC)", "TTE": "Telecommunications terminal equipment",
                  "GMP": "Medicinal products GMP inspection and batch certification"}


def pick(urls: list[str], hosts) -> list[str]:
    """The URLs of the given hosts, each of which must be present."""
    picked = [u for u in urls if any(h in u for h in hosts)]
    missing = [h for h in hosts if not any(h in u for u in picked)]
    if missing:
        raise BuildError(f"no source URL from {missing} in the research data")
    return picked


def sector_record(src: Source, partner: str, prefix: str, name: str, spec, listing: str, sources: list[str],
                  extra: str | None = None) -> dict:
    suffix, kind, hs = spec
    code = f"{prefix}-{suffix}"
    types = {"product": PRODUCT_TYPES, "gmp": GMP_TYPES, "glp": []}[kind]
    readings = [HS_MEANING[p] for p in hs]
    operations = []
    for op_partner, op_suffix, op_type, op_from, op_conf, phrase, op_hosts, op_note in OPERATIONS:
        if op_partner == partner and op_suffix == suffix:
            src.states(phrase)
            operations.append(ordered("operation", {
                "parties": sorted([UNION, partner]), "attestationType": op_type, "from": op_from,
                "confidence": op_conf, "sources": pick(sources, op_hosts) if op_hosts else sources,
                "note": note(op_note)}))
    return {
        "code": code,
        "name": name,
        "hsPrefixes": list(hs),
        "attestationTypes": list(types),
        "operations": operations,
        "confidence": "unconfirmed" if hs or listing.startswith("unconfirmed") else "confirmed",
        "sources": sources,
        "note": note(
            f"listed in the research data: {listing}",
            extra,
            f"{HS_READING}: {'; '.join(readings)}" if hs else NO_HS,
            "attestation types are the maintainers' reading: TESTING and PRODUCT_CERTIFICATION for a product sector"
            if kind == "product" else GLP_TYPES if kind == "glp" else None,
            None if operations else NO_OPERATION,
        ),
    }  # ordered() by the caller, once a termination may have been added


def sector_name(text: str) -> tuple[str, str | None]:
    """'GLP for chemicals (operational Oct 2002)' -> ('GLP for chemicals', 'operational Oct 2002')."""
    m = re.fullmatch(r"(.*?) \((operational .*)\)", text)
    return (m.group(1), m.group(2)) if m else (text, None)


def mapped(partner: str, names: list[str]) -> list[tuple[str, object]]:
    table = SECTORS[partner]
    unknown = [n for n in names if n not in table]
    if unknown:
        raise BuildError(f"EU-{partner[:2]} MRA: no sector mapping for {unknown}; add it to SECTORS")
    return [(n, table[n]) for n in names]


def government_arrangements(src: Source) -> list[dict]:
    out = []
    for mra in src.data["eu_government_mras"]:
        partner = mra["partner"]
        prefix = f"EU-{partner}"
        sources = mra["sources"]
        confidence_text = mra.get("confidence")
        sectors, facts, arrangement_confidence, start = [], [], "confirmed", mra.get("in_force")

        if partner == "US":
            for name, spec in mapped("US", mra["sectoral_annexes"]):
                if spec is None:
                    src.states("human GMP scope excludes vaccines and plasma-derived medicines")
                    sectors.append(sector_record(
                        src, "US", prefix, "Pharmaceutical GMP, human medicines", ("GMP-H", "gmp", ["3004"]),
                        "confirmed (annex)", pick(sources, US_GMP_HOSTS),
                        "the annex's human scope excludes vaccines and plasma-derived medicines (HS 3002, outside "
                        "the mapping); 3004 also holds veterinary medicaments, which no HS heading separates and "
                        "which joined only in 2023 (sector EU-US-GMP-V)"))
                    sectors.append(sector_record(
                        src, "US", prefix, "Pharmaceutical GMP, veterinary medicines", ("GMP-V", "gmp", []),
                        "confirmed (2023 extension of the GMP annex)", pick(sources, US_VET_HOSTS),
                        "veterinary medicaments are not separated from human ones at HS heading level; a mapping "
                        "needs the importer's national tariff lines"))
                else:
                    eurlex = pick(sources, ["CELEX%3A21999A0204"])  # the agreement and its annexes
                    sectors.append(sector_record(src, "US", prefix, name, spec, "confirmed (annex)", eurlex))
            facts += [f"related, not modelled: {', '.join(mra['related'])}", *mra["operational_notes"]]
            src.states("in force December 1998 (NIST news, Oct 1999: 'went into effect last December')")
            if is_full_date(start) or not is_partial_date(start):
                raise BuildError(f"EU-US MRA: in_force {start!r} was expected to be the partial date 1998-12")
            facts.append(f"no 'from': the sources give the month of entry into force ({start}), not the day")
        elif partner == "CA":
            src.states("CETA conformity-assessment protocol list of 11 sectors confirmed (EUR-Lex summary)",
                       "TTE and recreational craft operational per the EC page")
            events = {e["sector"]: e for e in mra.get("events", [])}
            old_sources = [u for u in sources if "ec.europa.eu/growth" in u or "ic.gc.ca" in u or "ised-isde" in u]
            for text in mra["sectors_old_operational"]:
                name, operational = sector_name(text)
                spec = mapped("CA-1998", [name])[0][1]
                if spec[1] == "gmp":
                    record = sector_record(
                        src, "CA", prefix, name, spec, "confirmed (Industry Canada; EMA; Health Canada)",
                        pick(sources, CA_GMP_HOSTS + ("ic.gc.ca",)),
                        f"sector of the 1998 MRA; the source says: {operational}")
                else:
                    record = sector_record(src, "CA", prefix, name, spec, "confirmed (EC page)", old_sources,
                                           "sector of the 1998 MRA (operational under it, date not stated), which "
                                           "the CETA protocol replaced (date not in the research data)")
                if name in events:
                    event = events.pop(name)
                    src.states("1998 GMP sectoral annex replaced by the CETA Protocol on GMP for pharmaceutical "
                               "products")
                    record["termination"] = ordered("termination", {
                        "effective": event["effective"], "voidsExisting": False, "confidence": "confirmed",
                        "sources": pick(sources, ("canada.ca/en/health-canada", "P3.aspx",
                                                  "internationaltradecomplianceupdate")),
                        "note": note(event["change"], "a succession by the CETA GMP protocol, so attestations "
                                     "issued before it keep their recognition (voidsExisting false); the CETA GMP "
                                     "protocol itself is not a sector here: the data states no operational date "
                                     "for it, so from this day EU-Canada GMP recognises nothing in this document"),
                    })
                sectors.append(record)
            if events:
                raise BuildError(f"EU-CA MRA: events for unknown sectors {sorted(events)}")
            ceta_sources = pick(sources, ["eu-canada-mutual-recognition-agreement-mra"])
            for name, spec in mapped("CA-CETA", mra["sectors_ceta_protocol"]):
                sectors.append(sector_record(src, "CA", prefix, name, spec, "confirmed (EUR-Lex summary)",
                                             ceta_sources, "sector of the CETA conformity-assessment protocol"))
            annexes = [a for a in mra.get("sectoral_annexes", [])]
            facts.append(f"the 1998 MRA's six sectoral annexes: {'; '.join(annexes)}; only the operational ones "
                         "are sectors here")
        elif partner == "JP":
            for text in mra["sectors"]:
                name, operational = sector_name(text)
                spec = mapped("JP", [name])[0][1]
                listing = ("unconfirmed (exact annex name from general knowledge)" if spec[0] in ("TEL", "ELEC")
                           else "confirmed")
                extra = f"the source says: {operational}" if operational else None
                if spec[0] == "GLP":
                    extra = note(extra, "October 2002 is a month, not a date, and a GLP sector has no attestation "
                                        "type to make operational")
                sectors.append(sector_record(src, "JP", prefix, name, spec, listing, sources, extra))
        elif partner == "CH":
            (text,) = mra["sectors"]
            inner = re.fullmatch(r"about 20 product chapters \((.*)\)", text)
            if not inner:
                raise BuildError(f"EU-CH MRA: unexpected chapter list {text!r}")
            events = {e["sector"]: e for e in mra["events"]}
            src.states("chapters 1-19 confirmed", "explosives for civil uses (chapter 20) from general knowledge")
            ch_sources = pick(sources, ("legissum:4350035", "CELEX%3A22018D0403"))
            for name, spec in mapped("CH", inner.group(1).split(", ")):
                label = name[0].upper() + name[1:]
                if label in events:
                    listing, chapter_sources = "confirmed (the 2021 notices)", sources
                elif spec[0] in CH_GENERAL_KNOWLEDGE:
                    listing, chapter_sources = "unconfirmed (chapter 20, from general knowledge)", []
                else:
                    listing, chapter_sources = "confirmed (chapters 1-19: EUR-Lex summary)", ch_sources
                record = sector_record(src, "CH", prefix, label, spec, listing, chapter_sources)
                if label in events:
                    event = events.pop(label)
                    src.states("existing Swiss-issued certificates no longer recognised")
                    record["termination"] = ordered("termination", {
                        "effective": event["effective"], "voidsExisting": True, "confidence": "confirmed",
                        "sources": sources, "note": note(event["change"]),
                    })
                sectors.append(record)
            if events:
                raise BuildError(f"EU-CH MRA: events for unknown chapters {sorted(events)}")
            src.states("in force 2002-06-01 confirmed (SECO; EC treaties database)")
        elif partner == "AU":
            src.states("8 sectors confirmed (EUR-Lex summary; DISR archive)")
            for name, spec in mapped("AU", mra["sectors_current"]):
                sectors.append(sector_record(src, "AU", prefix, name, spec,
                                             "confirmed (EUR-Lex summary; DISR archive)", sources))
            older = {AU_OLDER_NAMES.get(s, s) for s in mra["sectors_older_page"]}
            if older - set(mra["sectors_current"]):
                facts.append(f"an older EC page also listed {', '.join(sorted(older - set(mra['sectors_current'])))}; "
                             "not modelled as sectors, since the current list does not have them")
        elif partner == "NZ":
            m = re.fullmatch(r"unconfirmed \(EC page text not captured\); likely (.*)", mra["sectors"])
            if not m:
                raise BuildError(f"EU-NZ MRA: unexpected sector text {mra['sectors']!r}")
            facts.append(f"sectors in the research data: {mra['sectors']}")
            for name, spec in mapped("NZ", m.group(1).split(", ")):
                sectors.append(sector_record(src, "NZ", prefix, name[0].upper() + name[1:], spec,
                                             "unconfirmed (the research file says 'likely')", sources))
        elif partner == "IL":
            for name, spec in mapped("IL", mra["sectors"]):
                if spec[1] == "glp":
                    sectors.append(sector_record(src, "IL", prefix, name, spec, "confirmed (EC page)", sources))
                else:
                    sectors.append(sector_record(
                        src, "IL", prefix, name, spec, "unconfirmed (general knowledge)", sources,
                        "under the EU-Israel ACAA, a separate instrument (in force 2013 per general knowledge), "
                        "recorded here as a sector of the EU-Israel arrangement"))
        else:
            raise BuildError(f"no modelling for the EU-{partner} MRA")

        sectors = sorted((ordered("sector", s) for s in sectors), key=lambda s: s["code"])
        name = mra["instrument"]
        if len(name) > MAX_NAME:
            name = name.split(" - ")[0]
            facts.insert(0, f"instrument: {mra['instrument']}")
        out.append(ordered("arrangement", {
            "code": f"EU_{partner}_MRA",
            "name": name,
            "kind": "GOVERNMENT",
            "from": start if is_full_date(start) else None,
            "parties": [UNION, partner],
            "sectors": sectors,
            "confidence": arrangement_confidence,
            "sources": sources,
            "note": note(f"in force {start}" if start else None, *facts,
                         f"confidence in the research data: {confidence_text}" if confidence_text else None,
                         "sector HS mappings and attestation types are the maintainers' reading (see each sector)"),
        }))

    apec = src.data["apec_tel_mra"]
    src.states("as of May 2001 US Phase I operational with CA, SG, TW")
    out.append(ordered("arrangement", {
        "code": "APEC_TEL_MRA",
        "name": apec["name"],
        "kind": "GOVERNMENT",
        "from": apec["effective"],
        "parties": apec["parties_as_of_2001"],
        "sectors": [ordered("sector", {
            "code": "APEC-TEL",
            "name": "Telecommunications equipment",
            "hsPrefixes": ["8517"],
            "attestationTypes": ["TESTING", "PRODUCT_CERTIFICATION"],
            "operations": [],
            "confidence": "unconfirmed",
            "sources": apec["sources"],
            "note": note(f"{HS_READING}: {HS_MEANING['8517']}",
                         f"TESTING = phase I ({apec['phases']['phase_I']}); PRODUCT_CERTIFICATION = phase II "
                         f"({apec['phases']['phase_II']})",
                         "no operation is recorded: the source says US phase I was operational with CA, SG and TW "
                         "'as of May 2001', which tells when the state was reported, not when it began or whether it "
                         "lasted; an operation with no 'from' would claim it held since forever, so the sector "
                         "recognises nothing until a pair's exchange-of-letters date is recorded"),
        })],
        "confidence": "confirmed",
        "sources": apec["sources"],
        "note": note(f"concluded {apec['concluded']}; effective {apec['effective']}",
                     f"parties as of 2001; {apec['implementation']}"),
    }))
    return out


def sps_arrangements(src: Source) -> list[dict]:
    out = []
    for sps in src.data["sps_equivalence_agreements"]:
        if sps["parties"] != ["EU", "NZ"]:
            raise BuildError(f"no HS reading for the SPS agreement between {sps['parties']}")
        src.states("live animals and animal products incl. dairy")
        out.append(ordered("arrangement", {
            "code": "EU_NZ_SPS",
            "name": sps["instrument"],
            "kind": "SPS_EQUIVALENCE",
            "from": sps["formal_from"],
            "parties": sps["parties"],
            "hsPrefixes": ["01", "02", "03", "04", "05"],
            "confidence": "unconfirmed",
            "sources": sps["sources"],
            "note": note(f"formally in force {sps['formal_from']} (confirmed); provisional from "
                         f"{sps['provisional_from']}, not used as 'from'",
                         f"covers {sps['covers']}; excludes {sps['excludes']} (aspects, not HS codes: nothing "
                         "excluded)",
                         f"{HS_READING}: live animals and animal products read as HS chapters 01-05 (live animals, "
                         "meat, fish, dairy/eggs/honey, other animal products); prepared animal products (chapter "
                         "16 ...) are not mapped; marked unconfirmed for the mapping only"),
        }))
    return out


# -- accreditation bodies -----------------------------------------------------------------------------------
# Dates for one scope that replace the membership's `since` for it: ("from", date), ("reported", partial date)
# or ("unknown", None, ..., why). The phrase must be in the membership's own note; for "unknown" it may be in
# another body's note (the reason the membership's date cannot hold).
SAS_2024 = ("on 2024-06-14 EA informed SAS it passed; since then EA MLA signatory for all fields it offers, for the "
            "first time incl. PTP and RMP")
NATA_2016 = "extended to medical testing and PTP, confirmed 2016-01-06"
ATS_2014 = "MS and persons certification added with new EA MLA signed 2014-05-27"
VACI_2025 = "ILAC news (2025, item just before a 07 July 2025 item)"
SCOPE_DATES = {
    ("UKAS", "ILAC_MRA", "INSPECTION"): ("from", "2012-10-24", "inaugural ILAC MRA inspection signatories, 2012-10-24"),
    ("UKAS", "ILAC_MRA", "PTP"): ("reported", "2019", "one of first 5 PTP signatories, 2019"),
    ("DAkkS", "EA_MLA", "PTP"): ("reported", "2018-04", "EA MLA PTP signatory decided April 2018"),
    ("SNAS", "IAF_MLA", "MS_CERTIFICATION"): ("reported", "2003", "QMS from 2003"),
    ("SNAS", "IAF_MLA", "PRODUCT_CERTIFICATION"): ("reported", "2004", "product certification 2004"),
    ("SNAS", "IAF_MLA", "PERSONS_CERTIFICATION"): ("reported", "2016", "persons 2016"),
    ("SNAS", "IAF_MLA", "VALIDATION_VERIFICATION"): ("reported", "2018", "V&V 2018"),
    ("SNAS", "EA_MLA", "CALIBRATION"): ("reported", "2001", "calibration 2001"),
    ("SNAS", "EA_MLA", "TESTING"): ("reported", "2001", "testing 2001"),
    ("SNAS", "EA_MLA", "PRODUCT_CERTIFICATION"): ("reported", "2002", "product certification 2002"),
    ("SNAS", "EA_MLA", "PERSONS_CERTIFICATION"): ("reported", "2002", "persons 2002"),
    ("SNAS", "EA_MLA", "MS_CERTIFICATION"): ("reported", "2002", "MS certification 2002"),
    ("SNAS", "EA_MLA", "INSPECTION"): ("reported", "2003", "inspection 2003"),
    ("SNAS", "EA_MLA", "VALIDATION_VERIFICATION"): ("reported", "2014", "V&V 2014"),
    ("SNAS", "EA_MLA", "PTP"): ("reported", "2019", "PTP 2019"),
    ("SNAS", "EA_MLA", "MEDICAL_TESTING"): ("unknown", None, "(testing incl. medical examination)",
                                            "the note dates every other field but gives no year for medical testing"),
    ("SAS", "EA_MLA", "PTP"): ("from", "2024-06-14", SAS_2024),
    ("SAS", "EA_MLA", "RMP"): ("from", "2024-06-14", SAS_2024),
    ("DPA", "EA_MLA", "TESTING"): ("unknown", None, "testing earlier",
                                   "testing came before April 2018; its date is not stated"),
    ("DPA", "EA_MLA", "INSPECTION"): ("reported", "2018-04", "inspection + MS certification added April 2018"),
    ("DPA", "EA_MLA", "MS_CERTIFICATION"): ("reported", "2018-04", "inspection + MS certification added April 2018"),
    ("A2LA", "APAC_MRA", "INSPECTION"): ("unknown", None,
                                         "inaugural APLAC MRA inspection signatory 2003-11-12 (Seoul) with HKAS, "
                                         "NATA, IANZ and SAC",
                                         "inspection joined the APLAC MRA only on 2003-11-12 (inaugural signatories "
                                         "HKAS, NATA, IANZ and SAC, per the HKAS FAQ), so the 1997 signing cannot "
                                         "date it; A2LA's own start is not stated"),
    ("A2LA", "APAC_MRA", "RMP"): ("unknown", None, "inaugural APLAC RMP signatory 2007-12-06",
                                  "RMP joined the APLAC MRA only on 2007-12-06 (inaugural signatories named in the "
                                  "NATA, CNAS and IAJapan notes), so the 1997 signing cannot date it; A2LA's own start "
                                  "is not stated"),
    ("A2LA", "APAC_MRA", "BIOBANKING"): ("from", "2022-06-28", "added to APAC MRA 2022-06-28"),
    ("ema", "IAAC_MLA", "PERSONS_CERTIFICATION"): ("reported", "2019-03", "persons + EnMS added March 2019"),
    ("NATA", "APAC_MRA", "INSPECTION"): ("from", "2003-11-12", "inaugural APLAC MRA inspection signatory 2003-11-12"),
    ("NATA", "APAC_MRA", "RMP"): ("from", "2007-12-06", "inaugural APLAC RMP signatory 2007-12-06"),
    ("NATA", "APAC_MRA", "BIOBANKING"): ("reported", "2023", "APAC biobanking recognition 2023"),
    ("NATA", "APAC_MRA", "MEDICAL_TESTING"): ("from", "2016-01-06", NATA_2016),
    ("NATA", "APAC_MRA", "PTP"): ("from", "2016-01-06", NATA_2016),
    ("NATA", "ILAC_MRA", "MEDICAL_TESTING"): ("from", "2016-01-06", "medical testing added after 2015 evaluation, "
                                              "confirmed at 36th APLAC MRA Council 2016-01-06"),
    ("IANZ", "APAC_MRA", "INSPECTION"): ("from", "2003-11-12", "inaugural APLAC MRA inspection signatory 2003-11-12"),
    ("SAC", "APAC_MRA", "INSPECTION"): ("from", "2003-11-12", "inaugural APLAC MRA inspection signatory 2003-11-12"),
    ("HKAS", "APAC_MRA", "INSPECTION"): ("from", "2003-11-12", "inaugural APLAC MRA inspection signatory 2003-11-12"),
    ("HKAS", "APAC_MRA", "MS_CERTIFICATION"): ("reported", "2004-10",
                                               "PAC MLA for management-system certification signed Oct 2004"),
    ("CNAS", "APAC_MRA", "RMP"): ("from", "2007-12-06", "inaugural APLAC RMP signatory 2007-12-06"),
    ("IAJapan", "APAC_MRA", "RMP"): ("from", "2007-12-06", "inaugural APLAC RMP signatory 2007-12-06"),
    ("ATS", "EA_MLA", "MS_CERTIFICATION"): ("from", "2014-05-27", ATS_2014),
    ("ATS", "EA_MLA", "PERSONS_CERTIFICATION"): ("from", "2014-05-27", ATS_2014),
    ("ATS", "IAF_MLA", "MS_CERTIFICATION"): ("reported", "2014-10", "MS certification Oct 2014"),
    ("ATS", "IAF_MLA", "PERSONS_CERTIFICATION"): ("reported", "2016", "persons 2016 (IAF resolution 2016-22"),
    ("VACI", "ILAC_MRA", "MEDICAL_TESTING"): ("reported", "2025", VACI_2025),
    ("VACI", "ILAC_MRA", "INSPECTION"): ("reported", "2025", VACI_2025),
}
PERSONS_2016 = "IAF resolution 2016-22"  # made 22 EA ABs IAF MLA signatories for certification of persons

# Where a note lists the exact sub-scopes (IAF Level 5 standards) of an activity, the status is recorded per
# standard instead of for the whole activity: (standard, from or None), and the phrase the source must state.
# QMS/EMS/FSMS are read as ISO 9001/ISO 14001/ISO 22000.
READING = "QMS, EMS and FSMS read as ISO 9001, ISO 14001 and ISO 22000"
STANDARDS = {
    ("SADCAS", "IAF_MLA", "MS_CERTIFICATION"): (
        [("ISO 9001", "2019-11-09")], "ISO/IEC 17021-3 + ISO 9001 sub-scope", None),
    ("EGAC", "IAF_MLA", "MS_CERTIFICATION"): (
        [("ISO 9001", None), ("ISO 14001", None), ("ISO 22000", None), ("ISO 45001", "2020-01-08"),
         ("ISO 50001", "2020-01-08")], "QMS, EMS, FSMS; ISO 45001 + ISO 50001 sub-scopes 2020-01-08", READING),
    ("SLAB", "APAC_MRA", "MS_CERTIFICATION"): (
        [("ISO 9001", None), ("ISO 14001", None), ("ISO 22000", None)], "MS = QMS, EMS, FSMS", READING),
}
# The source's identity facts this script corrects: a region value that is no region, names from general
# knowledge.
NAME_FROM_GENERAL_KNOWLEDGE = {"NA", "SA", "KAB"}
# A body's public directory of accredited organisations, where a source in the data is one, or else the body's
# own site root where that is all the data gives (said in the note of the body and in data/README.md). The
# format takes https URLs only. The data gives no directory page; the one site root it gives, MAURITAS's
# http://mauritas.org/, is plain http, and rewriting it would be a URL the data does not give, so none is written.
DIRECTORIES: dict[str, tuple[str, str]] = {}


def split_scopes(where: str, scopes: list[str]) -> tuple[list[str], list[str]]:
    """Activity codes, and the scopes written in parentheses ("(listed)"), which name no activity."""
    codes, loose = [], []
    for scope in scopes:
        if scope in ACTIVITIES:
            codes.append(scope)
        elif scope.startswith("(") and scope.endswith(")"):
            loose.append(scope)
        else:
            raise BuildError(f"{where}: scope {scope!r} is neither an activity code nor a parenthesised remark")
    return codes, loose


def date_fields(since: str | None, where: str) -> dict:
    if since is None:
        return {}
    if is_full_date(since):
        return {"from": since}
    if is_partial_date(since):
        return {"reportedSince": since}
    raise BuildError(f"{where}: cannot read the date {since!r}")


class BodyBuilder:
    def __init__(self, src: Source):
        self.src = src
        self.used_scope_dates: set = set()
        self.used_standards: set = set()
        self.used_directories: set = set()
        # arrangements signed before they took effect: a signature in between holds from the effective date
        self.windows = {a["id"]: (a["signed"], a["effective"]) for a in src.data["arrangements"]
                        if is_full_date(a.get("signed")) and is_full_date(a.get("effective"))}

    def body(self, raw: dict) -> dict:
        code = raw["acronym"]
        statuses = []
        for membership in raw["memberships"]:
            statuses += self.membership(code, membership)
        statuses.sort(key=lambda s: (s["arrangement"], s["activity"] or "", s.get("standard") or "",
                                     s.get("from") or ""))
        region, region_note = raw["region"], None
        if region == "unconfirmed":
            region, region_note = None, "region not confirmed by the sources read (source says 'unconfirmed')"
        confirmed = any(m["confidence"] == "confirmed" for m in raw["memberships"])
        identity_note = None
        if code in NAME_FROM_GENERAL_KNOWLEDGE:
            confirmed = False
            identity_note = "marked unconfirmed: part of its name (or economy) is general knowledge"
        if raw["economy"] is None:
            identity_note = note(identity_note, "economy null: the sources read do not say")
        sources = unique(s for m in raw["memberships"] for s in m["sources"])
        directory, kind = DIRECTORIES.get(code, (None, None))
        directory_note = None
        if directory:
            if directory not in sources or not directory.startswith("https://"):
                raise BuildError(f"{code}: the directory URL {directory} is not an https URL among its sources")
            if kind == "site root":
                directory_note = ("directoryUrl is the body's own site root, the only page of its own the data "
                                  "gives; it is not a directory page")
        self.used_directories.update({code} if directory else set())
        links = [f"{k} in the research data: {raw[k]} (not a status change: no membership carries over)"
                 for k in ("predecessor", "successor") if raw.get(k)]
        return ordered("body", {
            "code": code,
            "name": raw["name"],
            "economy": raw["economy"],
            "region": region,
            "statuses": statuses,
            "directoryUrl": directory,
            "confidence": "confirmed" if confirmed else "unconfirmed",
            "sources": sources,
            "note": note(raw.get("note"), *links, region_note, identity_note, directory_note),
        })

    def membership(self, body: str, m: dict) -> list[dict]:
        arrangement = m["arrangement"]
        where = f"{body} {arrangement}"
        if m["status"] not in STATUSES:
            raise BuildError(f"{where}: unknown status {m['status']!r}")
        codes, loose = split_scopes(where, m["scopes"])
        events = m.get("status_events", [])
        for e in events:
            if e["status"] not in STATUSES or not (e["effective"] is None or is_full_date(e["effective"])):
                raise BuildError(f"{where}: cannot read the event {e}")
        targets = codes + ([None] if loose else [])
        placeable = [e for e in events if self.placeable(e, events, targets)]
        unplaced = [e for e in events if e not in placeable]
        unplaced_note = "; ".join(
            f"not placed: {e['status']}" + (f" for {e['scope']}" if e.get("scope") else "")
            + f", effective date unknown ({e.get('cause', 'no cause given')})" for e in unplaced) or None
        no_source = None
        if not m["sources"]:
            if m["confidence"] == "confirmed":
                raise BuildError(f"{where}: confirmed without a source")
            no_source = "no source in the research data for this membership: general knowledge, to be verified"
        records = []
        for activity in targets:
            scope_note = (f"scope given as {' and '.join(repr(s) for s in loose)}: the source names no activity, so "
                          "this record recognises nothing") if activity is None else None
            mine = [e for e in placeable if e.get("scope") in (None, activity)]
            if mine:
                history = self.history(body, m, activity, mine)
            else:
                history = self.plain(body, m, activity)
            for item in history:
                records.append(ordered("status", {
                    "arrangement": arrangement,
                    "activity": activity,
                    "standard": item.get("standard"),
                    "status": item["status"],
                    "from": item.get("from"),
                    "to": item.get("to"),
                    "reportedSince": item.get("reportedSince"),
                    "confidence": m["confidence"],
                    "sources": m["sources"],
                    "note": note(scope_note, item.get("why"), self.apac_remark(arrangement, item), unplaced_note,
                                 no_source, m.get("note")),
                }))
        return records

    @staticmethod
    def placeable(event: dict, events: list[dict], targets: list) -> bool:
        scope = event.get("scope")
        if scope is not None and scope not in targets:
            return False
        if event["effective"]:
            return True
        # an undated event is placeable only as the state just before the next dated event of its scope
        later = events[events.index(event) + 1:]
        following = next((e for e in later if e.get("scope") == scope), None)
        return following is not None and following["effective"] is not None

    def history(self, body: str, m: dict, activity, mine: list[dict]) -> list[dict]:
        """The dated history of one key from status events: each status runs to the day before the next."""
        where = f"{body} {m['arrangement']} {activity}"
        if (body, m["arrangement"], activity) in SCOPE_DATES or (body, m["arrangement"], activity) in STANDARDS:
            raise BuildError(f"{where}: both status events and a per-scope date; resolve by hand")
        dated = sorted((e for e in mine if e["effective"]), key=lambda e: e["effective"])
        undated = [e for e in mine if not e["effective"]]
        first = dated[0]
        out = []
        if len(undated) > 1:
            raise BuildError(f"{where}: more than one undated event to place")
        if undated:
            (prior,) = undated
            out.append({"status": prior["status"], "to": day_before(first["effective"]),
                        "why": note(f"{prior['status']} until the {first['status']} of {first['effective']}; its "
                                    f"start is not known ({prior.get('cause', '')})",
                                    "an earlier SIGNATORY period (the first signing) is not recorded: it has no "
                                    "known start or end and cannot be placed before a period whose start is "
                                    "unknown without overlapping it")})
        elif first["status"] != "SIGNATORY":
            out.append({"status": "SIGNATORY", "to": day_before(first["effective"]),
                        "why": f"SIGNATORY before the {first['status']} of {first['effective']}, which implies it; "
                               "its start is not known"})
        elif m["since"] not in (None, first["effective"]):
            raise BuildError(f"{where}: 'since' {m['since']} disagrees with the first event {first['effective']}")
        for i, event in enumerate(dated):
            end = day_before(dated[i + 1]["effective"]) if i + 1 < len(dated) else None
            out.append({"status": event["status"], "from": event["effective"], "to": end,
                        "why": f"status event: {event['cause']}" if event.get("cause") else "status event"})
        if out[-1]["status"] != m["status"]:
            raise BuildError(f"{where} {activity}: the last event ({out[-1]['status']}) is not the membership's "
                             f"status ({m['status']})")
        return out

    def plain(self, body: str, m: dict, activity) -> list[dict]:
        """One status for the key, dated by the membership's `since` unless a per-scope date replaces it."""
        key = (body, m["arrangement"], activity)
        where = f"{body} {m['arrangement']} {activity}"
        dates, why = date_fields(m["since"], where), None
        if key in SCOPE_DATES:
            kind, value, phrase, *explanation = SCOPE_DATES[key]
            self.src.states(phrase)
            if kind != "unknown" and phrase not in (m.get("note") or ""):
                raise BuildError(f"{where}: the membership's note no longer says {phrase!r}")
            self.used_scope_dates.add(key)
            dates = {"from": value} if kind == "from" else {"reportedSince": value} if kind == "reported" else {}
            if kind == "unknown":
                why = f"start not known: {explanation[0]}"
            else:
                why = f"date of this scope as the source states it: '{phrase}'"
                if m["since"] and m["since"] != value:
                    why += f" (the membership's date, {m['since']}, is that of its first scopes)"
        elif (m["arrangement"] == "IAF_MLA" and activity == "PERSONS_CERTIFICATION" and m["since"] is None
              and PERSONS_2016 in (m.get("note") or "")):
            dates, why = {"reportedSince": "2016"}, f"certification of persons since 2016 ({PERSONS_2016})"
        window = self.windows.get(m["arrangement"])
        if window and dates.get("from") and window[0] <= dates["from"] < window[1]:
            signed, effective = window
            why = note(why, f"signed {dates['from']}, when {m['arrangement']} itself was signed ({signed}) but "
                            f"before it took effect on {effective}: a signatory of an arrangement not yet in effect "
                            f"is recorded from the day it took effect")
            dates = {"from": effective}
        elif window and dates.get("reportedSince") and dates["reportedSince"] < window[1][:len(dates["reportedSince"])]:
            why = note(why, f"reported since {dates['reportedSince']}, the year {m['arrangement']} was signed "
                            f"({window[0]}); it took effect on {window[1]}, so the status holds from then at the "
                            "earliest")
        if key in STANDARDS:
            standards, phrase, reading = STANDARDS[key]
            self.src.states(phrase)
            self.used_standards.add(key)
            return [{"status": m["status"], "standard": standard,
                     **({"from": start} if start else {k: v for k, v in dates.items() if k != "from"}),
                     "why": note(f"recorded per sub-scope (IAF Level 5 standard), as the note lists them: '{phrase}'",
                                 reading, why)}
                    for standard, start in standards]
        return [{"status": m["status"], **dates, "why": why}]

    @staticmethod
    def apac_remark(arrangement: str, item: dict) -> str | None:
        start = item.get("from") or item.get("reportedSince")
        if arrangement == "APAC_MRA" and start and start < APAC_FORMED:
            return "the date is in the APLAC MRA / PAC MLA, which became the APAC MRA on 2019-01-01"
        return None


# -- checks ---------------------------------------------------------------------------------------------------
def check_economy(code: str, where: str) -> None:
    if pycountry.countries.get(alpha_2=code) is None:
        raise BuildError(f"{where}: {code!r} is not an ISO 3166-1 alpha-2 code (pycountry)")


def check_no_overlap(rows: list[dict], key, where: str) -> None:
    groups: dict = {}
    for row in rows:
        if row.get("from") and row.get("to") and row["to"] < row["from"]:
            raise BuildError(f"{where}: 'to' {row['to']} before 'from' {row['from']} in {row}")
        groups.setdefault(key(row), []).append(row)
    for k, group in groups.items():
        group = sorted(group, key=lambda r: r.get("from") or "")
        for a, b in zip(group, group[1:]):
            if a.get("to") is None or (b.get("from") or "") <= a["to"]:
                raise BuildError(f"{where}: overlapping intervals for {k}: {a} and {b}")


def facts(node, path="$"):
    """Every object of the document that carries a confidence, with its path."""
    if isinstance(node, dict):
        if "confidence" in node:
            yield path, node
        for k, v in node.items():
            yield from facts(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from facts(v, f"{path}[{i}]")


def check_provenance(document: dict) -> None:
    """Every fact is confirmed with sources, or unconfirmed (with or without: general knowledge has none): the
    reference registry holds no invented fact."""
    for path, fact in facts(document):
        if fact["confidence"] not in ("confirmed", "unconfirmed"):
            raise BuildError(f"{path}: confidence {fact['confidence']!r} in the reference data")
        if fact["confidence"] == "confirmed" and not fact.get("sources"):
            raise BuildError(f"{path}: confirmed without a source")


def check(document: dict) -> None:
    check_provenance(document)
    for path, fact in facts(document):
        if len(fact.get("name") or "") > MAX_NAME:
            raise BuildError(f"{path}: name longer than {MAX_NAME} characters")
    arrangements = {a["code"]: a for a in document["arrangements"]}
    for union in document["unions"]:
        if pycountry.countries.get(alpha_2=union["code"]) is not None:
            raise BuildError(f"union {union['code']} is a country code")
        for m in union["memberships"]:
            check_economy(m["economy"], f"union {union['code']}")
        check_no_overlap(union["memberships"], lambda r: r["economy"], f"union {union['code']}")
    unions = {u["code"] for u in document["unions"]}
    for a in arrangements.values():
        for party in a.get("parties", []):
            if party not in unions:
                check_economy(party, a["code"])
        for prefix in a.get("hsPrefixes", []) + [p for s in a.get("sectors", []) for p in s["hsPrefixes"]]:
            if not re.fullmatch(r"\d{2,10}", prefix):
                raise BuildError(f"{a['code']}: malformed HS prefix {prefix!r}")
        if a.get("supersededBy") and a["supersededBy"] not in arrangements:
            raise BuildError(f"{a['code']}: unknown successor {a['supersededBy']}")
        for s in a.get("sectors", []):
            for op in s.get("operations", []):
                if op["attestationType"] not in s["attestationTypes"] or not set(op["parties"]) <= set(a["parties"]):
                    raise BuildError(f"{s['code']}: operation {op} does not fit the sector")
            check_no_overlap(s.get("operations", []), lambda r: (tuple(r["parties"]), r["attestationType"]), s["code"])
    codes = [b["code"] for b in document["accreditationBodies"]]
    if len(set(codes)) != len(codes) or "GASB" in codes:
        raise BuildError("accreditation body codes must be unique, and GASB (a look-alike forum) is no body")
    lookalikes = [b["code"] for b in document.get("lookalikeBodies", [])]
    if len(set(lookalikes)) != len(lookalikes) or set(lookalikes) & set(codes):
        raise BuildError(f"look-alike codes must be unique and no accreditation body's: {lookalikes}")
    for b in document.get("lookalikeBodies", []):
        if b.get("economy"):
            check_economy(b["economy"], b["code"])
    starts = {}
    for a in arrangements.values():
        for s in a.get("activityStarts", []):
            if not a["kind"].startswith("ACCREDITATION") or s["activity"] not in a.get("activities", []):
                raise BuildError(f"{a['code']}: activity start {s} for an activity it does not list")
            if a.get("from") and s["from"] < a["from"]:
                raise BuildError(f"{a['code']}: activity start {s} before the arrangement's own start")
            starts[(a["code"], s["activity"])] = s["from"]
    for body in document["accreditationBodies"]:
        if body.get("economy"):
            check_economy(body["economy"], body["code"])
        for s in body["statuses"]:
            arrangement = arrangements.get(s["arrangement"])
            if arrangement is None or not arrangement["kind"].startswith("ACCREDITATION"):
                raise BuildError(f"{body['code']}: unknown accreditation arrangement {s['arrangement']}")
            if s["activity"] is not None and s["activity"] not in ACTIVITIES:
                raise BuildError(f"{body['code']}: unknown activity {s['activity']}")
            if s.get("from") and arrangement.get("from") and s["from"] < arrangement["from"]:
                raise BuildError(f"{body['code']}: status {s} starts before {s['arrangement']} itself")
            start = starts.get((s["arrangement"], s["activity"]))
            if start and ((s.get("from") and s["from"] < start) or (s.get("to") and s["to"] < start)):
                raise BuildError(f"{body['code']}: status {s} is dated before {s['arrangement']} covered "
                                 f"{s['activity']} ({start})")

        check_no_overlap(body["statuses"], lambda r: (r["arrangement"], r["activity"], r.get("standard")),
                         f"accreditation body {body['code']}")


# -- look-alike bodies -----------------------------------------------------------------------------------------
def lookalike_bodies(src: Source) -> list[dict]:
    """The research file's negative fixtures: bodies recorded as NOT accreditation bodies. A fictional one (GASB:
    "FICTIONAL - for tests only", standing for real private "accreditation forums") is an invented fact and stays
    out of the real registry: it lives in the scenario fixtures. A real look-alike needs its sources."""
    out = []
    for raw in src.data["negative_fixtures"]:
        if "FICTIONAL" in raw["name"]:
            continue
        if not raw.get("sources"):
            raise BuildError(f"look-alike {raw['acronym']}: a real look-alike needs sources")
        out.append(ordered("lookalike", {
            "code": raw["acronym"], "name": raw["name"], "economy": raw["economy"],
            "confidence": raw.get("confidence", "confirmed"), "sources": raw.get("sources"), "note": raw.get("note"),
        }))
    return sorted(out, key=lambda b: b["code"])


# -- the document -----------------------------------------------------------------------------------------------
def build(source_path: Path) -> dict:
    src = Source(source_path)
    builder = BodyBuilder(src)
    bodies = sorted((builder.body(b) for b in src.data["accreditation_bodies"]), key=lambda b: b["code"])
    codes = {b["acronym"] for b in src.data["accreditation_bodies"]}
    if NAME_FROM_GENERAL_KNOWLEDGE - codes:
        raise BuildError(f"NAME_FROM_GENERAL_KNOWLEDGE names no body: {sorted(NAME_FROM_GENERAL_KNOWLEDGE - codes)}")
    for table, used in ((SCOPE_DATES, builder.used_scope_dates), (STANDARDS, builder.used_standards),
                        (DIRECTORIES, builder.used_directories)):
        if set(table) - used:
            raise BuildError(f"per-scope entries that match no membership: {sorted(set(table) - used)}")
    arrangements = accreditation_arrangements(src) + government_arrangements(src) + sps_arrangements(src)
    document = {
        "format": "mra-registry",
        "formatVersion": 1,
        "title": f"mra-registry reference data: real arrangements and accreditation bodies ({src.data['as_of']})",
        "description": "Built by data/build_reference.py from the shared research snapshot "
                       "(shared/domain/reference-data.json). Holds no conformity assessment bodies and no import "
                       "policies. Provenance on every fact; modelling choices in data/README.md.",
        "unions": unions(src),
        "arrangements": sorted(arrangements, key=lambda a: a["code"]),
        "accreditationBodies": bodies,
        "lookalikeBodies": lookalike_bodies(src),
    }
    check(document)
    return document


def render(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help=f"default: {DEFAULT_SOURCE}")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    parser.add_argument("--check", action="store_true", help="fail if the output file is not what the build gives")
    args = parser.parse_args(argv)
    try:
        text = render(build(args.source))
    except (BuildError, OSError, ValueError) as error:
        print(f"build_reference: nothing written: {error}", file=sys.stderr)
        return 1
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"build_reference: {args.output} is out of date; run data/build_reference.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
