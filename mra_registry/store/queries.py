"""Read queries for registry browsing. Each batch function takes many codes and costs a fixed number of SQL
queries, whatever the number of codes (the API's dataloaders call them once per batch)."""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from sqlalchemy import Boolean, Select, Text, and_, bindparam, cast, func, not_, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.orm import Session

from ..domain import model
from ..domain.codes import Activity, ArrangementKind, CabKind
from . import mapping
from . import models as m


class _SuspendedOn(ColumnElement):
    """True when one of an accreditation row's suspensions (a JSON list of {from, to}, ISO dates, both
    inclusive) holds on ``day``: written per dialect, since SQLite and PostgreSQL unnest JSON differently."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, column, day: date):
        self.column = column
        self.day = day.isoformat()


# How each dialect unnests a JSON list (as rows `s`) and reads a key of one element.
_JSON_LIST = {
    "sqlite": ("json_each({column})", "json_extract(s.value, '$.{key}')"),
    "postgresql": ("json_array_elements({column})", "(s.value ->> '{key}')"),
}


@compiles(_SuspendedOn, "sqlite")
@compiles(_SuspendedOn, "postgresql")
def _suspended_on(element, compiler, **kw):
    unnest, read = _JSON_LIST[compiler.dialect.name]
    column, day = compiler.process(element.column, **kw), compiler.process(bindparam(None, element.day), **kw)
    start, end = read.format(key="from"), read.format(key="to")
    return (f"EXISTS (SELECT 1 FROM {unnest.format(column=column)} AS s WHERE ({start} IS NULL OR {start} <= {day}) "
            f"AND ({end} IS NULL OR {end} >= {day}))")


def _accreditation_active_on(day: date | None):
    """As model.Accreditation.active_on: in its validity, not withdrawn, not suspended that day."""
    a = m.AccreditationRow
    if day is None:
        return True
    return and_(_holds_on(a, day), or_(a.withdrawn_on.is_(None), a.withdrawn_on > day),
                not_(_SuspendedOn(a.suspensions, day)))


def _holds_on(row_class, day: date | None):
    if day is None:
        return True
    return and_(or_(row_class.valid_from.is_(None), row_class.valid_from <= day),
                or_(row_class.valid_to.is_(None), row_class.valid_to >= day))


def economies_by_codes(session: Session, codes: Sequence[str]) -> dict[str, m.Economy]:
    return {e.code: e for e in session.scalars(select(m.Economy).where(m.Economy.code.in_(codes)))}


def unions_by_codes(session: Session, codes: Sequence[str]) -> dict[str, model.Union]:
    memberships = defaultdict(list)
    query = mapping.current(select(m.UnionMembershipRow), m.UnionMembershipRow).where(
        m.UnionMembershipRow.union_code.in_(codes))
    for r in session.scalars(query):
        memberships[r.union_code].append(
            model.UnionMembership(r.union_code, r.economy_code, r.valid_from, r.valid_to, mapping.provenance(r)))
    return {
        r.code: model.Union(r.code, r.name, tuple(sorted(memberships[r.code], key=lambda x: (x.economy, x.valid_from or date.min))),
                            mapping.provenance(r))
        for r in session.scalars(select(m.UnionRow).where(m.UnionRow.code.in_(codes)))
    }


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
    """Arrangements without their sectors (one query): browsing asks for an arrangement's code or name far more
    often than for its sectors. ``sectors`` and ``activity_starts`` are None, meaning "not loaded": the API resolves
    them (`sectors_of_arrangements`, `activity_starts_of_arrangements`) only when they are selected."""
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


def sectors_of_arrangements(session: Session, codes: Sequence[str]) -> dict[str, list[model.Sector]]:
    """The current sectors of many arrangements (one query), by code, without their operations: ``operations``
    is None ("not loaded"), resolved through `operations_of_sectors` only when selected."""
    result = defaultdict(list)
    query = mapping.current(select(m.SectorRow), m.SectorRow).where(m.SectorRow.arrangement_code.in_(codes))
    for s in session.scalars(query.order_by(m.SectorRow.arrangement_code, m.SectorRow.code)):
        result[s.arrangement_code].append(dataclasses.replace(mapping.sector_from_rows(s, ()), operations=None))
    return result


def operations_of_sectors(session: Session, keys: Sequence[tuple[str, str]]
                          ) -> dict[tuple[str, str], list[model.SectorOperation]]:
    """The current operations of many sectors (one query), keyed by (arrangement code, sector code)."""
    wanted = set(keys)
    query = (mapping.current(select(m.SectorRow), m.SectorRow)
             .where(m.SectorRow.arrangement_code.in_({arrangement for arrangement, _ in wanted})))
    sectors = query.subquery()
    operations = (mapping.current(select(m.SectorOperationRow, sectors.c.arrangement_code, sectors.c.code),
                                  m.SectorOperationRow)
                  .join(sectors, m.SectorOperationRow.sector_id == sectors.c.id)
                  .order_by(m.SectorOperationRow.id))
    result = defaultdict(list)
    for row, arrangement, code in session.execute(operations):
        if (arrangement, code) in wanted:
            result[(arrangement, code)].append(mapping.operation_from_row(row))
    return result


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


# -- lists: a page of codes plus, when asked, the total ------------------------------------------------
@dataclass(frozen=True)
class Page:
    codes: list[str]
    has_next: bool


def page(session: Session, query: Select, code_column, offset: int, limit: int) -> Page:
    codes = list(session.scalars(query.with_only_columns(code_column).distinct().order_by(code_column)
                                 .offset(offset).limit(limit + 1)))
    return Page(codes[:limit], len(codes) > limit)


def count(session: Session, query: Select, code_column) -> int:
    inner = query.with_only_columns(code_column).distinct().subquery()
    return session.execute(select(func.count()).select_from(inner)).scalar_one()


def economies_query(search: str | None = None) -> tuple[Select, object]:
    query = select(m.Economy)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(func.lower(m.Economy.name).like(pattern), func.lower(m.Economy.code) == search.lower()))
    return query, m.Economy.code


def unions_query() -> tuple[Select, object]:
    return select(m.UnionRow), m.UnionRow.code


def arrangements_query(kind: str | None = None, party: str | None = None) -> tuple[Select, object]:
    query = select(m.ArrangementRow)
    if kind:
        query = query.where(m.ArrangementRow.kind == kind)
    if party:
        # parties is a JSON list; compare on its text form, which both SQLite and PostgreSQL can do
        query = query.where(cast(m.ArrangementRow.parties, Text).like(f'%"{party}"%'))
    return query, m.ArrangementRow.code


def bodies_query(economy: str | None = None, arrangement: str | None = None, activity: str | None = None,
                 status: str | None = None, as_of: date | None = None) -> tuple[Select, object]:
    query = select(m.AccreditationBodyRow)
    if economy:
        query = query.where(m.AccreditationBodyRow.economy_code == economy)
    if arrangement or activity or status or as_of:
        status_row = m.SignatoryStatusRow
        conditions = [status_row.retired_version.is_(None), _holds_on(status_row, as_of)]
        if arrangement:
            conditions.append(status_row.arrangement_code == arrangement)
        if activity:
            conditions.append(status_row.activity == activity)
        if status:
            conditions.append(status_row.status == status)
        query = query.join(status_row, status_row.accreditation_body_code == m.AccreditationBodyRow.code).where(*conditions)
    return query, m.AccreditationBodyRow.code


def cabs_query(economy: str | None = None, kind: str | None = None, accreditation_body: str | None = None,
               activity: str | None = None, as_of: date | None = None) -> tuple[Select, object]:
    query = select(m.CabRow)
    if economy:
        query = query.where(m.CabRow.economy_code == economy)
    if kind:
        query = query.where(cast(m.CabRow.kinds, Text).like(f'%"{kind}"%'))
    if accreditation_body or activity or as_of:
        a = m.AccreditationRow
        conditions = [a.retired_version.is_(None), _accreditation_active_on(as_of)]
        if accreditation_body:
            conditions.append(a.accreditation_body_code == accreditation_body)
        if activity:
            conditions.append(a.activity == activity)
        query = query.join(a, a.cab_code == m.CabRow.code).where(*conditions)
    return query, m.CabRow.code


def policies_query(importer: Iterable[str] | None = None, as_of: date | None = None,
                   hs_code: str | None = None) -> tuple[Select, object]:
    query = mapping.current(select(m.ImportPolicyRow), m.ImportPolicyRow)
    if importer:
        query = query.where(m.ImportPolicyRow.importer.in_(list(importer)))
    if as_of:
        query = query.where(_holds_on(m.ImportPolicyRow, as_of))
    if hs_code:
        # covering the code and not excluding it, both in SQL: a filter applied after paging would leave
        # short or empty pages and a totalCount that counts policies the page leaves out
        prefixes = [hs_code[:n] for n in range(2, len(hs_code) + 1)]
        query = query.where(policy_covers_any(prefixes), ~_json_list_has_any(m.ImportPolicyRow.excluded_hs_prefixes,
                                                                             prefixes))
    return query, m.ImportPolicyRow.code


def signatory_statuses(session: Session, arrangements: Sequence[str], activity: str | None,
                       as_of: date | None) -> dict[str, list[model.SignatoryStatusRecord]]:
    """Current status records of many arrangements at once (for Arrangement.signatories)."""
    row = m.SignatoryStatusRow
    query = mapping.current(select(row), row).where(row.arrangement_code.in_(arrangements), _holds_on(row, as_of))
    if activity:
        query = query.where(row.activity == activity)
    result = defaultdict(list)
    for r in session.scalars(query.order_by(row.accreditation_body_code, row.activity, row.standard, row.valid_from,
                                            row.id)):
        result[r.arrangement_code].append(mapping.status_from_row(r))
    return result


def change_records(session: Session, entity_type: str | None, entity_code: str | None, since_version: int | None,
                   offset: int, limit: int) -> tuple[list[tuple[m.ChangeRecord, m.RegistryVersion]], bool]:
    query = select(m.ChangeRecord, m.RegistryVersion).join(
        m.RegistryVersion, m.RegistryVersion.version == m.ChangeRecord.version)
    if entity_type:
        query = query.where(m.ChangeRecord.entity_type == entity_type)
    if entity_code:
        query = query.where(m.ChangeRecord.entity_code == entity_code)
    if since_version is not None:
        query = query.where(m.ChangeRecord.version > since_version)
    rows = session.execute(query.order_by(m.ChangeRecord.id.desc()).offset(offset).limit(limit + 1)).all()
    return [tuple(r) for r in rows[:limit]], len(rows) > limit


def change_records_count(session: Session, entity_type: str | None, entity_code: str | None,
                         since_version: int | None) -> int:
    query = select(func.count()).select_from(m.ChangeRecord)
    if entity_type:
        query = query.where(m.ChangeRecord.entity_type == entity_type)
    if entity_code:
        query = query.where(m.ChangeRecord.entity_code == entity_code)
    if since_version is not None:
        query = query.where(m.ChangeRecord.version > since_version)
    return session.execute(query).scalar_one()


def policy_covers_any(prefixes: Sequence[str]):
    """Policies listing one of these HS prefixes (the JSON list is compared on its text form, portably)."""
    return _json_list_has_any(m.ImportPolicyRow.hs_prefixes, prefixes)


def _json_list_has_any(column, values: Sequence[str]):
    text = cast(column, Text)
    return or_(*(text.like(f'%"{v}"%') for v in values))
