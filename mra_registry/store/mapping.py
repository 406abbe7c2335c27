"""Rows <-> domain entities. Reading the current registry is one query per table, whatever its size."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import model
from ..domain.codes import (
    Activity,
    ArrangementKind,
    AttestationType,
    CabKind,
    CompetenceKind,
    CompletenessKind,
    Confidence,
    RouteKind,
    SignatoryStatus,
)
from . import models as m


def provenance(row: Any) -> model.Provenance:
    return model.Provenance(Confidence(row.confidence), tuple(row.sources or ()), row.note)


def provenance_columns(p: model.Provenance) -> dict[str, Any]:
    return {"confidence": p.confidence.value, "sources": list(p.sources), "note": p.note}


def current(statement, row_class):
    return statement.where(row_class.retired_version.is_(None))


def live_at(version: int):
    """The filter that keeps the rows live at registry ``version``: recorded at or before it and not retired at or
    before it (store/history.py rebuilds an earlier version this way; ``current`` is the same at the newest)."""
    def live(statement, row_class):
        return statement.where(row_class.recorded_version <= version,
                               (row_class.retired_version.is_(None)) | (row_class.retired_version > version))
    return live


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# -- domain -> rows ---------------------------------------------------------------------------------------
def union_membership_row(x: model.UnionMembership, version: int) -> m.UnionMembershipRow:
    return m.UnionMembershipRow(union_code=x.union, economy_code=x.economy, valid_from=x.valid_from,
                                valid_to=x.valid_to, recorded_version=version, **provenance_columns(x.provenance))


def arrangement_columns(a: model.Arrangement) -> dict[str, Any]:
    return dict(
        name=a.name, kind=a.kind.value, valid_from=a.valid_from, valid_to=a.valid_to,
        superseded_by=a.superseded_by, superseded_on=a.superseded_on, region=a.region,
        activities=[x.value for x in a.activities], parties=list(a.parties), hs_prefixes=list(a.hs_prefixes),
        excluded_hs_prefixes=list(a.excluded_hs_prefixes), signatory_list_url=a.signatory_list_url,
        **provenance_columns(a.provenance),
    )


def activity_start_row(arrangement: str, s: model.ActivityStart, version: int) -> m.ActivityStartRow:
    return m.ActivityStartRow(arrangement_code=arrangement, activity=s.activity.value, valid_from=s.valid_from,
                              recorded_version=version, **provenance_columns(s.provenance))


def sector_rows(s: model.Sector, version: int) -> tuple[m.SectorRow, list[m.SectorOperationRow]]:
    termination = None
    if s.termination:
        termination = {"effective": s.termination.effective.isoformat(), "voidsExisting": s.termination.voids_existing,
                       **provenance_columns(s.termination.provenance)}
    row = m.SectorRow(
        arrangement_code=s.arrangement, code=s.code, name=s.name, hs_prefixes=list(s.hs_prefixes),
        excluded_hs_prefixes=list(s.excluded_hs_prefixes), attestation_types=[t.value for t in s.attestation_types],
        termination=termination, recorded_version=version, **provenance_columns(s.provenance),
    )
    operations = []
    for o in s.operations:
        a, b = sorted(o.parties)
        operations.append(m.SectorOperationRow(
            party_a=a, party_b=b, attestation_type=o.attestation_type.value, valid_from=o.valid_from,
            valid_to=o.valid_to, recorded_version=version, **provenance_columns(o.provenance),
        ))
    return row, operations


def accreditation_body_columns(b: model.AccreditationBody) -> dict[str, Any]:
    return dict(name=b.name, economy_code=b.economy, region=b.region, directory_url=b.directory_url,
                **provenance_columns(b.provenance))


def lookalike_columns(b: model.LookalikeBody) -> dict[str, Any]:
    return dict(name=b.name, economy_code=b.economy, **provenance_columns(b.provenance))


def declaration_row(d: model.CompletenessDeclaration, version: int, row_version: int = 1) -> m.CompletenessDeclarationRow:
    return m.CompletenessDeclarationRow(
        code=d.code, kind=d.kind.value, valid_from=d.valid_from, valid_to=d.valid_to, importer=d.importer,
        hs_prefixes=list(d.hs_prefixes), excluded_hs_prefixes=list(d.excluded_hs_prefixes),
        includes_members=d.includes_members, arrangement_code=d.arrangement, activities=[a.value for a in d.activities],
        accreditation_body_code=d.accreditation_body, sector_code=d.sector, party=d.party,
        acceptance_list=d.acceptance_list, recorded_version=version, row_version=row_version,
        **provenance_columns(d.provenance),
    )


def status_row(s: model.SignatoryStatusRecord, version: int) -> m.SignatoryStatusRow:
    return m.SignatoryStatusRow(
        accreditation_body_code=s.accreditation_body, arrangement_code=s.arrangement,
        activity=s.activity.value if s.activity else None, standard=s.standard, status=s.status.value,
        valid_from=s.valid_from, valid_to=s.valid_to, reported_since=s.reported_since, recorded_version=version,
        **provenance_columns(s.provenance),
    )


def cab_columns(c: model.ConformityAssessmentBody) -> dict[str, Any]:
    return dict(name=c.name, economy_code=c.economy, kinds=[k.value for k in c.kinds], identifier=c.identifier,
                **provenance_columns(c.provenance))


def verification_key_row(k: model.VerificationKey, version: int) -> m.VerificationKeyRow:
    return m.VerificationKeyRow(cab_code=k.cab, key_id=k.key_id, jwk=json.loads(k.public_jwk), valid_from=k.valid_from,
                                valid_to=k.valid_to, revoked_on=k.revoked_on, recorded_version=version,
                                **provenance_columns(k.provenance))


def status_list_row(x: model.StatusList, version: int) -> m.StatusListRow:
    return m.StatusListRow(cab_code=x.cab, url=x.url, purpose=x.purpose, encoded_list=x.encoded_list, as_of=x.as_of,
                           recorded_version=version, **provenance_columns(x.provenance))


def verification_key_from_row(r: m.VerificationKeyRow) -> model.VerificationKey:
    return model.VerificationKey(r.cab_code, r.key_id, json.dumps(r.jwk, sort_keys=True, separators=(",", ":")),
                                 r.valid_from, r.valid_to, r.revoked_on, provenance(r))


def status_list_from_row(r: m.StatusListRow) -> model.StatusList:
    return model.StatusList(r.cab_code, r.url, r.purpose, r.encoded_list, r.as_of, provenance(r))


def accreditation_rows(a: model.Accreditation, version: int) -> tuple[m.AccreditationRow, list[m.ScopeItemRow]]:
    row = m.AccreditationRow(
        cab_code=a.cab, accreditation_body_code=a.accreditation_body, number=a.number, activity=a.activity.value,
        valid_from=a.valid_from, valid_to=a.valid_to, withdrawn_on=a.withdrawn_on,
        suspensions=[{"from": _iso(s.valid_from), "to": _iso(s.valid_to), "note": s.note} for s in a.suspensions],
        recorded_version=version, **provenance_columns(a.provenance),
    )
    scope = [
        m.ScopeItemRow(position=i, identifier=s.identifier, hs_prefixes=list(s.hs_prefixes),
                       excluded_hs_prefixes=list(s.excluded_hs_prefixes))
        for i, s in enumerate(a.scope)
    ]
    return row, scope


def designation_row(d: model.Designation, version: int) -> m.DesignationRow:
    return m.DesignationRow(
        cab_code=d.cab, arrangement_code=d.arrangement, sector_code=d.sector, for_party=d.for_party,
        attestation_types=[t.value for t in d.attestation_types], valid_from=d.valid_from, valid_to=d.valid_to,
        recorded_version=version, **provenance_columns(d.provenance),
    )


def route_json(r: model.Route) -> dict[str, Any]:
    return {"kind": r.kind.value, "arrangements": list(r.arrangements),
            **({"list": r.acceptance_list} if r.acceptance_list else {})}


def route_from_json(x: dict[str, Any]) -> model.Route:
    return model.Route(RouteKind(x["kind"]), tuple(x.get("arrangements") or ()), x.get("list"))


def requirement_json(q: model.Requirement) -> dict[str, Any]:
    """A requirement after the first, as kept in ``import_policies.additional_requirements`` (migration 0005)."""
    return {"type": q.required_type.value, "requiredTests": list(q.required_tests),
            "routes": [route_json(r) for r in q.routes], "maxAgeDays": q.max_age_days,
            "maxAgeMonths": q.max_age_months, "lotMatch": q.lot_match}


def requirement_from_json(x: dict[str, Any]) -> model.Requirement:
    return model.Requirement(AttestationType(x["type"]), tuple(x.get("requiredTests") or ()),
                             tuple(route_from_json(r) for r in x.get("routes") or ()), x.get("maxAgeDays"),
                             x.get("maxAgeMonths"), bool(x.get("lotMatch")))


def policy_row(p: model.ImportPolicy, version: int, row_version: int = 1) -> m.ImportPolicyRow:
    border, legal = p.border_checks, p.legal_source
    return m.ImportPolicyRow(
        code=p.code, name=p.name, importer=p.importer, hs_prefixes=list(p.hs_prefixes),
        excluded_hs_prefixes=list(p.excluded_hs_prefixes), required_type=p.required_type.value,
        required_tests=list(p.required_tests), routes=[route_json(r) for r in p.routes],
        max_age_days=p.max_age_days, lot_match=p.lot_match, valid_from=p.valid_from, valid_to=p.valid_to,
        max_age_months=p.max_age_months,
        additional_requirements=[requirement_json(q) for q in p.additional_requirements],
        origins=list(p.origins),
        border_checks_percent=border.percent if border else None, border_checks_note=border.note if border else None,
        legal_instrument=legal.instrument if legal else None, legal_reference=legal.reference if legal else None,
        legal_url=legal.url if legal else None,
        recorded_version=version, row_version=row_version, **provenance_columns(p.provenance),
    )


def competence_row(x: model.Competence, version: int) -> m.CompetenceRow:
    return m.CompetenceRow(cab_code=x.cab, kind=x.kind.value, hs_prefixes=list(x.hs_prefixes),
                           excluded_hs_prefixes=list(x.excluded_hs_prefixes), valid_from=x.valid_from,
                           valid_to=x.valid_to, recorded_version=version, **provenance_columns(x.provenance))


def acceptance_list_columns(x: model.AcceptanceList) -> dict[str, Any]:
    return dict(name=x.name, owner=x.owner, **provenance_columns(x.provenance))


def list_entry_row(e: model.ListEntry, version: int) -> m.ListEntryRow:
    return m.ListEntryRow(
        list_code=e.acceptance_list, cab_code=e.cab, activity=e.activity.value if e.activity else None,
        scope=[{"identifier": s.identifier, "hsPrefixes": list(s.hs_prefixes),
                "excludedHsPrefixes": list(s.excluded_hs_prefixes)} for s in e.scope],
        valid_from=e.valid_from, valid_to=e.valid_to, recorded_version=version, **provenance_columns(e.provenance),
    )


# -- rows -> domain ---------------------------------------------------------------------------------------
def policy_from_row(r: m.ImportPolicyRow) -> model.ImportPolicy:
    return model.ImportPolicy(
        code=r.code, importer=r.importer, hs_prefixes=tuple(r.hs_prefixes),
        required_type=AttestationType(r.required_type), excluded_hs_prefixes=tuple(r.excluded_hs_prefixes),
        required_tests=tuple(r.required_tests), routes=tuple(route_from_json(x) for x in r.routes),
        max_age_days=r.max_age_days, lot_match=r.lot_match, valid_from=r.valid_from, valid_to=r.valid_to,
        name=r.name, provenance=provenance(r), max_age_months=r.max_age_months,
        additional_requirements=tuple(requirement_from_json(x) for x in r.additional_requirements or ()),
        origins=tuple(r.origins or ()),
        border_checks=(model.BorderChecks(r.border_checks_percent, r.border_checks_note)
                       if r.border_checks_percent is not None else None),
        legal_source=(model.LegalSource(r.legal_instrument, r.legal_reference, r.legal_url)
                      if r.legal_instrument is not None else None),
    )


def competence_from_row(r: m.CompetenceRow) -> model.Competence:
    return model.Competence(cab=r.cab_code, kind=CompetenceKind(r.kind), hs_prefixes=tuple(r.hs_prefixes),
                            valid_from=r.valid_from, valid_to=r.valid_to,
                            excluded_hs_prefixes=tuple(r.excluded_hs_prefixes), provenance=provenance(r))


def list_entry_from_row(r: m.ListEntryRow) -> model.ListEntry:
    return model.ListEntry(
        acceptance_list=r.list_code, cab=r.cab_code, activity=Activity(r.activity) if r.activity else None,
        valid_from=r.valid_from, valid_to=r.valid_to,
        scope=tuple(model.ScopeItem(s["identifier"], tuple(s.get("hsPrefixes") or ()),
                                    tuple(s.get("excludedHsPrefixes") or ())) for s in r.scope or ()),
        provenance=provenance(r),
    )


def acceptance_lists_from_rows(rows: Iterable[m.AcceptanceListRow],
                               entries: Iterable[m.ListEntryRow]) -> tuple[model.AcceptanceList, ...]:
    by_list = defaultdict(list)
    for e in entries:
        by_list[e.list_code].append(list_entry_from_row(e))
    return tuple(
        model.AcceptanceList(r.code, r.name, r.owner,
                             tuple(sorted(by_list[r.code], key=lambda e: (e.cab, e.activity or "",
                                                                          e.valid_from or date.min))),
                             provenance(r))
        for r in rows
    )


def declaration_from_row(r: m.CompletenessDeclarationRow) -> model.CompletenessDeclaration:
    return model.CompletenessDeclaration(
        code=r.code, kind=CompletenessKind(r.kind), valid_from=r.valid_from, valid_to=r.valid_to, importer=r.importer,
        hs_prefixes=tuple(r.hs_prefixes), excluded_hs_prefixes=tuple(r.excluded_hs_prefixes),
        includes_members=r.includes_members, arrangement=r.arrangement_code,
        activities=tuple(Activity(a) for a in r.activities), accreditation_body=r.accreditation_body_code,
        sector=r.sector_code, party=r.party, acceptance_list=r.acceptance_list, provenance=provenance(r),
    )


def lookalike_from_row(r: m.LookalikeBodyRow) -> model.LookalikeBody:
    return model.LookalikeBody(r.code, r.name, r.economy_code, provenance(r))


def activity_start_from_row(r: m.ActivityStartRow) -> model.ActivityStart:
    return model.ActivityStart(Activity(r.activity), r.valid_from, provenance(r))


def status_from_row(r: m.SignatoryStatusRow) -> model.SignatoryStatusRecord:
    return model.SignatoryStatusRecord(
        accreditation_body=r.accreditation_body_code, arrangement=r.arrangement_code,
        activity=Activity(r.activity) if r.activity else None, standard=r.standard,
        status=SignatoryStatus(r.status), valid_from=r.valid_from, valid_to=r.valid_to,
        reported_since=r.reported_since, provenance=provenance(r),
    )


def accreditation_from_row(r: m.AccreditationRow, scope: Iterable[m.ScopeItemRow]) -> model.Accreditation:
    return model.Accreditation(
        cab=r.cab_code, number=r.number, accreditation_body=r.accreditation_body_code, activity=Activity(r.activity),
        valid_from=r.valid_from, valid_to=r.valid_to,
        suspensions=tuple(model.Suspension(_day(s["from"]), _day(s["to"]), s.get("note")) for s in r.suspensions),
        withdrawn_on=r.withdrawn_on,
        scope=tuple(
            model.ScopeItem(s.identifier, tuple(s.hs_prefixes), tuple(s.excluded_hs_prefixes))
            for s in sorted(scope, key=lambda s: s.position)
        ),
        provenance=provenance(r),
    )


def designation_from_row(r: m.DesignationRow) -> model.Designation:
    return model.Designation(
        cab=r.cab_code, arrangement=r.arrangement_code, sector=r.sector_code, for_party=r.for_party,
        valid_from=r.valid_from, valid_to=r.valid_to,
        attestation_types=tuple(AttestationType(t) for t in r.attestation_types), provenance=provenance(r),
    )


def sector_from_rows(r: m.SectorRow, operations: Iterable[m.SectorOperationRow]) -> model.Sector:
    termination = None
    if r.termination:
        t = r.termination
        termination = model.SectorTermination(
            date.fromisoformat(t["effective"]), t["voidsExisting"],
            model.Provenance(Confidence(t.get("confidence", "unconfirmed")), tuple(t.get("sources") or ()), t.get("note")),
        )
    return model.Sector(
        arrangement=r.arrangement_code, code=r.code, name=r.name, hs_prefixes=tuple(r.hs_prefixes),
        excluded_hs_prefixes=tuple(r.excluded_hs_prefixes),
        attestation_types=tuple(AttestationType(t) for t in r.attestation_types),
        operations=tuple(operation_from_row(o) for o in operations),
        termination=termination, provenance=provenance(r),
    )


def operation_from_row(o: m.SectorOperationRow) -> model.SectorOperation:
    return model.SectorOperation(frozenset((o.party_a, o.party_b)), AttestationType(o.attestation_type),
                                 o.valid_from, o.valid_to, provenance(o))


def registry_version(session: Session) -> int:
    return session.execute(select(m.RegistryState.version).where(m.RegistryState.id == 1)).scalar_one()


def read_registry(session: Session, at_version: int | None = None) -> model.Registry:
    """The whole current registry as domain entities, at the version read in the same transaction.

    With ``at_version``, the dated facts (every table with ``recorded_version``/``retired_version``) are those live
    at that version; the coded entities kept in place (unions, arrangements, bodies, CABs, look-alikes, lists) are
    read as they are now, and store/history.py puts them back as they stood then from the change log."""
    version = registry_version(session) if at_version is None else at_version
    live = live_at(at_version) if at_version is not None else current

    memberships = defaultdict(list)
    for r in session.scalars(live(select(m.UnionMembershipRow), m.UnionMembershipRow)):
        memberships[r.union_code].append(
            model.UnionMembership(r.union_code, r.economy_code, r.valid_from, r.valid_to, provenance(r)))
    unions = tuple(
        model.Union(r.code, r.name, tuple(memberships[r.code]), provenance(r))
        for r in session.scalars(select(m.UnionRow))
    )

    operations = defaultdict(list)
    for o in session.scalars(live(select(m.SectorOperationRow), m.SectorOperationRow)):
        operations[o.sector_id].append(o)
    sectors = defaultdict(list)
    for r in session.scalars(live(select(m.SectorRow), m.SectorRow)):
        sectors[r.arrangement_code].append(sector_from_rows(r, operations[r.id]))
    starts = defaultdict(list)
    for r in session.scalars(live(select(m.ActivityStartRow), m.ActivityStartRow).order_by(m.ActivityStartRow.activity)):
        starts[r.arrangement_code].append(activity_start_from_row(r))
    arrangements = tuple(
        model.Arrangement(
            code=r.code, name=r.name, kind=ArrangementKind(r.kind), valid_from=r.valid_from, valid_to=r.valid_to,
            superseded_by=r.superseded_by, superseded_on=r.superseded_on, region=r.region,
            activities=tuple(Activity(a) for a in r.activities), parties=tuple(r.parties),
            sectors=tuple(sectors[r.code]), hs_prefixes=tuple(r.hs_prefixes),
            excluded_hs_prefixes=tuple(r.excluded_hs_prefixes), activity_starts=tuple(starts[r.code]),
            signatory_list_url=r.signatory_list_url, provenance=provenance(r),
        )
        for r in session.scalars(select(m.ArrangementRow))
    )

    statuses = defaultdict(list)
    for r in session.scalars(live(select(m.SignatoryStatusRow), m.SignatoryStatusRow)):
        statuses[r.accreditation_body_code].append(status_from_row(r))
    bodies = tuple(
        model.AccreditationBody(r.code, r.name, r.economy_code, r.region, tuple(statuses[r.code]), r.directory_url,
                                provenance(r))
        for r in session.scalars(select(m.AccreditationBodyRow))
    )

    scope = defaultdict(list)
    scope_query = (
        select(m.ScopeItemRow)
        .join(m.AccreditationRow, m.ScopeItemRow.accreditation_id == m.AccreditationRow.id)
    )
    scope_query = live(scope_query, m.AccreditationRow)
    for s in session.scalars(scope_query):
        scope[s.accreditation_id].append(s)
    accreditations = defaultdict(list)
    for r in session.scalars(live(select(m.AccreditationRow), m.AccreditationRow)):
        accreditations[r.cab_code].append(accreditation_from_row(r, scope[r.id]))
    designations = defaultdict(list)
    for r in session.scalars(live(select(m.DesignationRow), m.DesignationRow)):
        designations[r.cab_code].append(designation_from_row(r))
    competences = defaultdict(list)
    for r in session.scalars(live(select(m.CompetenceRow), m.CompetenceRow).order_by(m.CompetenceRow.id)):
        competences[r.cab_code].append(competence_from_row(r))
    keys = defaultdict(list)
    for r in session.scalars(live(select(m.VerificationKeyRow), m.VerificationKeyRow).order_by(m.VerificationKeyRow.key_id)):
        keys[r.cab_code].append(verification_key_from_row(r))
    status_lists = defaultdict(list)
    for r in session.scalars(live(select(m.StatusListRow), m.StatusListRow).order_by(m.StatusListRow.url,
                                                                                      m.StatusListRow.purpose)):
        status_lists[r.cab_code].append(status_list_from_row(r))
    cabs = tuple(
        model.ConformityAssessmentBody(
            r.code, r.name, r.economy_code, tuple(CabKind(k) for k in r.kinds), tuple(accreditations[r.code]),
            tuple(designations[r.code]), provenance(r), tuple(competences[r.code]), r.identifier,
            tuple(keys[r.code]), tuple(status_lists[r.code]),
        )
        for r in session.scalars(select(m.CabRow))
    )
    policies = tuple(
        policy_from_row(r) for r in session.scalars(live(select(m.ImportPolicyRow), m.ImportPolicyRow))
    )
    lookalikes = tuple(lookalike_from_row(r) for r in session.scalars(select(m.LookalikeBodyRow)))
    declarations = tuple(declaration_from_row(r) for r in session.scalars(
        live(select(m.CompletenessDeclarationRow), m.CompletenessDeclarationRow)))
    acceptance_lists = acceptance_lists_from_rows(
        session.scalars(select(m.AcceptanceListRow)),
        session.scalars(live(select(m.ListEntryRow), m.ListEntryRow).order_by(m.ListEntryRow.id)))
    return model.Registry(version, unions, arrangements, bodies, cabs, policies, lookalikes, declarations,
                          acceptance_lists)
