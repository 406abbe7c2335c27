"""Importers' acceptance lists and regulatory authorities' competences (RULES.md step 7: the LIST and
OFFICIAL_CERTIFICATE routes).

An acceptance list is written by its owner's importing regulator (an IMPORT_REGULATOR token scoped to the list's
owner, the economy or union whose list it is) or an administrator: the same owner as the importer's policies.
A competence says an exporting economy's authority may sign official certificates for some goods: no role of
the registry speaks for that authority (an accreditation body may register a CAB, but must not be able to make
any body a competent authority), so only administrators record and end competences."""
from __future__ import annotations

import dataclasses
from datetime import date

import graphene

from ...domain import model
from ...domain.codes import Activity, CompetenceKind
from ...domain.intervals import holds_on, overlaps
from ...interchange import writer
from ...store import queries, requirement_queries
from ...store.tokens import Role
from ...store.writes import apply_entities
from .. import enums
from ..auth import require
from ..errors import WriteRefused
from ..registry_types import ConformityAssessmentBody
from ..requirement_types import AcceptanceList
from ..scalars import Date, HsPrefix, PartyCode
from .accreditations import ScopeItemInput, _scope
from .base import RegistryMutation, Write
from .common import ProvenanceInput, check_version, entity_paths, item_paths, one, provenance, rendered_index


def _code(code: str) -> str:
    if not code or not code.strip() or len(code) > 64 or code != code.strip():
        raise WriteRefused(("input.code", "a code is 1 to 64 characters without surrounding spaces", "INVALID"))
    return code


# -- acceptance lists ---------------------------------------------------------------------------------------
class AcceptanceListCreateInput(graphene.InputObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    owner = PartyCode(required=True, description="The importing economy or union whose regulator keeps the list.")
    provenance = ProvenanceInput()
    message = graphene.String()


class ListEntryKeyFields:
    list = graphene.String(required=True, description="The acceptance list's code.")
    cab = graphene.String(required=True, description="The code of the body on the list.")
    activity = enums.Activity(description="The activity it is accepted for; null where the list does not say.")
    expected_version = graphene.Int(required=True, description="The list's `version` you read.")
    message = graphene.String()


class AcceptanceListEntryRecordInput(ListEntryKeyFields, graphene.InputObjectType):
    scope = graphene.List(graphene.NonNull(ScopeItemInput), description="What it is accepted for (methods and "
                          "products, matched as an accreditation's scope); none: nothing to match a test against.")
    valid_from = Date(required=True)
    valid_to = Date()
    provenance = ProvenanceInput()


class AcceptanceListEntryEndInput(ListEntryKeyFields, graphene.InputObjectType):
    valid_to = Date(required=True, description="The last day the body is on the list.")


def _list(write: Write, code: str, verb: str) -> model.AcceptanceList:
    found = one(write.session, requirement_queries.acceptance_lists_by_codes, code, "acceptance list", "input.list")
    require(write.principal, Role.IMPORT_REGULATOR, found.owner, f"{verb} {found.owner}'s acceptance list {code}")
    return found


def _write_list(write: Write, old: model.AcceptanceList | None, new: model.AcceptanceList,
                entry: model.ListEntry | None = None) -> dict:
    """Write the list; the input is the list itself, or (``entry``) one of its entries."""
    if entry is not None:
        write.paths = lambda: item_paths("acceptanceLists", "list", "entries", rendered_index(
            writer.acceptance_list, new, "entries", "entries", entry))
    apply_entities(write.session, write.actor, before=model.Registry(0, acceptance_lists=(old,) if old else ()),
                   after=model.Registry(0, acceptance_lists=(new,)))
    return {"acceptance_list": new}


class AcceptanceListCreate(RegistryMutation):
    """Record an importer's own list of accepted bodies (its regulator, or an administrator)."""

    class Arguments:
        input = AcceptanceListCreateInput(required=True)

    acceptance_list = graphene.Field(AcceptanceList)

    paths = entity_paths("acceptanceLists")

    @classmethod
    def perform(cls, write: Write, data):
        require(write.principal, Role.IMPORT_REGULATOR, data["owner"], f"keep {data['owner']}'s acceptance lists")
        code = _code(data["code"])
        if requirement_queries.acceptance_lists_by_codes(write.session, [code]):
            raise WriteRefused(("input.code", f"an acceptance list {code!r} already exists", "ALREADY_EXISTS"))
        name = (data["name"] or "").strip()
        if not name:
            raise WriteRefused(("input.name", "a list has a name", "INVALID"))
        return _write_list(write, None, model.AcceptanceList(code, name, data["owner"], provenance=provenance(data)))


def _key(data) -> tuple[str, Activity | None]:
    activity = enums.value(data.get("activity"))
    return data["cab"], Activity(activity) if activity else None


class AcceptanceListEntryRecord(RegistryMutation):
    """Put a body on a list for an activity and a scope, from a date (it must not overlap an entry of the same
    body and activity that holds: end that one first)."""

    class Arguments:
        input = AcceptanceListEntryRecordInput(required=True)

    acceptance_list = graphene.Field(AcceptanceList)

    @classmethod
    def perform(cls, write: Write, data):
        old = _list(write, data["list"], "write")
        check_version(write.session, "AcceptanceList", old.code, data["expected_version"])
        cab, activity = _key(data)
        one(write.session, queries.cabs_by_codes, cab, "conformity assessment body", "input.cab")
        entry = model.ListEntry(old.code, cab, activity, data["valid_from"], data.get("valid_to"),
                                _scope(data.get("scope")), provenance(data))
        clashing = next((e for e in old.entries if (e.cab, e.activity) == (cab, activity) and overlaps(e, entry)),
                        None)
        if clashing is not None:
            until = f" until {clashing.valid_to}" if clashing.valid_to else ""
            raise WriteRefused(("input.validFrom", f"{cab} is already on {old.code} for this activity from "
                                f"{clashing.valid_from}{until}: end that entry first", "OVERLAPPING_INTERVAL"))
        return _write_list(write, old, dataclasses.replace(old, entries=old.entries + (entry,)), entry)


class AcceptanceListEntryEnd(RegistryMutation):
    """Take a body off a list: the entry that holds on the given last day ends on it."""

    class Arguments:
        input = AcceptanceListEntryEndInput(required=True)

    acceptance_list = graphene.Field(AcceptanceList)

    @classmethod
    def perform(cls, write: Write, data):
        old = _list(write, data["list"], "write")
        check_version(write.session, "AcceptanceList", old.code, data["expected_version"])
        cab, activity = _key(data)
        last_day: date = data["valid_to"]
        history = [e for e in old.entries if (e.cab, e.activity) == (cab, activity)]
        holding = [e for e in history if holds_on(e, last_day)]
        if not holding:
            raise WriteRefused(("input.validTo",
                                f"no entry of {cab} on {old.code} for this activity holds on {last_day}",
                                "NOT_FOUND"))
        current = holding[0]
        if current.valid_to is not None and current.valid_to <= last_day:
            raise WriteRefused(("input.validTo", f"it already ends on {current.valid_to}", "INVALID_TRANSITION"))
        if any(e.valid_from and e.valid_from > last_day for e in history):
            raise WriteRefused(("input.validTo", "a later entry is recorded; end that one", "OUT_OF_ORDER"))
        ended = dataclasses.replace(current, valid_to=last_day)
        entries = tuple(ended if e is current else e for e in old.entries)
        return _write_list(write, old, dataclasses.replace(old, entries=entries), ended)


# -- competences --------------------------------------------------------------------------------------------
class CompetenceKeyFields:
    cab = graphene.String(required=True, description="The regulatory authority's code.")
    kind = enums.CompetenceKind(required=True)
    expected_version = graphene.Int(required=True, description="The authority's (CAB's) `version` you read.")
    message = graphene.String()


class CompetenceRecordInput(CompetenceKeyFields, graphene.InputObjectType):
    hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True, description="The goods it covers.")
    excluded_hs_prefixes = graphene.List(graphene.NonNull(HsPrefix))
    valid_from = Date(required=True)
    valid_to = Date()
    provenance = ProvenanceInput()


class CompetenceEndInput(CompetenceKeyFields, graphene.InputObjectType):
    hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True,
                                description="The HS prefixes of the competence to end, as recorded.")
    valid_to = Date(required=True, description="The last day the competence holds.")


def _authority(write: Write, data, verb: str) -> model.ConformityAssessmentBody:
    require(write.principal, Role.ADMINISTRATOR, None, f"{verb} a regulatory authority's competences")
    cab = one(write.session, queries.cabs_by_codes, data["cab"], "conformity assessment body", "input.cab")
    check_version(write.session, "ConformityAssessmentBody", cab.code, data["expected_version"])
    return cab


def _write_cab(write: Write, old: model.ConformityAssessmentBody, competences, competence: model.Competence) -> dict:
    """Write the authority's competences; the input is ``competence``, the one recorded or ended."""
    new = dataclasses.replace(old, competences=tuple(competences))
    write.paths = lambda: item_paths("conformityAssessmentBodies", "cab", "competences", rendered_index(
        writer.cab, new, "competences", "competences", competence))
    apply_entities(write.session, write.actor, before=model.Registry(0, cabs=(old,)), after=model.Registry(0, cabs=(new,)))
    return {"conformity_assessment_body": new}


class CompetenceRecord(RegistryMutation):
    """Record that a regulatory authority may issue official certificates for some goods from a date
    (administrators). Competences of one kind may overlap where their goods differ; the same goods may not."""

    class Arguments:
        input = CompetenceRecordInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    @classmethod
    def perform(cls, write: Write, data):
        cab = _authority(write, data, "record")
        competence = model.Competence(cab.code, CompetenceKind(enums.value(data["kind"])),
                                      tuple(data["hs_prefixes"]), data["valid_from"], data.get("valid_to"),
                                      tuple(data.get("excluded_hs_prefixes") or ()), provenance(data))
        if not competence.hs_prefixes:
            raise WriteRefused(("input.hsPrefixes", "a competence covers at least one HS prefix", "INVALID"))
        clashing = next((c for c in cab.competences if (c.kind, c.hs_prefixes) == (competence.kind,
                                                                                   competence.hs_prefixes)
                         and overlaps(c, competence)), None)
        if clashing is not None:
            raise WriteRefused(("input.validFrom",
                                f"{cab.code} already holds this competence from {clashing.valid_from}: "
                                "end it first", "OVERLAPPING_INTERVAL"))
        return _write_cab(write, cab, cab.competences + (competence,), competence)


class CompetenceEnd(RegistryMutation):
    """End the competence (of this kind and these HS prefixes) that holds on the given last day (administrators)."""

    class Arguments:
        input = CompetenceEndInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    @classmethod
    def perform(cls, write: Write, data):
        cab = _authority(write, data, "end")
        kind, prefixes, last_day = CompetenceKind(enums.value(data["kind"])), tuple(data["hs_prefixes"]), data["valid_to"]
        holding = [c for c in cab.competences if (c.kind, c.hs_prefixes) == (kind, prefixes) and holds_on(c, last_day)]
        if not holding:
            raise WriteRefused(("input.validTo", f"no such competence of {cab.code} holds on {last_day}", "NOT_FOUND"))
        current = holding[0]
        if current.valid_to is not None and current.valid_to <= last_day:
            raise WriteRefused(("input.validTo", f"it already ends on {current.valid_to}", "INVALID_TRANSITION"))
        ended = dataclasses.replace(current, valid_to=last_day)
        return _write_cab(write, cab, (ended if c is current else c for c in cab.competences), ended)
