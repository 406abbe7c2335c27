#!/usr/bin/env python3
"""Build the bundled real import requirements, data/reference/import-requirements.json, from the shared
research snapshot of import rules.

    python data/build_requirements.py [SOURCE] [--output FILE] [--registry FILE] [--check]

SOURCE defaults to <repo>/../shared/domain/import-requirements.json. The output is a registry document
(docs/registry-document.md) holding import policies and the importers' acceptance lists they name; it is
loaded after data/reference/registry.json, whose arrangements it names. It is deterministic: running the
script again gives the identical file. --check builds in memory and fails if the committed file differs.

Only the standard library and pycountry are used. Every modelling choice made here, and every rule left
out or changed and why, is explained in data/README.md ("Import requirements"). The script refuses to
write anything when the snapshot does not fit what it knows: a rule it has no decision for (or a decision
for a rule that is gone), a rule of a shape the model cannot express that is not left out, an attestation
type, route kind, arrangement, economy or HS prefix it does not know, an interval ending before it starts,
two policies that would compete for the same consignment, a source key not in the index, a text longer
than the store takes, or a hard-coded phrase that the snapshot no longer states.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path

import pycountry

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "domain" / "import-requirements.json"
DEFAULT_OUTPUT = REPO / "data" / "reference" / "import-requirements.json"
DEFAULT_REGISTRY = REPO / "data" / "reference" / "registry.json"

UNION = "EU"
TYPES = ("TESTING", "CALIBRATION", "MEDICAL_TESTING", "INSPECTION", "PRODUCT_CERTIFICATION", "MS_CERTIFICATION",
         "PERSONS_CERTIFICATION", "RM_CERTIFICATE", "GMP_INSPECTION")
SNAPSHOT_ROUTE_KINDS = ("ARRANGEMENT", "GOVERNMENT", "OFFICIAL_CERTIFICATE", "REGULATOR_LIST", "ANY_LABORATORY")
PHASE_TYPES = {"I": "TESTING", "II": "PRODUCT_CERTIFICATION"}  # APEC TEL (RULES.md, government route)
CONFIDENCES = ("confirmed", "unconfirmed")
HS_SOURCES = ("stated", "mapped", "not_product_specific", "not_enumerated")

MAX_NAME = 300  # mra_registry/store/models.py: ImportPolicyRow.name
MAX_CODE = 64  # policy, list codes
NOTE_MAX = 2000  # mra_registry/store/lengths.py
SOURCE_MAX = 500

# A required test is written to requiredTests only when it is a method or standard identifier that a report
# or an accreditation scope can name (RULES.md, "Methods and schemes"). A hazard, a limit or a description of
# technical requirements is not: matched against a report's tests it would refuse every report
# (MISSING_REQUIRED_TEST), so it is kept in the policy's note instead.
METHOD_ID = re.compile(r"(?:(?:EN|BS EN) )?(?:ISO|IEC|ISO/IEC|ASTM) [A-Z]?\d[\w.:/-]*(?: ?-\d+)?|FCC Part \d+")


class BuildError(Exception):
    """The snapshot does not fit what this script knows how to model; nothing is written."""


# -- what is done with each rule ------------------------------------------------------------------------------
# Every rule of the snapshot has exactly one decision here: recorded as a policy (with its name), merged into
# one policy with another rule, or left out with the reason. data/README.md repeats the reasons per rule.
NAMES = {
    "EU-2019-1793-EG-GROUNDNUTS": "EU increased controls (Reg. 2019/1793 Annex II): groundnuts from Egypt, aflatoxins",
    "EU-2019-1793-IN-GROUNDNUTS": "EU increased controls (Reg. 2019/1793 Annex II): groundnuts from India, aflatoxins",
    "EU-2019-1793-TR-DRIED-FIGS": "EU increased controls (Reg. 2019/1793 Annex II): dried figs from Türkiye, "
                                  "aflatoxins and ochratoxin A",
    "EU-2019-1793-TR-PISTACHIOS": "EU increased controls (Reg. 2019/1793 Annex II): pistachios from Türkiye, "
                                  "aflatoxins",
    "EU-2019-1793-IR-PISTACHIOS": "EU increased controls (Reg. 2019/1793 Annex II): pistachios from Iran, aflatoxins",
    "EU-2019-1793-IN-SESAME-ETO": "EU increased controls (Reg. 2019/1793 Annex II): sesame seeds from India, "
                                  "pesticide residues (ethylene oxide)",
    "EU-2019-1793-SD-SESAME-SALMONELLA": "EU increased controls (Reg. 2019/1793 Annex II): sesame seeds from Sudan, "
                                         "Salmonella",
    "EU-2019-1793-UG-SESAME-SALMONELLA": "EU increased controls (Reg. 2019/1793 Annex II): sesame seeds from Uganda, "
                                         "Salmonella",
    "EU-2019-1793-BR-BLACK-PEPPER-SALMONELLA": "EU increased controls (Reg. 2019/1793 Annex II): black pepper from "
                                               "Brazil, Salmonella",
    "EU-2019-1793-IN-CAPSICUM-PESTICIDES": "EU increased controls (Reg. 2019/1793 Annex II): Capsicum peppers (fresh, "
                                           "chilled, frozen) from India, pesticide residues",
    "EU-2019-1793-IN-DRUMSTICKS-PESTICIDES": "EU increased controls (Reg. 2019/1793 Annex II): drumsticks from India, "
                                             "pesticide residues",
    "EU-2019-1793-IN-YARDLONG-BEANS-PESTICIDES": "EU increased controls (Reg. 2019/1793 Annex II): yardlong beans "
                                                 "from India, pesticide residues",
    "EU-2019-1793-CN-ARACHIDONIC-OIL-CEREULIDE": "EU increased controls (Reg. 2019/1793 Annex II): arachidonic acid "
                                                 "oil from China, cereulide",
    "EU-2019-1793-ET-SPICES-AFLATOXINS": "EU increased controls (Reg. 2019/1793 Annex II, historic): spices from "
                                         "Ethiopia, aflatoxins",
    "EU-2019-1793-IN-PEPPERS-SPICES-ETO": "EU increased controls (Reg. 2019/1793 Annex II, historic): peppers and "
                                          "spices from India, ethylene oxide",
    "EU-DAIRY-OFFICIAL-CERTIFICATE": "EU: animal and public health certificate for milk and milk products",
    "US-CPSC-TOYS-ASTM-F963": "US CPSC: children's toys tested by a CPSC-accepted laboratory (ASTM F963-23)",
    "US-FCC-CERTIFICATION-TEST-LAB": "US FCC: equipment under the certification procedure tested at an accredited "
                                     "laboratory",
    "JP-MIC-RADIO-TBA-CERTIFICATION": "JP MIC: certification of radio and terminal equipment by foreign bodies under "
                                      "an MRA",
    "JP-MHLW-DAIRY-HEALTH-CERTIFICATE": "JP MHLW: health certificate for milk and milk products (cheese except "
                                        "processed cheese)",
    "JP-MHLW-INSPECTION-ORDER-DRIED-FIGS-FY2020": "JP MHLW inspection order FY2020: dried figs, total aflatoxin",
    "JP-MHLW-INSPECTION-ORDER-PISTACHIOS-FY2020": "JP MHLW inspection order FY2020: pistachios from Italy and the "
                                                  "USA, total aflatoxin",
    "KR-RRA-TELECOM-TEST-REPORTS": "KR RRA: telecom and radio test reports under APEC TEL phase I",
    "CA-ISED-RADIO-TEST-REPORTS": "CA ISED: radio test reports from recognised laboratories (REC-LAB)",
    "SG-IMDA-TELECOM-TEST-REPORTS": "SG IMDA: telecom equipment test reports (APEC TEL phase I)",
}

# Two rules of the snapshot that the model can only hold as one policy (RULES.md: one policy applies per
# consignment; the two kitchenware rules share code, origins and dates, and differ only in the material, which
# a consignment does not state). The builder checks that they agree on everything else.
MERGED = {
    "EU-284-2011-CN-HK-KITCHENWARE": {
        "rules": ("EU-284-2011-CN-HK-POLYAMIDE-KITCHENWARE", "EU-284-2011-CN-HK-MELAMINE-KITCHENWARE"),
        "name": "EU Reg. 284/2011: polyamide and melamine plastic kitchenware from China and Hong Kong, laboratory "
                "report",
        "why": "The polyamide and melamine rules share CN ex 3924 10 00, origins and dates and differ only in the "
               "material and so in the test; a consignment does not state its material, so both are one policy whose "
               "laboratory report names no test the registry checks (the test per material is listed above)",
    },
}

# A second policy for an alternative document of the same rule: RULES.md picks, among policies that tie, the
# one whose required type is that of a presented attestation, so "a test report or a certificate" is two
# policies on the same codes, one per type. Key: the rule; value: (code, name, the phase the policy takes).
ALTERNATIVES = {
    "SG-IMDA-TELECOM-TEST-REPORTS": ("SG-IMDA-TELECOM-TEST-REPORTS-PHASE-II",
                                     "SG IMDA: telecom equipment certified by a foreign body (APEC TEL phase II)", "II"),
}

LEFT_OUT = {
    "EU-2019-1793-US-PISTACHIOS-VIA-TR":
        "the rule applies to US pistachios only when dispatched from Türkiye, with the certificate from the "
        "dispatching country; the model has no dispatch country, so origins [US] would also catch US pistachios "
        "shipped directly (not in Annex II) and the official-certificate route would look for a US authority",
    "GB-HRFNAO-DISPATCHED-FROM-EU":
        "no HS codes and no origins are enumerated (the GB Annex 2 list was not copied), and the condition is the "
        "dispatch country (an EU member), which the model cannot express",
    "EU-RED-MODULE-B-EU-US-MRA":
        "Module B certification is needed only when the manufacturer does not use self-declaration (Module A); "
        "a policy would demand a certificate for all radio equipment, which the rule does not",
    "US-FDA-LAAF-MYCOTOXINS":
        "a trigger (only for detained food or import-alert removal) and no HS codes: a policy would demand a "
        "LAAF report for every food import",
    "US-FCC-ITE-EMC-JP-LABS":
        "the condition is the laboratory's location (JP) and VCCI's reciprocity, not the product's origin, and the "
        "US-Japan exchange of letters is no arrangement of the reference registry; as a policy on 8471 it would "
        "compete with the FCC certification rule instead of adding a route to it",
    "JP-MAFF-AQS-DAIRY-INSPECTION-CERTIFICATE":
        "it applies together with the MHLW health certificate, but one official certificate would satisfy two "
        "requirements of the same type, and as a policy of its own on 0401-0406 it would displace the MHLW policy "
        "(tie broken by policy code); a secondary source only",
    "JP-MHLW-FOREIGN-OFFICIAL-LAB-REPORTS":
        "a reading aid, not a requirement (the snapshot says so): it names no product and no HS code; its Part 2 is "
        "a laboratory-location condition",
    "SG-SAFETY-MARK-CONTROLLED-GOODS":
        "the controlled goods are not enumerated (no HS code), and the recognition is nested (a certificate resting "
        "on test reports from IECEE CB Scheme labs, which is no arrangement of the registry)",
    "HK-OFCA-TELECOM-EQUIPMENT":
        "whether a certificate is mandatory at import was not verified: a policy would assert a requirement the "
        "source does not establish",
    "AU-ACMA-TLN-HIGH-RISK-TELECOM":
        "applies only to high-risk items (a trigger); other customer equipment under the same codes may be tested "
        "by any body, incl. in-house, so the arrangement route would refuse reports the rule accepts",
    "AU-ACMA-RADIO-COMPLIANCE-LEVEL-3":
        "applies only to compliance level 3 devices (a trigger; level 2 may be tested by any body), and the "
        "ILAC_MRA route is the research's guess for 'accredited testing body'",
}

# Routes of recorded rules that name an arrangement the reference registry does not hold. Mapped: to what
# RULES.md allows. Dropped: with the reason (also in data/README.md).
MAPPED_ARRANGEMENTS = {
    "ANY_CA_MRA": ((), "'Any MRA of Canada' (ANY_CA_MRA) written as a government route naming no arrangement (any "
                       "government arrangement between the parties)"),
}
DROPPED_ROUTES = {
    ("JP-MIC-RADIO-TBA-CERTIFICATION", "JP_SG_EPA_MRA"):
        "the Japan-Singapore EPA MRA is no arrangement of the reference registry",
    ("JP-MIC-RADIO-TBA-CERTIFICATION", "US_JP_MRA"):
        "the US-Japan MRA is no arrangement of the reference registry",
}

# The importers' own lists that recorded routes name (REGULATOR_LIST). Only the list is recorded, with its
# name as the snapshot words it: the snapshot lists no body on any of them, so none has an entry.
LISTS = {
    "US-CPSC-LABS": {"rule": "US-CPSC-TOYS-ASTM-F963", "starts": "CPSC-accepted third party", "owner": "US",
                     "sources": ("S-CPSC-1112-19", "S-CPSC-1112-43"),
                     "note": "16 CFR 1112.19: CPSC publishes the accepted third-party conformity assessment bodies "
                             "and their scopes on its website; 1112.43(a)(3): it accepts only ISO/IEC 17025:2017 "
                             "accreditation by an ILAC-MRA signatory for the CPSC scope (firewalled and "
                             "government-owned labs have their own conditions)"},
    "US-FCC-LABS": {"rule": "US-FCC-CERTIFICATION-TEST-LAB", "starts": "FCC-recognized laboratory", "owner": "US",
                    "sources": ("S-FCC-2949", "S-FCC-2951"),
                    "note": "47 CFR 2.949: FCC recognises accreditation bodies for laboratories in countries without "
                            "an MRA; 2.951: FCC then recognises the laboratory. Bodies owned or controlled by "
                            "'prohibited entities' are excluded (2.902)"},
    "CA-ISED-LABS": {"rule": "CA-ISED-RADIO-TEST-REPORTS", "starts": "ISED-recognized testing laboratories",
                     "owner": "CA", "sources": ("S-ISED-RECLAB", "S-ISED-RECAB"),
                     "note": "REC-LAB: ISED recognises testing laboratories; in countries without an MRA with "
                             "Canada they must be accredited to ISO/IEC 17025 by an accreditation body ISED "
                             "recognises under REC-AB (2018)"},
}

# legalSource: the instrument as a phrase of the rule's legal_source (checked), and the source key whose URL is
# the instrument's own text (https only); the reference is the rest of the snapshot's wording.
LEGAL = {
    "EU-2019-1793-": ("Commission Implementing Regulation (EU) 2019/1793", "S-EU1793-20260630"),
    "EU-284-2011-": ("Commission Regulation (EU) No 284/2011", "S-EU284-2011"),
    "EU-DAIRY-OFFICIAL-CERTIFICATE": ("Regulation (EU) 2017/625", None),
    "US-CPSC-TOYS-ASTM-F963": ("15 U.S.C. 2063(a)(2)", None),
    "US-FCC-CERTIFICATION-TEST-LAB": ("47 CFR 2.948(a),(e), 2.949, 2.951", None),
    "JP-MIC-RADIO-TBA-CERTIFICATION": ("Act No. 111 of 2001 on the implementation of mutual recognition", None),
    "JP-MHLW-DAIRY-HEALTH-CERTIFICATE": ("Food Sanitation Act Art. 10(2)", None),
    "JP-MHLW-INSPECTION-ORDER-": ("MHLW Notice No. 0330", "S-MHLW-IO-2020"),
    "KR-RRA-TELECOM-TEST-REPORTS": ("Radio Waves Act", None),
    "CA-ISED-RADIO-TEST-REPORTS": ("ISED REC-LAB", "S-ISED-RECLAB"),
    "SG-IMDA-TELECOM-TEST-REPORTS": ("IMDA equipment registration framework (Telecommunications Act)", None),
}

# Rules whose HS scope is partly the research's own mapping although hs_source says "stated".
MAPPED_EXCLUSIONS = {
    "JP-MHLW-DAIRY-HEALTH-CERTIFICATE": "the exclusion of processed cheese as 040630 is the research's mapping",
}

# 2019/1793 Annex II: two documents per consignment (RULES.md "Policies with several requirements"). The
# phrases are the snapshot's; if they change, the ages below must be read again.
EU1793_PREFIX = "EU-2019-1793-"
EU1793_CERT_MONTHS = 4
EU1793_RESULTS_MONTHS = 6
EU1793_PHRASES = ("not more than 4 months from its date of issue (Art. 11(2)(j))",
                  "date of the results of the laboratory analyses (Art. 10(1))")


# -- small helpers ----------------------------------------------------------------------------------------------
def is_full_date(text) -> bool:
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    date.fromisoformat(text)  # raises on 2021-02-30
    return True


def note(*parts: str | None) -> str | None:
    kept = [p.strip().rstrip(".") for p in parts if p and p.strip()]
    return ". ".join(kept) + "." if kept else None


def unique(items):
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def check_economy(code: str, where: str) -> None:
    if code != UNION and pycountry.countries.get(alpha_2=code) is None:
        raise BuildError(f"{where}: {code!r} is neither the EU nor an ISO 3166-1 alpha-2 code (pycountry)")


def check_hs(prefixes, where: str) -> None:
    for prefix in prefixes:
        if not isinstance(prefix, str) or not re.fullmatch(r"\d{2,10}", prefix):
            raise BuildError(f"{where}: HS prefix {prefix!r} is not 2-10 digits")
    if len(set(prefixes)) != len(prefixes):
        raise BuildError(f"{where}: repeated HS prefix in {prefixes}")


def legal_for(rule_id: str) -> tuple[str, str | None]:
    for key, value in LEGAL.items():
        if rule_id == key or (key.endswith("-") and rule_id.startswith(key)):
            return value
    raise BuildError(f"{rule_id}: no legal-source instrument known for it (LEGAL)")


class Source:
    """The research snapshot, with a check that every hard-coded fact below is still stated in it."""

    def __init__(self, path: Path):
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.data = json.loads(self.text)
        self.index = self.data.get("sources_index") or {}
        self.rules = {}
        for rule in self.data.get("requirements") or []:
            if rule.get("id") in self.rules:
                raise BuildError(f"rule {rule.get('id')!r} appears twice")
            self.rules[rule["id"]] = rule

    def states(self, *phrases: str) -> None:
        for phrase in phrases:
            if phrase not in self.text:
                raise BuildError(f"{self.path}: the script relies on {phrase!r}, which the source no longer says")

    def urls(self, keys, where: str) -> list[str]:
        out = []
        for key in keys:
            entry = self.index.get(key)
            if not entry or not entry.get("url"):
                raise BuildError(f"{where}: source {key!r} is not in sources_index")
            out.append(entry["url"])
        return unique(out)


# -- rules -> policies ------------------------------------------------------------------------------------------
def split_tests(rule: dict) -> tuple[list[str], list[str]]:
    """(identifiers a report or scope can name, descriptions kept for the note)."""
    ids, described = [], []
    for test in rule.get("required_tests") or []:
        (ids if METHOD_ID.fullmatch(test) else described).append(test)
    return ids, described


def check_rule_shape(rule: dict) -> None:
    """A rule with a feature the model cannot express may only be recorded when this script knows what to do
    with it; otherwise it must be in LEFT_OUT."""
    where = rule["id"]
    for key in ("importer", "hs_prefixes", "hs_source", "accepted_routes", "confidence", "sources", "note",
                "valid_from", "valid_to", "legal_source"):
        if key not in rule:
            raise BuildError(f"{where}: no {key!r}")
    problems = []
    if rule.get("applies_when"):
        problems.append("applies only when a condition holds (applies_when)")
    if rule.get("cab_location"):
        problems.append("a laboratory-location condition (cab_location)")
    if rule.get("underlying_test_report_routes"):
        problems.append("nested recognition (underlying_test_report_routes)")
    if not rule["hs_prefixes"]:
        problems.append(f"no HS prefixes (hs_source {rule['hs_source']})")
    dispatch = set(rule.get("dispatch_from") or ())
    if dispatch - set(rule.get("origins") or ()):
        problems.append("a dispatch country other than the origins (dispatch_from)")
    if problems:
        raise BuildError(f"{where}: cannot be recorded without distorting it ({'; '.join(problems)}); "
                         "add it to LEFT_OUT with the reason, or teach the script")
    if rule["hs_source"] not in HS_SOURCES:
        raise BuildError(f"{where}: unknown hs_source {rule['hs_source']!r}")
    if rule["confidence"] not in CONFIDENCES:
        raise BuildError(f"{where}: confidence {rule['confidence']!r}")
    if rule["confidence"] == "confirmed" and not rule["sources"]:
        raise BuildError(f"{where}: confirmed without a source")
    if rule["attestation_type"] is not None and rule["attestation_type"] not in TYPES:
        raise BuildError(f"{where}: unknown attestation type {rule['attestation_type']!r}")
    for field in ("valid_from", "valid_to"):
        if rule[field] is not None and not is_full_date(rule[field]):
            raise BuildError(f"{where}: {field} {rule[field]!r} is not a full date")
    if rule["valid_from"] and rule["valid_to"] and rule["valid_to"] < rule["valid_from"]:
        raise BuildError(f"{where}: valid_to {rule['valid_to']} before valid_from {rule['valid_from']}")
    if rule.get("max_age_days") is not None and (not isinstance(rule["max_age_days"], int) or rule["max_age_days"] < 0):
        raise BuildError(f"{where}: max_age_days {rule['max_age_days']!r}")
    for route in rule["accepted_routes"]:
        if route.get("kind") not in SNAPSHOT_ROUTE_KINDS:
            raise BuildError(f"{where}: unknown route kind {route.get('kind')!r}")
    check_hs(rule["hs_prefixes"], where)
    check_hs(rule.get("hs_excluded_prefixes") or [], where)
    for origin in rule.get("origins") or []:
        check_economy(origin, where)
    check_economy(rule["importer"], where)


class PolicyBuilder:
    def __init__(self, src: Source, arrangements: set[str]):
        self.src = src
        self.arrangements = arrangements
        self.used_lists: dict[str, dict] = {}
        self.used_dropped: set = set()
        self.used_mapped: set = set()

    # routes
    def routes(self, rule: dict, phase_wanted: str | None) -> tuple[list[dict], list[str]]:
        """The rule's routes in the registry's terms, for the policy taking APEC TEL phase ``phase_wanted``
        (None: the rule's own type); and what the build said about them, for the note."""
        where, out, said = rule["id"], [], []
        for route in rule["accepted_routes"]:
            kind = route["kind"]
            if kind in ("ARRANGEMENT", "GOVERNMENT"):
                names = route.get("arrangement")
                names = names if isinstance(names, list) else [names]
                phase = route.get("phase")
                if phase is not None and phase not in PHASE_TYPES:
                    raise BuildError(f"{where}: unknown APEC TEL phase {phase!r}")
                if phase is not None and phase != (phase_wanted or self.phase_of(rule)):
                    if where not in ALTERNATIVES:
                        raise BuildError(f"{where}: a phase {phase} route does not fit the rule's type and no "
                                         "alternative policy (ALTERNATIVES) takes it")
                    continue  # the other phase's document: the alternative policy takes it
                kept = []
                for name in names:
                    if name in self.arrangements:
                        kept.append(name)
                    elif name in MAPPED_ARRANGEMENTS:
                        mapped, why = MAPPED_ARRANGEMENTS[name]
                        self.used_mapped.add(name)
                        kept.extend(mapped)
                        said.append(why)
                        if not mapped and kind != "GOVERNMENT":
                            raise BuildError(f"{where}: {name} maps to 'any' only on a government route")
                        if not mapped:
                            kept = None
                            break
                    elif (where, name) in DROPPED_ROUTES:
                        self.used_dropped.add((where, name))
                        said.append(f"Route via {name} left out: {DROPPED_ROUTES[(where, name)]}")
                    else:
                        raise BuildError(f"{where}: arrangement {name!r} is not in the reference registry and "
                                         "has no mapping (MAPPED_ARRANGEMENTS) or reason (DROPPED_ROUTES)")
                if kept is None:
                    out.append({"kind": "GOVERNMENT", "arrangements": []})
                elif kept:
                    out.append({"kind": kind, "arrangements": kept})
            elif kind == "OFFICIAL_CERTIFICATE":
                out.append({"kind": "OFFICIAL_CERTIFICATE"})
            elif kind == "ANY_LABORATORY":
                out.append({"kind": "ANY"})
            elif kind == "REGULATOR_LIST":
                code = self.list_code(rule, route)
                out.append({"kind": "LIST", "list": code})
                requires = route.get("requires")
                if requires:
                    said.append(f"the list's precondition ({requires.get('kind')} {requires.get('arrangement') or requires.get('standard')}) "
                                "is the regulator's condition for listing and is not checked again")
        if any(r["kind"] == "ANY" for r in out) and len(out) > 1:
            raise BuildError(f"{where}: an ANY route must be a requirement's only route (RULES.md)")
        return out, said

    def list_code(self, rule: dict, route: dict) -> str:
        for code, spec in LISTS.items():
            if spec["rule"] == rule["id"] and route.get("list", "").startswith(spec["starts"]):
                if code in self.used_lists:
                    raise BuildError(f"{rule['id']}: list {code} named twice")
                missing = set(spec["sources"]) - set(rule["sources"])
                if missing:
                    raise BuildError(f"{rule['id']}: list {code} sources {sorted(missing)} are not the rule's")
                self.used_lists[code] = {"rule": rule, "route": route}
                return code
        raise BuildError(f"{rule['id']}: list {route.get('list')!r} has no code (LISTS)")

    @staticmethod
    def phase_of(rule: dict) -> str | None:
        return {v: k for k, v in PHASE_TYPES.items()}.get(rule["attestation_type"])

    # pieces of a policy
    def confidence(self, rule: dict) -> tuple[str, list[str]]:
        said = []
        confidence = rule["confidence"]
        if rule["hs_source"] == "mapped":
            confidence = "unconfirmed"
            said.append("Confidence unconfirmed: the HS codes are the research's mapping of the rule's product "
                        "description (hs_source mapped), not stated by a source")
        if rule["id"] in MAPPED_EXCLUSIONS:
            confidence = "unconfirmed"
            said.append(f"Confidence unconfirmed: {MAPPED_EXCLUSIONS[rule['id']]}")
        return confidence, said

    def legal_source(self, rule: dict) -> dict:
        instrument, key = legal_for(rule["id"])
        text = rule["legal_source"]
        if instrument not in text:
            raise BuildError(f"{rule['id']}: legal_source no longer names {instrument!r}")
        reference = text[len(instrument):].lstrip(" ,;") if text.startswith(instrument) else text
        url = None
        if key is not None:
            if key not in rule["sources"]:
                raise BuildError(f"{rule['id']}: legal-source URL key {key} is not among the rule's sources")
            url = self.src.urls([key], rule["id"])[0]
            if not url.startswith("https://"):
                raise BuildError(f"{rule['id']}: legal-source URL {url} is not https")
        return {k: v for k, v in (("instrument", instrument), ("reference", reference or None), ("url", url))
                if v is not None}

    @staticmethod
    def border_checks(rule: dict) -> dict | None:
        pct = rule.get("check_frequency_pct")
        if pct is None:
            return None
        if not isinstance(pct, (int, float)) or not 0 < pct <= 100:
            raise BuildError(f"{rule['id']}: check_frequency_pct {pct!r}")
        since = rule.get("check_frequency_from")
        if since is not None and not is_full_date(since):
            raise BuildError(f"{rule['id']}: check_frequency_from {since!r}")
        text = rule.get("check_frequency_note") or (
            f"identity and physical checks (incl. sampling) on {pct} % of consignments at the border, whatever the "
            "documents say")
        if since and (rule["valid_from"] is None or since > rule["valid_from"]):
            text = note(text, f"this share applies from {since}; the share before that day is not recorded here")
        return {"percent": pct, "note": note(text)}

    @staticmethod
    def transitional(rule: dict) -> str | None:
        t = rule.get("transitional")
        if not t:
            return None
        if t.get("basis") != "dispatch_date" or not is_full_date(t.get("dispatched_before")):
            raise BuildError(f"{rule['id']}: transitional {t!r} is not a dispatch-date transition")
        until = f", until {t['may_enter_until']}" if t.get("may_enter_until") else ""
        return f"Not expressed (no dispatch date): dispatched before {t['dispatched_before']}: {t['relief']}{until}"

    def eu1793_requirements(self, rule: dict, tests: list[str]) -> list[dict]:
        where = rule["id"]
        age = rule.get("max_age") or {}
        if (age.get("value"), age.get("unit")) != (EU1793_RESULTS_MONTHS, "MONTH") \
                or not all(p in json.dumps(age, ensure_ascii=False) for p in EU1793_PHRASES):
            raise BuildError(f"{where}: max_age {age!r} is not the 2019/1793 4/6-month rule this script knows")
        if [r["kind"] for r in rule["accepted_routes"]] != ["OFFICIAL_CERTIFICATE"] or rule["lot_match"] is not True:
            raise BuildError(f"{where}: 2019/1793 rule without the official-certificate route and lot matching")
        if rule["attestation_type"] != "TESTING" or rule.get("max_age_days") is not None:
            raise BuildError(f"{where}: 2019/1793 rule not of type TESTING or with an age in days")
        return [
            {"type": "OFFICIAL_CERTIFICATE", "requiredTests": [], "routes": [{"kind": "OFFICIAL_CERTIFICATE"}],
             "maxAgeMonths": EU1793_CERT_MONTHS, "lotMatch": True},
            {"type": "TESTING", "requiredTests": tests, "routes": [{"kind": "ANY"}],
             "maxAgeMonths": EU1793_RESULTS_MONTHS, "lotMatch": True},
        ]

    def policy(self, rule: dict, code: str | None = None, name: str | None = None,
               phase: str | None = None) -> dict:
        where = rule["id"]
        code = code or where
        confidence, said = self.confidence(rule)
        tests, described = split_tests(rule)
        if where.startswith(EU1793_PREFIX):
            requirements = self.eu1793_requirements(rule, tests)
            said.append(f"Recorded as two requirements: official certificate (at most {EU1793_CERT_MONTHS} months, "
                        f"lot) and results (at most {EU1793_RESULTS_MONTHS} months, lot; route ANY: the certificate "
                        "vouches for them); see data/README.md")
        else:
            routes, route_said = self.routes(rule, phase)
            said.extend(route_said)
            attestation_type = PHASE_TYPES[phase] if phase else (rule["attestation_type"] or "OFFICIAL_CERTIFICATE")
            if rule["attestation_type"] is None:
                said.append("The official certificate (attestation_type null in the snapshot) is the registry's "
                            "type OFFICIAL_CERTIFICATE")
            if rule.get("max_age"):
                raise BuildError(f"{where}: an age in months outside 2019/1793; teach the script")
            requirements = [{"type": attestation_type, "requiredTests": tests, "routes": routes,
                             "maxAgeDays": rule.get("max_age_days"), "lotMatch": bool(rule["lot_match"])}]
            if rule["lot_match"] is None:
                said.append("Lot matching is not stated by the source, so not required")
        if described:
            said.append("Tests as the source words them (no method identifier, so not matched against a report or "
                        "a scope): " + "; ".join(described))
        if rule.get("periodic_retest"):
            said.append(f"Not expressed: periodic re-testing of continuing production "
                        f"({rule['periodic_retest'].get('basis')})")
        said.append(self.transitional(rule))
        if rule.get("valid_from_month") and rule["valid_from"] is None:
            said.append(f"Start: the source gives only the month {rule['valid_from_month']}, so no 'from'")
        for key in ("origins_note", "route_note", "domestic_route_note"):
            if rule.get(key):
                said.append(f"{key.replace('_', ' ').capitalize()}: {rule[key]}")
        if not where.startswith(EU1793_PREFIX) and rule.get("hs_note"):
            said.append(f"HS: {rule['hs_note']}")
        policy = {
            "code": code,
            "name": name or NAMES[where],
            "importer": rule["importer"],
            "hsPrefixes": list(rule["hs_prefixes"]),
            "excludedHsPrefixes": list(rule.get("hs_excluded_prefixes") or []),
            "origins": list(rule.get("origins") or []),
        }
        if len(requirements) == 1:
            only = requirements[0]
            policy |= {"requiredType": only["type"], "requiredTests": only["requiredTests"], "routes": only["routes"],
                       "maxAgeDays": only.get("maxAgeDays"), "maxAgeMonths": only.get("maxAgeMonths"),
                       "lotMatch": only["lotMatch"]}
        else:
            policy["requirements"] = [
                {k: v for k, v in (("type", r["type"]), ("requiredTests", r["requiredTests"]), ("routes", r["routes"]),
                                   ("maxAgeDays", r.get("maxAgeDays")), ("maxAgeMonths", r.get("maxAgeMonths")),
                                   ("lotMatch", r["lotMatch"])) if v is not None}
                for r in requirements]
        policy |= {
            "borderChecks": self.border_checks(rule),
            "legalSource": self.legal_source(rule),
            "from": rule["valid_from"],
            "to": rule["valid_to"],
            "confidence": confidence,
            "sources": self.src.urls(rule["sources"], where),
            "note": note(rule["note"], *said),
        }
        return {k: v for k, v in policy.items() if v is not None}

    def merged(self, code: str, spec: dict) -> dict:
        rules = [self.src.rules[r] for r in spec["rules"]]
        same = ("importer", "origins", "dispatch_from", "hs_prefixes", "hs_source", "attestation_type",
                "accepted_routes", "max_age_days", "lot_match", "check_frequency_pct", "check_frequency_note",
                "valid_from", "valid_to", "legal_source", "confidence")
        for key in same:
            values = {json.dumps(r.get(key), sort_keys=True) for r in rules}
            if len(values) != 1:
                raise BuildError(f"{code}: the merged rules differ in {key!r}; merging them would distort one")
        first = dict(rules[0])
        tests = [f"{r['id']}: {'; '.join(r['required_tests'])}" for r in rules]
        first["required_tests"] = []
        first["sources"] = unique(s for r in rules for s in r["sources"])
        first["note"] = note(rules[0]["note"] if all(r["note"] == rules[0]["note"] for r in rules)
                             else " ".join(r["note"] for r in rules),
                             "Test per material: " + " | ".join(tests), spec["why"])
        return self.policy(first, code=code, name=spec["name"])


# -- lists --------------------------------------------------------------------------------------------------------
def acceptance_lists(src: Source, used: dict[str, dict]) -> list[dict]:
    out = []
    for code in sorted(used):
        spec, rule, route = LISTS[code], used[code]["rule"], used[code]["route"]
        check_economy(spec["owner"], code)
        out.append({
            "code": code,
            "name": route["list"],
            "owner": spec["owner"],
            "entries": [],
            "confidence": "confirmed" if rule["confidence"] == "confirmed" else "unconfirmed",
            "sources": src.urls(spec["sources"], code),
            "note": note(spec["note"], "The research snapshot lists no body on it, so no entry is recorded: the "
                                       "route is unknown (LISTING_NOT_RECORDED) until entries and a LIST_ENTRIES "
                                       "declaration are"),
        })
    return out


# -- checks -------------------------------------------------------------------------------------------------------
def overlaps(a: dict, b: dict) -> bool:
    """Could a and b both apply to one consignment on one day? (RULES.md, "Which policy applies")"""
    if a["importer"] != b["importer"]:
        return False
    if (a.get("to") and b.get("from") and a["to"] < b["from"]) or (b.get("to") and a.get("from") and b["to"] < a["from"]):
        return False
    oa, ob = set(a.get("origins") or ()), set(b.get("origins") or ())
    if oa and ob and not oa & ob:
        return False
    return any(x.startswith(y) or y.startswith(x) for x in a["hsPrefixes"] for y in b["hsPrefixes"])


def first_type(policy: dict) -> str:
    return policy["requirements"][0]["type"] if "requirements" in policy else policy["requiredType"]


def check(document: dict, arrangements: set[str]) -> None:
    policies = document["importPolicies"]
    lists = {l["code"] for l in document["acceptanceLists"]}
    codes = [p["code"] for p in policies]
    if len(set(codes)) != len(codes):
        raise BuildError("two policies with one code")
    alternatives = {(rule, code) for rule, (code, _, _) in ALTERNATIVES.items()}
    for i, a in enumerate(policies):
        for b in policies[i + 1:]:
            if not overlaps(a, b):
                continue
            pair = tuple(sorted((a["code"], b["code"])))
            if pair in alternatives and first_type(a) != first_type(b):
                continue  # told apart by the presented attestation's type, on purpose
            raise BuildError(f"policies {pair[0]} and {pair[1]} could both apply to one consignment; only one "
                             "would (RULES.md): merge them or leave one out, with the reason")
    for p in policies:
        where = p["code"]
        if len(where) > MAX_CODE or len(p["name"]) > MAX_NAME:
            raise BuildError(f"{where}: code or name longer than the store takes")
        if p["confidence"] not in CONFIDENCES or not p.get("sources"):
            raise BuildError(f"{where}: confidence {p['confidence']!r} or no source")
        if len(p.get("note") or "") > NOTE_MAX:
            raise BuildError(f"{where}: note of {len(p['note'])} characters, more than {NOTE_MAX}")
        if any(len(s) > SOURCE_MAX for s in p["sources"]):
            raise BuildError(f"{where}: a source longer than {SOURCE_MAX}")
        requirements = p.get("requirements") or [{"type": p["requiredType"], "routes": p["routes"]}]
        for r in requirements:
            if r["type"] not in TYPES + ("OFFICIAL_CERTIFICATE",):
                raise BuildError(f"{where}: type {r['type']!r}")
            for route in r["routes"]:
                for name in route.get("arrangements", []):
                    if name not in arrangements:
                        raise BuildError(f"{where}: arrangement {name} is not in the reference registry")
                if route["kind"] == "LIST" and route["list"] not in lists:
                    raise BuildError(f"{where}: list {route['list']} is not recorded")
            if r["type"] == "OFFICIAL_CERTIFICATE" and [x["kind"] for x in r["routes"]] != ["OFFICIAL_CERTIFICATE"]:
                raise BuildError(f"{where}: an official certificate takes the official-certificate route only")
    for path, fact in facts(document):
        if fact["confidence"] not in CONFIDENCES:
            raise BuildError(f"{path}: confidence {fact['confidence']!r} in the reference data")
        if fact["confidence"] == "confirmed" and not fact.get("sources"):
            raise BuildError(f"{path}: confirmed without a source")


def facts(node, path="$"):
    if isinstance(node, dict):
        if "confidence" in node:
            yield path, node
        for k, v in node.items():
            yield from facts(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from facts(v, f"{path}[{i}]")


# -- the document -------------------------------------------------------------------------------------------------
def registry_arrangements(path: Path) -> set[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {a["code"] for a in data.get("arrangements", [])}


def build(source_path: Path, registry_path: Path = DEFAULT_REGISTRY) -> dict:
    src = Source(source_path)
    arrangements = registry_arrangements(registry_path)
    merged_rules = {r: code for code, spec in MERGED.items() for r in spec["rules"]}
    decided = set(NAMES) | set(merged_rules) | set(LEFT_OUT)
    if len(decided) != len(NAMES) + len(merged_rules) + len(LEFT_OUT):
        raise BuildError("a rule has two decisions (NAMES, MERGED, LEFT_OUT)")
    if set(src.rules) - decided:
        raise BuildError(f"rules this script has no decision for: {sorted(set(src.rules) - decided)}")
    if decided - set(src.rules):
        raise BuildError(f"decisions for rules the snapshot no longer has: {sorted(decided - set(src.rules))}")
    for rule_id in sorted(set(NAMES) | set(merged_rules)):
        check_rule_shape(src.rules[rule_id])
    src.states(*EU1793_PHRASES)
    builder = PolicyBuilder(src, arrangements)
    policies = [builder.policy(src.rules[r]) for r in NAMES]
    for rule_id, (code, name, phase) in ALTERNATIVES.items():
        policies.append(builder.policy(src.rules[rule_id], code=code, name=name, phase=phase))
    policies += [builder.merged(code, spec) for code, spec in MERGED.items()]
    unused = (set(DROPPED_ROUTES) - builder.used_dropped) | (set(MAPPED_ARRANGEMENTS) - builder.used_mapped) \
        | (set(LISTS) - set(builder.used_lists))
    if unused:
        raise BuildError(f"mappings that match no route any more: {sorted(map(str, unused))}")
    document = {
        "format": "mra-registry",
        "formatVersion": 1,
        "title": f"mra-registry reference data: real import requirements ({src.data.get('as_of')} research snapshot)",
        "description": "Built by data/build_requirements.py from the shared research snapshot "
                       "(shared/domain/import-requirements.json). Load after data/reference/registry.json, whose "
                       "arrangements it names. Holds no authority, no list entry and no completeness declaration: "
                       "the snapshot names none. Rules left out or changed, and why: data/README.md.",
        "importPolicies": sorted(policies, key=lambda p: p["code"]),
        "acceptanceLists": acceptance_lists(src, builder.used_lists),
    }
    check(document, arrangements)
    return document


def render(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help=f"default: {DEFAULT_SOURCE}")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    parser.add_argument("--registry", type=Path, default=DEFAULT_REGISTRY,
                        help=f"the reference registry whose arrangements routes may name (default: {DEFAULT_REGISTRY})")
    parser.add_argument("--check", action="store_true", help="fail if the output file is not what the build gives")
    args = parser.parse_args(argv)
    try:
        text = render(build(args.source, args.registry))
    except (BuildError, OSError, ValueError, KeyError) as error:
        print(f"build_requirements: nothing written: {error}", file=sys.stderr)
        return 1
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"build_requirements: {args.output} is out of date; run data/build_requirements.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
