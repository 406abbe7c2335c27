"""SQLAlchemy 2 tables of the registry. Alembic owns the schema (store/migrations); these declarations are
what ``alembic check`` compares it with.

Dated facts are rows with ``valid_from``/``valid_to`` (inclusive, NULL = open). Nothing is deleted: a fact
that is replaced gets ``retired_version`` set to the registry version that replaced it, and the current
registry is every row whose ``retired_version`` is NULL. Entities with a natural code are updated in place
(their history is in ``change_records``) and carry ``row_version`` for conflict-safe writes.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON, list[Any]: JSON}


class ProvenanceColumns:
    confidence: Mapped[str] = mapped_column(String(16), default="unconfirmed")
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)


class DatedFact(ProvenanceColumns):
    """A fact that holds over an interval and is retired, never deleted, when replaced."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    recorded_version: Mapped[int] = mapped_column(Integer)
    retired_version: Mapped[int | None] = mapped_column(Integer, index=True)


class RegistryState(Base):
    """One row: the registry version, bumped once by every write transaction that changes something."""

    __tablename__ = "registry_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class RegistryVersion(Base):
    __tablename__ = "registry_versions"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(64))
    # as long as the longest request id the HTTP layer accepts (web/middleware.py)
    request_id: Mapped[str | None] = mapped_column(String(128))
    message: Mapped[str | None] = mapped_column(Text)


class ChangeRecord(Base):
    __tablename__ = "change_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[int] = mapped_column(ForeignKey("registry_versions.version"))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_code: Mapped[str] = mapped_column(String(200))
    facet: Mapped[str] = mapped_column(String(200), default="")  # which part changed, e.g. "statuses ILAC_MRA/TESTING"
    action: Mapped[str] = mapped_column(String(16))  # CREATE, UPDATE
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)

    # The feed's order, (version, id), alone and behind each filter, so every page is a range on one index
    # (store/changes.py; migration 0008): the whole log, one kind of entity, one entity.
    __table_args__ = (
        Index("ix_change_records_position", "version", "id"),
        Index("ix_change_records_type_position", "entity_type", "version", "id"),
        Index("ix_change_records_entity_position", "entity_code", "entity_type", "version", "id"),
    )


class Economy(Base):
    __tablename__ = "economies"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class UnionRow(ProvenanceColumns, Base):
    __tablename__ = "unions"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    row_version: Mapped[int] = mapped_column(Integer, default=1)


class UnionMembershipRow(DatedFact, Base):
    __tablename__ = "union_memberships"
    union_code: Mapped[str] = mapped_column(ForeignKey("unions.code"), index=True)
    economy_code: Mapped[str] = mapped_column(ForeignKey("economies.code"), index=True)


class ArrangementRow(ProvenanceColumns, Base):
    __tablename__ = "arrangements"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    superseded_by: Mapped[str | None] = mapped_column(String(64))
    superseded_on: Mapped[date | None] = mapped_column(Date)
    region: Mapped[str | None] = mapped_column(String(32))
    activities: Mapped[list[str]] = mapped_column(JSON, default=list)
    parties: Mapped[list[str]] = mapped_column(JSON, default=list)
    hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    excluded_hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    signatory_list_url: Mapped[str | None] = mapped_column(String(500))
    row_version: Mapped[int] = mapped_column(Integer, default=1)


class ActivityStartRow(ProvenanceColumns, Base):
    """The day an accreditation arrangement began to cover an activity; one current row per (arrangement,
    activity), retired when a document states another."""

    __tablename__ = "arrangement_activity_starts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    arrangement_code: Mapped[str] = mapped_column(ForeignKey("arrangements.code"), index=True)
    activity: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date] = mapped_column(Date)
    recorded_version: Mapped[int] = mapped_column(Integer)
    retired_version: Mapped[int | None] = mapped_column(Integer, index=True)


class SectorRow(ProvenanceColumns, Base):
    """A sector of a government arrangement, with its operations and termination; replaced as a whole."""

    __tablename__ = "sectors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    arrangement_code: Mapped[str] = mapped_column(ForeignKey("arrangements.code"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    excluded_hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    attestation_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    termination: Mapped[Any] = mapped_column(JSON, nullable=True)
    recorded_version: Mapped[int] = mapped_column(Integer)
    retired_version: Mapped[int | None] = mapped_column(Integer, index=True)


class SectorOperationRow(DatedFact, Base):
    __tablename__ = "sector_operations"
    sector_id: Mapped[int] = mapped_column(ForeignKey("sectors.id"), index=True)
    party_a: Mapped[str] = mapped_column(String(16))
    party_b: Mapped[str] = mapped_column(String(16))
    attestation_type: Mapped[str] = mapped_column(String(32))


class AccreditationBodyRow(ProvenanceColumns, Base):
    __tablename__ = "accreditation_bodies"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    economy_code: Mapped[str | None] = mapped_column(ForeignKey("economies.code"), index=True)
    region: Mapped[str | None] = mapped_column(String(32))
    directory_url: Mapped[str | None] = mapped_column(String(500))
    row_version: Mapped[int] = mapped_column(Integer, default=1)


class LookalikeBodyRow(ProvenanceColumns, Base):
    """A body recorded as *not* being an accreditation body (an "accreditation forum")."""

    __tablename__ = "lookalike_bodies"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    economy_code: Mapped[str | None] = mapped_column(ForeignKey("economies.code"), index=True)
    row_version: Mapped[int] = mapped_column(Integer, default=1)


class SignatoryStatusRow(DatedFact, Base):
    __tablename__ = "signatory_statuses"
    accreditation_body_code: Mapped[str] = mapped_column(ForeignKey("accreditation_bodies.code"), index=True)
    arrangement_code: Mapped[str] = mapped_column(ForeignKey("arrangements.code"), index=True)
    activity: Mapped[str | None] = mapped_column(String(40))
    standard: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))
    reported_since: Mapped[str | None] = mapped_column(String(16))


class CabRow(ProvenanceColumns, Base):
    __tablename__ = "cabs"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    economy_code: Mapped[str] = mapped_column(ForeignKey("economies.code"), index=True)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    identifier: Mapped[str | None] = mapped_column(String(500), index=True)  # its credentials' issuer (did:web, https)


class VerificationKeyRow(DatedFact, Base):
    """A CAB's public key for its signed credentials (issue 14): a public JWK by key id, dated, maybe revoked; one
    key id's row is retired and replaced when the key's record changes."""

    __tablename__ = "cab_verification_keys"
    cab_code: Mapped[str] = mapped_column(ForeignKey("cabs.code"), index=True)
    key_id: Mapped[str] = mapped_column(String(500))
    jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    revoked_on: Mapped[date | None] = mapped_column(Date)


class StatusListRow(DatedFact, Base):
    """A W3C Bitstring Status List a CAB publishes, as the registry holds it (issue 14): replaced whole by the next
    upload or fetch of the same URL and purpose (valid_from/valid_to unused: ``as_of`` dates the copy)."""

    __tablename__ = "cab_status_lists"
    cab_code: Mapped[str] = mapped_column(ForeignKey("cabs.code"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    purpose: Mapped[str] = mapped_column(String(32))
    encoded_list: Mapped[str] = mapped_column(Text)
    as_of: Mapped[date] = mapped_column(Date)


class AccreditationRow(DatedFact, Base):
    __tablename__ = "accreditations"
    cab_code: Mapped[str] = mapped_column(ForeignKey("cabs.code"), index=True)
    accreditation_body_code: Mapped[str] = mapped_column(ForeignKey("accreditation_bodies.code"), index=True)
    number: Mapped[str] = mapped_column(String(100))
    activity: Mapped[str] = mapped_column(String(40))
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    suspensions: Mapped[list[Any]] = mapped_column(JSON, default=list)


class ScopeItemRow(Base):
    """A scope item belongs to one accreditation row and is retired with it."""

    __tablename__ = "scope_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    accreditation_id: Mapped[int] = mapped_column(ForeignKey("accreditations.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    identifier: Mapped[str] = mapped_column(String(200), index=True)
    hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    excluded_hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)


class DesignationRow(DatedFact, Base):
    __tablename__ = "designations"
    cab_code: Mapped[str] = mapped_column(ForeignKey("cabs.code"), index=True)
    arrangement_code: Mapped[str] = mapped_column(ForeignKey("arrangements.code"), index=True)
    sector_code: Mapped[str] = mapped_column(String(64))
    for_party: Mapped[str] = mapped_column(String(16))
    attestation_types: Mapped[list[str]] = mapped_column(JSON, default=list)


class CompetenceRow(DatedFact, Base):
    """A regulatory authority's dated competence to issue a kind of official attestation for some HS codes;
    one CAB's competences of one kind are replaced together (their history key is the kind)."""

    __tablename__ = "competences"
    cab_code: Mapped[str] = mapped_column(ForeignKey("cabs.code"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    excluded_hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)


class AcceptanceListRow(ProvenanceColumns, Base):
    """An importing regulator's own list of accepted bodies; updated in place like other coded entities."""

    __tablename__ = "acceptance_lists"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(16), index=True)
    row_version: Mapped[int] = mapped_column(Integer, default=1)


class ListEntryRow(DatedFact, Base):
    """A CAB on an acceptance list for an activity over an interval; its scope items (the document's shape:
    identifier, hsPrefixes, excludedHsPrefixes) are kept with it as JSON and retired with it."""

    __tablename__ = "acceptance_list_entries"
    list_code: Mapped[str] = mapped_column(ForeignKey("acceptance_lists.code"), index=True)
    cab_code: Mapped[str] = mapped_column(ForeignKey("cabs.code"), index=True)
    activity: Mapped[str | None] = mapped_column(String(40))
    scope: Mapped[list[Any]] = mapped_column(JSON, default=list)


class ImportPolicyRow(DatedFact, Base):
    """One version of an import policy; amending it retires this row and records a new one."""

    __tablename__ = "import_policies"
    code: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    importer: Mapped[str] = mapped_column(String(16), index=True)
    hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    excluded_hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    required_type: Mapped[str] = mapped_column(String(32))
    required_tests: Mapped[list[str]] = mapped_column(JSON, default=list)
    routes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    max_age_days: Mapped[int | None] = mapped_column(Integer)
    lot_match: Mapped[bool] = mapped_column(Boolean, default=False)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    # policy model v2 (migration 0005): the columns above are the first requirement; the requirements after it,
    # in policy order, are JSON objects of the registry document's requirement shape (see the migration's note)
    max_age_months: Mapped[int | None] = mapped_column(Integer)
    additional_requirements: Mapped[list[Any]] = mapped_column(JSON, default=list)
    origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    border_checks_percent: Mapped[float | None] = mapped_column(Float)
    border_checks_note: Mapped[str | None] = mapped_column(Text)
    legal_instrument: Mapped[str | None] = mapped_column(String(300))
    legal_reference: Mapped[str | None] = mapped_column(String(500))
    legal_url: Mapped[str | None] = mapped_column(String(500))


class CompletenessDeclarationRow(DatedFact, Base):
    """One version of a completeness declaration (its range columns are those of its kind, the others empty);
    replacing or ending it retires this row and records a new one, as for import policies."""

    __tablename__ = "completeness_declarations"
    code: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    importer: Mapped[str | None] = mapped_column(String(16))
    hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    excluded_hs_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    includes_members: Mapped[bool] = mapped_column(Boolean, default=False)
    arrangement_code: Mapped[str | None] = mapped_column(String(64))
    activities: Mapped[list[str]] = mapped_column(JSON, default=list)
    accreditation_body_code: Mapped[str | None] = mapped_column(String(64))
    sector_code: Mapped[str | None] = mapped_column(String(64))
    party: Mapped[str | None] = mapped_column(String(16))
    acceptance_list: Mapped[str | None] = mapped_column(String(64))
    row_version: Mapped[int] = mapped_column(Integer, default=1)


class ApiToken(Base):
    """A bearer token for writes. Only a keyed digest (HMAC-SHA256 with the server's secret key) is kept:
    the token itself is shown once, when created."""

    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # public id, the token's first part
    digest: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str | None] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_on: Mapped[date | None] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DecisionReceiptRow(Base):
    """A decision recorded through ``clearanceRecord`` (store/receipts.py): written once, never changed, and
    not registry data (recording one does not bump the registry version)."""

    __tablename__ = "decision_receipts"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    registry_version: Mapped[int] = mapped_column(Integer, index=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    input_sha256: Mapped[str] = mapped_column(String(64), index=True)
    input_json: Mapped[str] = mapped_column(Text)  # RFC 8785 canonical JSON of the ClearanceInput
    decision_json: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(128))
    jws: Mapped[str] = mapped_column(Text)
    token_id: Mapped[str | None] = mapped_column(String(32))
