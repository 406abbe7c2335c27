"""Write the registry as the canonical registry document: codes sorted, intervals by start, absent values
left out, so that export -> load -> export is byte-identical."""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..domain import model
from ..domain.codes import RouteKind
from . import credentials
from .document_schema import FORMAT, FORMAT_VERSION


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _start(item: Any) -> date:
    return item.valid_from or date.min


def _clean(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop absent values and empty lists: the reader treats them as absent too."""
    return {k: v for k, v in mapping.items() if v is not None and v != [] and v != ()}


def _provenance(p: model.Provenance) -> dict[str, Any]:
    return {"confidence": p.confidence.value, "sources": list(p.sources), "note": p.note}


def _dated(item: Any) -> dict[str, Any]:
    return {"from": _day(item.valid_from), "to": _day(item.valid_to)}


def union(u: model.Union) -> dict[str, Any]:
    memberships = sorted(u.memberships, key=lambda m: (m.economy, _start(m)))
    return _clean({
        "code": u.code,
        "name": u.name,
        "memberships": [_clean({"economy": m.economy, **_dated(m), **_provenance(m.provenance)}) for m in memberships],
        **_provenance(u.provenance),
    })


def sector(s: model.Sector) -> dict[str, Any]:
    operations = sorted(s.operations, key=lambda o: (sorted(o.parties), o.attestation_type.value, _start(o)))
    termination = None
    if s.termination:
        termination = _clean({
            "effective": s.termination.effective.isoformat(),
            "voidsExisting": s.termination.voids_existing,
            **_provenance(s.termination.provenance),
        })
    return _clean({
        "code": s.code,
        "name": s.name,
        "hsPrefixes": list(s.hs_prefixes),
        "excludedHsPrefixes": list(s.excluded_hs_prefixes),
        "attestationTypes": [t.value for t in s.attestation_types],
        "operations": [
            _clean({"parties": sorted(o.parties), "attestationType": o.attestation_type.value, **_dated(o),
                    **_provenance(o.provenance)})
            for o in operations
        ],
        "termination": termination,
        **_provenance(s.provenance),
    })


def arrangement(a: model.Arrangement) -> dict[str, Any]:
    return _clean({
        "code": a.code,
        "name": a.name,
        "kind": a.kind.value,
        **_dated(a),
        "supersededBy": a.superseded_by,
        "supersededOn": _day(a.superseded_on),
        "region": a.region,
        "activities": [x.value for x in a.activities],
        "parties": list(a.parties),
        "sectors": [sector(s) for s in sorted(a.sectors, key=lambda s: s.code)],
        "hsPrefixes": list(a.hs_prefixes),
        "excludedHsPrefixes": list(a.excluded_hs_prefixes),
        "activityStarts": [activity_start(x) for x in sorted(a.activity_starts or (), key=lambda x: x.activity.value)],
        "signatoryListUrl": a.signatory_list_url,
        **_provenance(a.provenance),
    })


def activity_start(s: model.ActivityStart) -> dict[str, Any]:
    return _clean({"activity": s.activity.value, "from": _day(s.valid_from), **_provenance(s.provenance)})


def accreditation_body(b: model.AccreditationBody) -> dict[str, Any]:
    statuses = sorted(
        b.statuses,
        key=lambda s: (s.arrangement, s.activity.value if s.activity else "", s.standard or "", _start(s)),
    )
    return _clean({
        "code": b.code,
        "name": b.name,
        "economy": b.economy,
        "region": b.region,
        "statuses": [
            _clean({
                "arrangement": s.arrangement,
                "activity": s.activity.value if s.activity else None,
                "standard": s.standard,
                "status": s.status.value,
                **_dated(s),
                "reportedSince": s.reported_since,
                **_provenance(s.provenance),
            })
            for s in statuses
        ],
        "directoryUrl": b.directory_url,
        **_provenance(b.provenance),
    })


def accreditation(a: model.Accreditation) -> dict[str, Any]:
    return _clean({
        "number": a.number,
        "accreditationBody": a.accreditation_body,
        "activity": a.activity.value,
        **_dated(a),
        "withdrawnOn": _day(a.withdrawn_on),
        "suspensions": [_clean({**_dated(s), "note": s.note}) for s in sorted(a.suspensions, key=_start)],
        "scope": [
            _clean({"identifier": s.identifier, "hsPrefixes": list(s.hs_prefixes),
                    "excludedHsPrefixes": list(s.excluded_hs_prefixes)})
            for s in a.scope
        ],
        **_provenance(a.provenance),
    })


def cab(c: model.ConformityAssessmentBody) -> dict[str, Any]:
    designations = sorted(c.designations, key=lambda d: (d.arrangement, d.sector, d.for_party, _start(d)))
    return _clean({
        "code": c.code,
        "name": c.name,
        "economy": c.economy,
        "kinds": [k.value for k in c.kinds],
        "identifier": c.identifier,
        "accreditations": [
            accreditation(a) for a in sorted(c.accreditations, key=lambda a: (a.accreditation_body, a.number))
        ],
        "competences": [competence(x) for x in sorted(c.competences, key=lambda x: (x.kind.value, _start(x),
                                                                                    list(x.hs_prefixes)))],
        "designations": [
            _clean({
                "arrangement": d.arrangement,
                "sector": d.sector,
                "forParty": d.for_party,
                "attestationTypes": [t.value for t in d.attestation_types],
                **_dated(d),
                **_provenance(d.provenance),
            })
            for d in designations
        ],
        **credentials.write(c),
        **_provenance(c.provenance),
    })


def route(r: model.Route) -> dict[str, Any]:
    if r.kind is RouteKind.LIST:
        return {"kind": r.kind.value, "list": r.acceptance_list}
    if r.kind in (RouteKind.OFFICIAL_CERTIFICATE, RouteKind.ANY):
        return {"kind": r.kind.value}
    return {"kind": r.kind.value, "arrangements": list(r.arrangements)}


def requirement(q: model.Requirement) -> dict[str, Any]:
    # an empty route list is meaningful (domestic bodies only), so it is always written
    return {"type": q.required_type.value, **_clean({"requiredTests": list(q.required_tests)}),
            "routes": [route(r) for r in q.routes],
            **_clean({"maxAgeDays": q.max_age_days, "maxAgeMonths": q.max_age_months}), "lotMatch": q.lot_match}


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def border_checks(b: model.BorderChecks | None) -> dict[str, Any] | None:
    return _clean({"percent": _number(b.percent), "note": b.note}) if b else None


def legal_source(s: model.LegalSource | None) -> dict[str, Any] | None:
    return _clean({"instrument": s.instrument, "reference": s.reference, "url": s.url}) if s else None


def competence(x: model.Competence) -> dict[str, Any]:
    return _clean({"kind": x.kind.value, "hsPrefixes": list(x.hs_prefixes),
                   "excludedHsPrefixes": list(x.excluded_hs_prefixes), **_dated(x), **_provenance(x.provenance)})


def list_entry(e: model.ListEntry) -> dict[str, Any]:
    return _clean({
        "cab": e.cab,
        "activity": e.activity.value if e.activity else None,
        "scope": [_clean({"identifier": s.identifier, "hsPrefixes": list(s.hs_prefixes),
                          "excludedHsPrefixes": list(s.excluded_hs_prefixes)}) for s in e.scope],
        **_dated(e),
        **_provenance(e.provenance),
    })


def acceptance_list(x: model.AcceptanceList) -> dict[str, Any]:
    entries = sorted(x.entries, key=lambda e: (e.cab, e.activity.value if e.activity else "", _start(e)))
    return _clean({"code": x.code, "name": x.name, "owner": x.owner, "entries": [list_entry(e) for e in entries],
                   **_provenance(x.provenance)})


def policy(p: model.ImportPolicy) -> dict[str, Any]:
    """A policy with one requirement in the flat form (as before policies had several), one with several in the
    ``requirements`` form."""
    common = {
        "code": p.code,
        "name": p.name,
        "importer": p.importer,
        "hsPrefixes": list(p.hs_prefixes),
        "excludedHsPrefixes": list(p.excluded_hs_prefixes),
        "origins": list(p.origins),
    }
    extra = {"borderChecks": border_checks(p.border_checks), "legalSource": legal_source(p.legal_source)}
    if p.additional_requirements:
        return _clean({**common, "requirements": [requirement(q) for q in p.requirements], **extra, **_dated(p),
                       **_provenance(p.provenance)})
    return _clean({
        **common,
        "requiredType": p.required_type.value,
        "requiredTests": list(p.required_tests),
        # an empty route list is meaningful (domestic bodies only), so it is always written
        "maxAgeDays": p.max_age_days,
        "maxAgeMonths": p.max_age_months,
        "lotMatch": p.lot_match,
        **extra,
        **_dated(p),
        **_provenance(p.provenance),
    }) | {"routes": [route(r) for r in p.routes]}


def lookalike_body(b: model.LookalikeBody) -> dict[str, Any]:
    return _clean({"code": b.code, "name": b.name, "economy": b.economy, **_provenance(b.provenance)})


def declaration(d: model.CompletenessDeclaration) -> dict[str, Any]:
    # a kind's other range fields are empty by construction, so only its own are written
    return _clean({
        "code": d.code,
        "kind": d.kind.value,
        **_dated(d),
        "importer": d.importer,
        "hsPrefixes": list(d.hs_prefixes),
        "excludedHsPrefixes": list(d.excluded_hs_prefixes),
        "includesMembers": True if d.includes_members else None,
        "arrangement": d.arrangement,
        "activities": [a.value for a in d.activities],
        "accreditationBody": d.accreditation_body,
        "sector": d.sector,
        "party": d.party,
        "list": d.acceptance_list,
        **_provenance(d.provenance),
    })


def document(registry: model.Registry, *, title: str | None = None) -> dict[str, Any]:
    return _clean({
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "title": title,
        "unions": [union(u) for u in sorted(registry.unions, key=lambda u: u.code)],
        "arrangements": [arrangement(a) for a in sorted(registry.arrangements, key=lambda a: a.code)],
        "accreditationBodies": [
            accreditation_body(b) for b in sorted(registry.accreditation_bodies, key=lambda b: b.code)
        ],
        "conformityAssessmentBodies": [cab(c) for c in sorted(registry.cabs, key=lambda c: c.code)],
        "importPolicies": [policy(p) for p in sorted(registry.policies, key=lambda p: p.code)],
        "lookalikeBodies": [lookalike_body(b) for b in sorted(registry.lookalike_bodies, key=lambda b: b.code)],
        "completenessDeclarations": [declaration(d) for d in sorted(registry.declarations, key=lambda d: d.code)],
        "acceptanceLists": [acceptance_list(x) for x in sorted(registry.acceptance_lists, key=lambda x: x.code)],
    })


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
