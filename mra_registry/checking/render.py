"""Decisions for people: the verdict first, the reason in words, the path as a chain, warnings marked."""
from __future__ import annotations

from typing import Any

VERDICTS = {
    "RECOGNISED": "RECOGNISED: accepted, no retest",
    "NOT_REQUIRED": "NOT REQUIRED: the importer asks for no retest for this movement",
    "RETEST_REQUIRED": "RETEST REQUIRED: the importer must retest, re-inspect or re-certify",
    "INVALID": "INVALID: the document cannot be relied on",
    "UNDETERMINED": "UNDETERMINED: the registry lacks a fact this decision needs; verify before acting",
}


ASSURANCE_WORDS = {
    "CONFIRMED": "every fact it rests on was read in a cited source",
    "UNCONFIRMED": "it rests on a fact not confirmed by a cited source",
    "FIXTURE": "it rests on invented test data",
}


def route_text(route: dict[str, Any]) -> str:
    """ARRANGEMENT ILAC_MRA, GOVERNMENT EU_US_MRA / EU-US-TEL, LIST US-TOY-LABS, OFFICIAL_CERTIFICATE, ANY."""
    if route.get("list"):
        return f"{route['kind']} {route['list']['code']}"
    if route.get("arrangement"):
        sector = f" / {route['sector']['code']}" if route.get("sector") else ""
        return f"{route['kind']} {route['arrangement']['code']}{sector}"
    return route["kind"]


def _dates(link: dict[str, Any]) -> str:
    start, end = link.get("validFrom"), link.get("validTo")
    if not start and not end:
        return ""
    return f" [{start or '…'} to {end or 'open'}]"


def render_text(line: dict[str, Any], decision: dict[str, Any]) -> str:
    out = [VERDICTS.get(decision["outcome"], decision["outcome"]) + f"   ({decision['reason']})"]
    consignment = f"{line['exporter']} -> {line['importer']}, HS {line['hsCode']}"
    if line.get("lot"):
        consignment += f", lot {line['lot']}"
    out.append(f"Consignment: {consignment}; clearance date {decision['clearanceDate']}")
    documents = [line["attestation"]] if line.get("attestation") else list(line.get("attestations") or ())
    for attestation in documents:
        out.append(f"Document:    {attestation['type']} from {attestation['issuer']}, issued {attestation['issueDate']}")
    if decision.get("policy"):
        out.append(f"Policy:      {decision['policy']['code']}")
    for route in decision.get("routes") or ([decision["route"]] if decision.get("route") else []):
        out.append(f"Route:       {route_text(route)}")
    out.append("Why:")
    for reason in decision["reasons"]:
        where = f" [{reason['route']}]" if reason.get("route") else ""
        out.append(f"  - {reason['code']}{where}: {reason['message']}")
    if decision["path"]:
        out.append("Recognition path:")
        for index, link in enumerate(decision["path"]):
            mark = "ok" if link["holds"] else "NO"
            states = []
            if link.get("statusOnIssue"):
                states.append(f"on issue: {link['statusOnIssue']}")
            if link.get("statusOnClearance"):
                states.append(f"on clearance: {link['statusOnClearance']}")
            state = f" ({'; '.join(states)})" if states else ""
            out.append(f"  [{mark}] {link['kind']}: {link['record']}{_dates(link)}{state}")
            if index < len(decision["path"]) - 1:
                out.append("     |")
    if decision["warnings"]:
        out.append("Warnings:")
        for warning in decision["warnings"]:
            out.append(f"  ! {warning['code']}: {warning['message']}")
    if decision.get("checks"):
        out.append("Before acting, verify:")
        for check in decision["checks"]:
            out.append(f"  ? {check['code']}: {check['message']}")
            for source in check["sources"]:
                out.append(f"      see {source}")
    out.append(f"Assurance:   {decision['assurance']} ({ASSURANCE_WORDS.get(decision['assurance'], '')})")
    out.append(f"Registry version {decision['registryVersion']}")
    return "\n".join(out)
