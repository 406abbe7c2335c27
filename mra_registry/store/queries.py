"""Whole entities read by code inside a write's transaction (api/mutations: what a write checks and writes back,
and records as "before" in the change log). Each batch function takes many codes and costs a fixed number of
SQL queries, whatever the number of codes. Browsing reads no SQL: it reads the registry version the request took
(store/browse_model.py)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import model
from ..domain.codes import Activity, ArrangementKind, CabKind
from . import mapping
from . import models as m


def unions_of_economies(session: Session, economies: Sequence[str]) -> dict[str, list[model.UnionMembership]]:
    result = defaultdict(list)
    query = mapping.current(select(m.UnionMembershipRow), m.UnionMembershipRow).where(
        m.UnionMembershipRow.economy_code.in_(economies))
    order = (m.UnionMembershipRow.union_code, m.UnionMembershipRow.valid_from, m.UnionMembershipRow.id)
    for r in session.scalars(query.order_by(*order)):
        result[r.economy_code].append(
            model.UnionMembership(r.union_code, r.economy_code, r.valid_from, r.valid_to, mapping.provenance(r)))
    return result


def arrangements_by_codes(session: Session, codes: Sequence[str]) -> dict[str, model.Arrangement]:
    """Arrangements without their sectors and activity starts (one query; ``sectors`` and ``activity_starts`` are
    None, "not read"): what a write checks of an arrangement it names."""
    return {
        r.code: model.Arrangement(
            code=r.code, name=r.name, kind=ArrangementKind(r.kind), valid_from=r.valid_from, valid_to=r.valid_to,
            superseded_by=r.superseded_by, superseded_on=r.superseded_on, region=r.region,
            activities=tuple(Activity(a) for a in r.activities), parties=tuple(r.parties),
            sectors=None, hs_prefixes=tuple(r.hs_prefixes),
            excluded_hs_prefixes=tuple(r.excluded_hs_prefixes), activity_starts=None,
            signatory_list_url=r.signatory_list_url, provenance=mapping.provenance(r),
        )
        for r in session.scalars(select(m.ArrangementRow).where(m.ArrangementRow.code.in_(codes)))
    }


def bodies_by_codes(session: Session, codes: Sequence[str]) -> dict[str, model.AccreditationBody]:
    statuses = defaultdict(list)
    query = mapping.current(select(m.SignatoryStatusRow), m.SignatoryStatusRow).where(
        m.SignatoryStatusRow.accreditation_body_code.in_(codes))
    for r in session.scalars(query):
        statuses[r.accreditation_body_code].append(mapping.status_from_row(r))
    return {
        r.code: model.AccreditationBody(
            r.code, r.name, r.economy_code, r.region,
            tuple(sorted(statuses[r.code], key=lambda s: (s.arrangement, s.activity or "", s.standard or "",
                                                         s.valid_from or date.min))),
            r.directory_url, mapping.provenance(r))
        for r in session.scalars(select(m.AccreditationBodyRow).where(m.AccreditationBodyRow.code.in_(codes)))
    }


def cabs_by_codes(session: Session, codes: Sequence[str]) -> dict[str, model.ConformityAssessmentBody]:
    accreditation_rows = session.scalars(mapping.current(select(m.AccreditationRow), m.AccreditationRow).where(
        m.AccreditationRow.cab_code.in_(codes))).all()
    scope = defaultdict(list)
    if accreditation_rows:
        query = select(m.ScopeItemRow).where(m.ScopeItemRow.accreditation_id.in_([a.id for a in accreditation_rows]))
        for s in session.scalars(query.order_by(m.ScopeItemRow.id)):
            scope[s.accreditation_id].append(s)
    accreditations = defaultdict(list)
    for a in sorted(accreditation_rows, key=lambda a: (a.accreditation_body_code, a.number)):
        accreditations[a.cab_code].append(mapping.accreditation_from_row(a, scope[a.id]))
    designations = defaultdict(list)
    query = mapping.current(select(m.DesignationRow), m.DesignationRow).where(m.DesignationRow.cab_code.in_(codes))
    for d in session.scalars(query.order_by(m.DesignationRow.id)):
        designations[d.cab_code].append(mapping.designation_from_row(d))
    competences = defaultdict(list)
    query = mapping.current(select(m.CompetenceRow), m.CompetenceRow).where(m.CompetenceRow.cab_code.in_(codes))
    for x in session.scalars(query.order_by(m.CompetenceRow.id)):
        competences[x.cab_code].append(mapping.competence_from_row(x))
    # the whole CAB, credentials included: a mutation writes back what it read, so what is left out here would be
    # erased by any write to the CAB (its identifier) and recorded wrongly in the change log's "before"
    keys = defaultdict(list)
    query = mapping.current(select(m.VerificationKeyRow), m.VerificationKeyRow).where(
        m.VerificationKeyRow.cab_code.in_(codes))
    for k in session.scalars(query.order_by(m.VerificationKeyRow.key_id)):
        keys[k.cab_code].append(mapping.verification_key_from_row(k))
    status_lists = defaultdict(list)
    query = mapping.current(select(m.StatusListRow), m.StatusListRow).where(m.StatusListRow.cab_code.in_(codes))
    for x in session.scalars(query.order_by(m.StatusListRow.url, m.StatusListRow.purpose)):
        status_lists[x.cab_code].append(mapping.status_list_from_row(x))
    return {
        r.code: model.ConformityAssessmentBody(
            r.code, r.name, r.economy_code, tuple(CabKind(k) for k in r.kinds), tuple(accreditations[r.code]),
            tuple(designations[r.code]), mapping.provenance(r), tuple(competences[r.code]), r.identifier,
            tuple(keys[r.code]), tuple(status_lists[r.code]))
        for r in session.scalars(select(m.CabRow).where(m.CabRow.code.in_(codes)))
    }


def policies_by_codes(session: Session, codes: Sequence[str]) -> dict[str, model.ImportPolicy]:
    query = mapping.current(select(m.ImportPolicyRow), m.ImportPolicyRow).where(m.ImportPolicyRow.code.in_(codes))
    return {r.code: mapping.policy_from_row(r) for r in session.scalars(query)}


def row_versions(session: Session, kind: str, codes: Sequence[str]) -> dict[str, int]:
    """The optimistic-concurrency version of entities, for conflict-safe writes."""
    table = {"AccreditationBody": m.AccreditationBodyRow, "ConformityAssessmentBody": m.CabRow,
             "Arrangement": m.ArrangementRow, "Union": m.UnionRow, "LookalikeBody": m.LookalikeBodyRow,
             "AcceptanceList": m.AcceptanceListRow}.get(kind)
    if table is not None:
        return dict(session.execute(select(table.code, table.row_version).where(table.code.in_(codes))).all())
    versioned = {"ImportPolicy": m.ImportPolicyRow, "CompletenessDeclaration": m.CompletenessDeclarationRow}.get(kind)
    if versioned is not None:
        query = mapping.current(select(versioned.code, versioned.row_version), versioned)
        return dict(session.execute(query.where(versioned.code.in_(codes))).all())
    raise ValueError(kind)
