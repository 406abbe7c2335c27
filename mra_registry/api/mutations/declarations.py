"""Record and end completeness declarations (RULES.md, "What the registry knows"). Each is written by the owner of
what it declares complete: an importing regulator for its own importer's IMPORT_POLICIES, the arrangement's
secretariat for its SIGNATORIES, an accreditation body for its own ACCREDITATIONS; ACCREDITATION_BODIES, CABS,
DESIGNATIONS and LIST_ENTRIES have no single owner among the roles, so only administrators write them.
The range is validated as a registry document's is (same messages, same codes)."""
from __future__ import annotations

import dataclasses

import graphene

from ...domain import model
from ...domain.codes import Activity, CompletenessKind
from ...store import declaration_queries
from ...store.tokens import Role
from ...store.writes import apply_entities
from .. import enums
from ..auth import require_any_of
from ..declaration_types import CompletenessDeclaration
from ..errors import DATED, PROVENANCE, WriteRefused
from ..scalars import Date, HsPrefix, PartyCode
from .base import RegistryMutation, Write
from .common import ProvenanceInput, check_version, entity_paths, one, provenance


class CompletenessDeclarationRecordInput(graphene.InputObjectType):
    code = graphene.String(required=True)
    kind = enums.CompletenessKind(required=True)
    valid_from = Date(description="First day it holds; null: open.")
    valid_to = Date(description="Last day it holds; null: open.")
    importer = PartyCode(description="IMPORT_POLICIES (required).")
    hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), description="IMPORT_POLICIES; empty: every code.")
    excluded_hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), description="IMPORT_POLICIES.")
    includes_members = graphene.Boolean(description="IMPORT_POLICIES of a union: it stands for its members too.")
    arrangement = graphene.String(description="SIGNATORIES or DESIGNATIONS (required).")
    activities = graphene.List(graphene.NonNull(enums.Activity), description="SIGNATORIES; empty: every activity.")
    accreditation_body = graphene.String(description="ACCREDITATIONS (required).")
    sector = graphene.String(description="DESIGNATIONS; null: every sector.")
    party = PartyCode(description="DESIGNATIONS; null: both parties.")
    list = graphene.String(description="LIST_ENTRIES (required): the acceptance list's code.")
    expected_version = graphene.Int(description="To replace an existing declaration: its `version` you read.")
    provenance = ProvenanceInput()
    message = graphene.String()


class CompletenessDeclarationEndInput(graphene.InputObjectType):
    code = graphene.String(required=True)
    valid_to = Date(required=True, description="The last day the declaration holds.")
    expected_version = graphene.Int(description="The declaration's `version` you read; a stale one is refused.")
    message = graphene.String()


def owners(declaration: model.CompletenessDeclaration) -> list[tuple[Role, str | None]]:
    """Who, besides an administrator, may write this declaration."""
    if declaration.kind is CompletenessKind.IMPORT_POLICIES:
        return [(Role.IMPORT_REGULATOR, declaration.importer)]
    if declaration.kind is CompletenessKind.SIGNATORIES:
        return [(Role.ARRANGEMENT_SECRETARIAT, declaration.arrangement)]
    if declaration.kind is CompletenessKind.ACCREDITATIONS:
        return [(Role.ACCREDITATION_BODY, declaration.accreditation_body)]
    return []


def _authorize(write: Write, declaration: model.CompletenessDeclaration, verb: str) -> None:
    require_any_of(write.principal, owners(declaration),
                   f"{verb} the {declaration.kind.value} completeness declaration {declaration.code}")


def _code(code: str) -> str:
    if not code or not code.strip() or len(code) > 64 or code != code.strip():
        raise WriteRefused(("input.code", "a code is 1 to 64 characters without surrounding spaces", "INVALID"))
    return code


def _write(write: Write, old: model.CompletenessDeclaration | None, new: model.CompletenessDeclaration) -> dict:
    apply_entities(write.session, write.actor, before=model.Registry(0, declarations=(old,) if old else ()),
                   after=model.Registry(0, declarations=(new,)))
    return {"completeness_declaration": new}


class CompletenessDeclarationRecord(RegistryMutation):
    """Declare that the registry holds every record of a kind within a range; give `expectedVersion` to replace
    the declaration of the same code (its previous version is kept in the history)."""

    class Arguments:
        input = CompletenessDeclarationRecordInput(required=True)

    completeness_declaration = graphene.Field(CompletenessDeclaration)

    paths = entity_paths("completenessDeclarations", DATED | PROVENANCE)

    @classmethod
    def perform(cls, write: Write, data):
        new = model.CompletenessDeclaration(
            code=_code(data["code"]), kind=CompletenessKind(enums.value(data["kind"])),
            valid_from=data.get("valid_from"), valid_to=data.get("valid_to"), importer=data.get("importer"),
            hs_prefixes=tuple(data.get("hs_prefixes") or ()),
            excluded_hs_prefixes=tuple(data.get("excluded_hs_prefixes") or ()),
            includes_members=bool(data.get("includes_members")), arrangement=data.get("arrangement"),
            activities=tuple(Activity(enums.value(a)) for a in data.get("activities") or ()),
            accreditation_body=data.get("accreditation_body"), sector=data.get("sector"), party=data.get("party"),
            acceptance_list=data.get("list"), provenance=provenance(data),
        )
        _authorize(write, new, "record")
        old = declaration_queries.declarations_by_codes(write.session, [new.code]).get(new.code)
        expected = data.get("expected_version")
        if old is None and expected is not None:
            raise WriteRefused(("input.code", f"no completeness declaration {new.code!r} to replace", "NOT_FOUND"))
        if old is not None:
            _authorize(write, old, "replace")
            if expected is None:
                raise WriteRefused(("input.code", f"a completeness declaration {new.code!r} already exists: give "
                                                  "its version as expectedVersion to replace it", "ALREADY_EXISTS"))
            check_version(write.session, "CompletenessDeclaration", new.code, expected)
        return _write(write, old, new)


class CompletenessDeclarationEnd(RegistryMutation):
    """End a completeness declaration on a last day: after it, the absence of a record is unknown again."""

    class Arguments:
        input = CompletenessDeclarationEndInput(required=True)

    completeness_declaration = graphene.Field(CompletenessDeclaration)

    paths = entity_paths("completenessDeclarations", DATED | PROVENANCE)

    @classmethod
    def perform(cls, write: Write, data):
        old = one(write.session, declaration_queries.declarations_by_codes, data["code"], "completeness declaration",
                  "input.code")
        _authorize(write, old, "end")
        if data.get("expected_version") is not None:
            check_version(write.session, "CompletenessDeclaration", old.code, data["expected_version"])
        last_day = data["valid_to"]
        if old.valid_to is not None and old.valid_to <= last_day:
            raise WriteRefused(("input.validTo", f"it already ends on {old.valid_to}", "INVALID_TRANSITION"))
        return _write(write, old, dataclasses.replace(old, valid_to=last_day))
