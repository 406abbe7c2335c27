"""Apply registry documents: validate everything first, then write in one transaction (all or nothing).

For each entity a document names, its scalar fields are set and each dated history it lists replaces the
current history for that key only; replaced rows are retired, not deleted. The comparison is made on the
canonical document form, so a document that says what the registry already holds changes nothing."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..domain import model
from ..domain.codes import Activity, ArrangementKind
from ..interchange import credentials as credential_documents
from ..interchange import writer
from ..interchange.merging import merge_documents
from ..interchange.problems import DocumentInvalid
from ..interchange.parsed import KnownCodes, ParsedDocument
from ..interchange.reader import decode, read_documents
from ..interchange.requirements import entry_key
from . import mapping
from . import models as m
from .changes import CLI_OPERATOR, Actor, ChangeLog
from .fixture_guard import fixture_overwrites
from .lengths import text_problems

T = TypeVar("T")


@dataclass(frozen=True)
class LoadResult:
    version: int  # the registry version after the load
    changed: bool
    changes: int  # change records written


def lock_registry(session: Session) -> None:
    """Take the registry's write lock before reading what a write depends on: a no-op update of the state
    row (a row lock on PostgreSQL, the write lock on SQLite). Writers queue here, so a check of an expected
    version and the write that follows cannot be interleaved with another writer."""
    session.execute(update(m.RegistryState).where(m.RegistryState.id == 1).values(version=m.RegistryState.version))


def known_codes(session: Session) -> KnownCodes:
    known = KnownCodes()
    known.unions = set(session.scalars(select(m.UnionRow.code)))
    for code, kind, parties in session.execute(select(m.ArrangementRow.code, m.ArrangementRow.kind, m.ArrangementRow.parties)):
        known.arrangements[code] = ArrangementKind(kind)
        known.arrangement_parties[code] = set(parties)
    for arrangement, code in session.execute(
        mapping.current(select(m.SectorRow.arrangement_code, m.SectorRow.code), m.SectorRow)
    ):
        known.sectors.setdefault(arrangement, set()).add(code)
    for code, activities in session.execute(select(m.ArrangementRow.code, m.ArrangementRow.activities)):
        known.arrangement_activities[code] = {Activity(a) for a in activities}
    known.accreditation_bodies = set(session.scalars(select(m.AccreditationBodyRow.code)))
    known.cabs = set(session.scalars(select(m.CabRow.code)))
    known.lookalike_bodies = set(session.scalars(select(m.LookalikeBodyRow.code)))
    known.acceptance_lists = set(session.scalars(select(m.AcceptanceListRow.code)))
    return known


def load_files(session: Session, paths: Sequence[str], actor: Actor = CLI_OPERATOR, *,
               allow_fixture_overwrite: bool = False) -> LoadResult:
    named = []
    for path in paths:
        with open(path, "rb") as handle:
            named.append((str(path), decode(str(path), handle.read())))
    return load_documents(session, named, actor, allow_fixture_overwrite=allow_fixture_overwrite)


def load_documents(session: Session, named_data: Sequence[tuple[str, Any]], actor: Actor = CLI_OPERATOR,
                   current: model.Registry | None = None, *, allow_fixture_overwrite: bool = False) -> LoadResult:
    """Validate then apply, inside the caller's transaction: the caller commits, or rolls back on error.

    ``current`` lets a single-entity write pass just the entities it touches instead of the whole registry.
    A `fixture` record that would replace a real one refuses the whole load (FIXTURE_OVERWRITE) unless
    ``allow_fixture_overwrite`` (for tests that build such a registry on purpose)."""
    lock_registry(session)
    overlong = [problem for name, data in named_data for problem in text_problems(name, data)]
    try:
        parsed = read_documents(named_data, known_codes(session))
    except DocumentInvalid as invalid:
        raise DocumentInvalid(overlong + invalid.problems) from None
    if overlong:
        raise DocumentInvalid(overlong)
    registry = current if current is not None else mapping.read_registry(session)
    if not allow_fixture_overwrite:
        refused = fixture_overwrites(registry, parsed)
        if refused:
            raise DocumentInvalid(refused)
    log = ChangeLog(session, actor)
    # several documents are folded first, so the registry is compared once with their combined effect
    _Applier(session, log, registry).apply(merge_documents(parsed))
    session.flush()
    return LoadResult(mapping.registry_version(session), log.changed, log.changes)


def _history(items: Iterable[T], key: Callable[[T], Any], canonical: Callable[[T], Any]) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = {}
    for item in items:
        grouped.setdefault(key(item), []).append(canonical(item))
    for value in grouped.values():
        value.sort(key=lambda c: (c.get("from") or "", repr(c)))
    return grouped


def _status_json(s: model.SignatoryStatusRecord) -> dict[str, Any]:
    return writer.accreditation_body(model.AccreditationBody("", "", None, statuses=(s,)))["statuses"][0]


def _membership_json(x: model.UnionMembership) -> dict[str, Any]:
    return writer.union(model.Union("", "", memberships=(x,)))["memberships"][0]


def _designation_json(d: model.Designation) -> dict[str, Any]:
    return writer.cab(model.ConformityAssessmentBody("", "", "", (), designations=(d,)))["designations"][0]


class _Applier:
    def __init__(self, session: Session, log: ChangeLog, current: model.Registry):
        self.session = session
        self.log = log
        self.unions = {u.code: u for u in current.unions}
        self.arrangements = {a.code: a for a in current.arrangements}
        self.bodies = {b.code: b for b in current.accreditation_bodies}
        self.cabs = {c.code: c for c in current.cabs}
        self.policies = {p.code: p for p in current.policies}
        self.lookalikes = {b.code: b for b in current.lookalike_bodies}
        self.declarations = {d.code: d for d in current.declarations}
        self.acceptance_lists = {x.code: x for x in current.acceptance_lists}

    def apply(self, document: ParsedDocument) -> None:
        for union in document.unions:
            self.union(union)
        for arrangement in document.arrangements:
            self.arrangement(arrangement)
        for body in document.accreditation_bodies:
            self.accreditation_body(body)
        for cab in document.cabs:
            self.cab(cab)
        for acceptance_list in document.acceptance_lists:
            self.acceptance_list(acceptance_list)
        for policy in document.policies:
            self.policy(policy)
        for lookalike in document.lookalike_bodies:
            self.lookalike(lookalike)
        for declaration in document.declarations:
            self.declaration(declaration)

    # -- shared mechanics -------------------------------------------------------------------------------
    def _scalars(self, kind: str, row_class: type, code: str, new: dict[str, Any], old: dict[str, Any] | None,
                 columns: dict[str, Any]) -> None:
        if old is None:
            self.log.record(kind, code, "CREATE", None, new)
            self.session.add(row_class(code=code, **columns))
        elif old != new:
            self.log.record(kind, code, "UPDATE", old, new)
            row = self.session.get(row_class, code)
            for name, value in columns.items():
                setattr(row, name, value)
            row.row_version += 1

    def _histories(self, kind: str, code: str, facet: str, new: dict[Any, list], old: dict[Any, list],
                   retire: Callable[[Any], None], insert: Callable[[Any], None], owner: type) -> None:
        for key, items in new.items():
            before = old.get(key)
            if before == items:
                continue
            if before is not None:
                retire(key)
            insert(key)
            label = f"{facet} {'/'.join('-' if k is None else str(k) for k in (key if isinstance(key, tuple) else (key,)))}"
            self.log.record(kind, code, "UPDATE" if before else "CREATE", before, items, facet=label)
            if old:  # a new entity starts at row_version 1 whatever it holds
                self._touch(owner, code)

    def _touch(self, row_class: type, code: str) -> None:
        """A change to any part of an entity moves its row_version: expected-version checks cover histories too."""
        self.session.execute(update(row_class).where(row_class.code == code)
                             .values(row_version=row_class.row_version + 1))

    def _retire(self, row_class: type, *conditions) -> None:
        self.session.execute(
            update(row_class).where(row_class.retired_version.is_(None), *conditions)
            .values(retired_version=self.log.version)
        )

    @staticmethod
    def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k not in keys}

    # -- entities ---------------------------------------------------------------------------------------
    def union(self, new: model.Union) -> None:
        old = self.unions.get(new.code)
        self._scalars("Union", m.UnionRow, new.code, self._without(writer.union(new), "memberships"),
                      self._without(writer.union(old), "memberships") if old else None,
                      dict(name=new.name, **mapping.provenance_columns(new.provenance)))
        self.session.flush()
        by_key = lambda x: x.economy  # noqa: E731
        new_h = _history(new.memberships, by_key, _membership_json)
        old_h = _history(old.memberships if old else (), by_key, _membership_json)
        self._histories(
            "Union", new.code, "memberships", new_h, old_h,
            retire=lambda economy: self._retire(m.UnionMembershipRow, m.UnionMembershipRow.union_code == new.code,
                                                m.UnionMembershipRow.economy_code == economy),
            insert=lambda economy: self.session.add_all(
                mapping.union_membership_row(x, self.log.version) for x in new.memberships if x.economy == economy),
            owner=m.UnionRow,
        )

    def arrangement(self, new: model.Arrangement) -> None:
        old = self.arrangements.get(new.code)
        scalars = lambda a: self._without(writer.arrangement(a), "sectors", "activityStarts")  # noqa: E731
        self._scalars("Arrangement", m.ArrangementRow, new.code, scalars(new), scalars(old) if old else None,
                      mapping.arrangement_columns(new))
        self.session.flush()
        by_activity = lambda s: s.activity.value  # noqa: E731
        start_row = m.ActivityStartRow
        self._histories(
            "Arrangement", new.code, "activityStarts",
            _history(new.activity_starts or (), by_activity, writer.activity_start),
            _history((old.activity_starts or ()) if old else (), by_activity, writer.activity_start),
            retire=lambda activity: self._retire(start_row, start_row.arrangement_code == new.code,
                                                 start_row.activity == activity),
            insert=lambda activity: self.session.add_all(
                mapping.activity_start_row(new.code, s, self.log.version)
                for s in new.activity_starts if s.activity.value == activity),
            owner=m.ArrangementRow,
        )
        old_sectors = {s.code: writer.sector(s) for s in (old.sectors if old else ())}
        for sector in new.sectors:
            after = writer.sector(sector)
            before = old_sectors.get(sector.code)
            if before == after:
                continue
            if before is not None:
                retired = self.session.scalars(mapping.current(select(m.SectorRow.id), m.SectorRow).where(
                    m.SectorRow.arrangement_code == new.code, m.SectorRow.code == sector.code)).all()
                self._retire(m.SectorRow, m.SectorRow.id.in_(retired))
                self._retire(m.SectorOperationRow, m.SectorOperationRow.sector_id.in_(retired))
            row, operations = mapping.sector_rows(sector, self.log.version)
            self.session.add(row)
            self.session.flush()
            for operation in operations:
                operation.sector_id = row.id
            self.session.add_all(operations)
            self.log.record("Arrangement", new.code, "UPDATE" if before else "CREATE", before, after,
                            facet=f"sector {sector.code}")
            if old:
                self._touch(m.ArrangementRow, new.code)

    def accreditation_body(self, new: model.AccreditationBody) -> None:
        old = self.bodies.get(new.code)
        self._scalars("AccreditationBody", m.AccreditationBodyRow, new.code,
                      self._without(writer.accreditation_body(new), "statuses"),
                      self._without(writer.accreditation_body(old), "statuses") if old else None,
                      mapping.accreditation_body_columns(new))
        self.session.flush()
        key = lambda s: (s.arrangement, s.activity.value if s.activity else None, s.standard)  # noqa: E731
        row = m.SignatoryStatusRow
        self._histories(
            "AccreditationBody", new.code, "statuses",
            _history(new.statuses, key, _status_json), _history(old.statuses if old else (), key, _status_json),
            retire=lambda k: self._retire(
                row, row.accreditation_body_code == new.code, row.arrangement_code == k[0],
                row.activity.is_(None) if k[1] is None else row.activity == k[1],
                row.standard.is_(None) if k[2] is None else row.standard == k[2]),
            insert=lambda k: self.session.add_all(
                mapping.status_row(s, self.log.version) for s in new.statuses if key(s) == k),
            owner=m.AccreditationBodyRow,
        )

    def cab(self, new: model.ConformityAssessmentBody) -> None:
        old = self.cabs.get(new.code)
        scalars = lambda c: self._without(writer.cab(c), "accreditations", "designations", "competences",  # noqa: E731
                                          "verificationKeys", "statusLists")
        self._scalars("ConformityAssessmentBody", m.CabRow, new.code, scalars(new), scalars(old) if old else None,
                      mapping.cab_columns(new))
        self.session.flush()
        old_accreditations = {(a.accreditation_body, a.number): writer.accreditation(a)
                              for a in (old.accreditations if old else ())}
        for accreditation in new.accreditations:
            key = (accreditation.accreditation_body, accreditation.number)
            after, before = writer.accreditation(accreditation), old_accreditations.get(key)
            if before == after:
                continue
            if before is not None:
                self._retire(m.AccreditationRow, m.AccreditationRow.cab_code == new.code,
                             m.AccreditationRow.accreditation_body_code == key[0], m.AccreditationRow.number == key[1])
            row, scope = mapping.accreditation_rows(accreditation, self.log.version)
            self.session.add(row)
            self.session.flush()
            for item in scope:
                item.accreditation_id = row.id
            self.session.add_all(scope)
            self.log.record("ConformityAssessmentBody", new.code, "UPDATE" if before else "CREATE", before, after,
                            facet=f"accreditation {key[0]}/{key[1]}")
            if old:
                self._touch(m.CabRow, new.code)
        key = lambda d: (d.arrangement, d.sector, d.for_party)  # noqa: E731
        row = m.DesignationRow
        self._histories(
            "ConformityAssessmentBody", new.code, "designations",
            _history(new.designations, key, _designation_json),
            _history(old.designations if old else (), key, _designation_json),
            retire=lambda k: self._retire(row, row.cab_code == new.code, row.arrangement_code == k[0],
                                          row.sector_code == k[1], row.for_party == k[2]),
            insert=lambda k: self.session.add_all(
                mapping.designation_row(d, self.log.version) for d in new.designations if key(d) == k),
            owner=m.CabRow,
        )
        by_kind = lambda x: x.kind.value  # noqa: E731
        competence = m.CompetenceRow
        self._histories(
            "ConformityAssessmentBody", new.code, "competences",
            _history(new.competences, by_kind, writer.competence),
            _history(old.competences if old else (), by_kind, writer.competence),
            retire=lambda k: self._retire(competence, competence.cab_code == new.code, competence.kind == k),
            insert=lambda k: self.session.add_all(
                mapping.competence_row(x, self.log.version) for x in new.competences if by_kind(x) == k),
            owner=m.CabRow,
        )
        self.cab_credentials(new, old)

    def cab_credentials(self, new: model.ConformityAssessmentBody, old: model.ConformityAssessmentBody | None) -> None:
        """Its verification keys (by key id) and status lists (by URL and purpose), each replaced as one history."""
        key_row, list_row = m.VerificationKeyRow, m.StatusListRow
        by_id = lambda k: k.key_id  # noqa: E731
        self._histories(
            "ConformityAssessmentBody", new.code, "verificationKeys",
            _history(new.verification_keys, by_id, credential_documents.key_json),
            _history(old.verification_keys if old else (), by_id, credential_documents.key_json),
            retire=lambda k: self._retire(key_row, key_row.cab_code == new.code, key_row.key_id == k),
            insert=lambda k: self.session.add_all(
                mapping.verification_key_row(x, self.log.version) for x in new.verification_keys if by_id(x) == k),
            owner=m.CabRow,
        )
        by_url = lambda x: (x.url, x.purpose)  # noqa: E731
        self._histories(
            "ConformityAssessmentBody", new.code, "statusLists",
            _history(new.status_lists, by_url, credential_documents.status_list_json),
            _history(old.status_lists if old else (), by_url, credential_documents.status_list_json),
            retire=lambda k: self._retire(list_row, list_row.cab_code == new.code, list_row.url == k[0],
                                          list_row.purpose == k[1]),
            insert=lambda k: self.session.add_all(
                mapping.status_list_row(x, self.log.version) for x in new.status_lists if by_url(x) == k),
            owner=m.CabRow,
        )

    def acceptance_list(self, new: model.AcceptanceList) -> None:
        """Its own fields in place (as a CAB's); each CAB and activity's entries replaced as one history."""
        old = self.acceptance_lists.get(new.code)
        scalars = lambda x: self._without(writer.acceptance_list(x), "entries")  # noqa: E731
        self._scalars("AcceptanceList", m.AcceptanceListRow, new.code, scalars(new), scalars(old) if old else None,
                      mapping.acceptance_list_columns(new))
        self.session.flush()
        entry = m.ListEntryRow
        self._histories(
            "AcceptanceList", new.code, "entries",
            _history(new.entries, entry_key, writer.list_entry),
            _history(old.entries if old else (), entry_key, writer.list_entry),
            retire=lambda k: self._retire(entry, entry.list_code == new.code, entry.cab_code == k[0],
                                          entry.activity.is_(None) if k[1] is None else entry.activity == k[1]),
            insert=lambda k: self.session.add_all(
                mapping.list_entry_row(e, self.log.version) for e in new.entries if entry_key(e) == k),
            owner=m.AcceptanceListRow,
        )

    def policy(self, new: model.ImportPolicy) -> None:
        old = self.policies.get(new.code)
        after = writer.policy(new)
        before = writer.policy(old) if old else None
        if before == after:
            return
        row_version = 1
        if old is not None:
            current_row = self.session.scalars(mapping.current(select(m.ImportPolicyRow), m.ImportPolicyRow)
                                               .where(m.ImportPolicyRow.code == new.code)).one()
            row_version = current_row.row_version + 1
            self._retire(m.ImportPolicyRow, m.ImportPolicyRow.code == new.code)
        self.session.add(mapping.policy_row(new, self.log.version, row_version))
        self.log.record("ImportPolicy", new.code, "UPDATE" if before else "CREATE", before, after)

    def lookalike(self, new: model.LookalikeBody) -> None:
        old = self.lookalikes.get(new.code)
        self._scalars("LookalikeBody", m.LookalikeBodyRow, new.code, writer.lookalike_body(new),
                      writer.lookalike_body(old) if old else None, mapping.lookalike_columns(new))

    def declaration(self, new: model.CompletenessDeclaration) -> None:
        """Replaced whole, as a policy is: the previous version is retired, never deleted."""
        old = self.declarations.get(new.code)
        after = writer.declaration(new)
        before = writer.declaration(old) if old else None
        if before == after:
            return
        row = m.CompletenessDeclarationRow
        row_version = 1
        if old is not None:
            current_row = self.session.scalars(mapping.current(select(row), row).where(row.code == new.code)).one()
            row_version = current_row.row_version + 1
            self._retire(row, row.code == new.code)
        self.session.add(mapping.declaration_row(new, self.log.version, row_version))
        self.log.record("CompletenessDeclaration", new.code, "UPDATE" if before else "CREATE", before, after)
