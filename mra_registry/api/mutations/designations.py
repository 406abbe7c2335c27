"""Designate a CAB under a government arrangement's sector, and end a designation: the designating
authority of the CAB's own side (its economy, or a union it belongs to, as a party of the arrangement)."""
from __future__ import annotations

import dataclasses
from datetime import date

import graphene

from ...domain import model
from ...domain.codes import AttestationType
from ...domain.intervals import holds_on, overlaps
from ...interchange import writer
from ...store import queries
from ...store.tokens import Role
from ...store.writes import apply_entities
from .. import enums
from ..auth import require_any_of
from ..errors import WriteRefused
from ..registry_types import ConformityAssessmentBody
from ..scalars import Date, PartyCode
from .base import RegistryMutation, Write
from .common import ProvenanceInput, check_version, item_paths, one, provenance, rendered_index


class DesignationKeyFields:
    cab = graphene.String(required=True)
    arrangement = graphene.String(required=True)
    sector = graphene.String(required=True)
    for_party = PartyCode(required=True, description="The party whose requirements the CAB may assess against.")
    expected_version = graphene.Int(required=True, description="The CAB's `version` you read.")
    message = graphene.String()


class DesignationCreateInput(DesignationKeyFields, graphene.InputObjectType):
    attestation_types = graphene.List(graphene.NonNull(enums.AttestationType),
                                      description="Limit to these types (default: every type of the sector).")
    valid_from = Date(required=True)
    valid_to = Date()
    provenance = ProvenanceInput()


class DesignationEndInput(DesignationKeyFields, graphene.InputObjectType):
    valid_to = Date(required=True, description="The last day the designation holds.")


def _own_sides(write: Write, cab: model.ConformityAssessmentBody, arrangement_code: str, day: date) -> list[str]:
    """Who may designate this CAB under this arrangement: the party on the CAB's side (its economy, or a union
    it belongs to on the day), and, within a union party, the authority of the CAB's own economy (member
    states designate their own bodies). Nobody on the CAB's side when its side is not a party at all."""
    arrangement = queries.arrangements_by_codes(write.session, [arrangement_code]).get(arrangement_code)
    if arrangement is None:
        raise WriteRefused(("input.arrangement", f"no arrangement {arrangement_code!r}", "UNKNOWN_REFERENCE"))
    memberships = queries.unions_of_economies(write.session, [cab.economy]).get(cab.economy, [])
    sides = [cab.economy] + [m.union for m in memberships if holds_on(m, day)]
    if not any(side in arrangement.parties for side in sides):
        return []
    return sides


def _change(write: Write, data, day: date, change, creating: bool = False) -> dict:
    """``change`` turns the history of the input's key into the new one, and names the designation the input is
    (the one made, or the one ended)."""
    cab = one(write.session, queries.cabs_by_codes, data["cab"], "conformity assessment body", "input.cab")
    sides = _own_sides(write, cab, data["arrangement"], day)
    require_any_of(write.principal, [(Role.DESIGNATING_AUTHORITY, side) for side in sides],
                   f"designate {cab.code} under {data['arrangement']} (only the designating authority of the CAB's "
                   f"own side of the agreement may)")
    if creating:
        # RULES.md step 7, government route: a designation names the party whose requirements the CAB may assess
        # against, the importing side; never the CAB's own economy or a union it belongs to on the day.
        memberships = queries.unions_of_economies(write.session, [cab.economy]).get(cab.economy, [])
        own = [cab.economy] + [m.union for m in memberships if holds_on(m, day)]
        if data["for_party"] in own:
            raise WriteRefused(("input.forParty",
                                f"{cab.code} is on the {data['for_party']} side itself ({cab.economy}); "
                                "a designation names the importing party whose requirements it assesses against, "
                                "the other side of the agreement", "INCONSISTENT"))
    check_version(write.session, "ConformityAssessmentBody", cab.code, data["expected_version"])
    key = (data["arrangement"], data["sector"], data["for_party"])
    history = [d for d in cab.designations if (d.arrangement, d.sector, d.for_party) == key]
    others = tuple(d for d in cab.designations if (d.arrangement, d.sector, d.for_party) != key)
    changed, designation = change(history)
    new_cab = dataclasses.replace(cab, designations=others + tuple(changed))
    write.paths = lambda: item_paths("conformityAssessmentBodies", "cab", "designations", rendered_index(
        writer.cab, new_cab, "designations", "designations", designation))
    apply_entities(write.session, write.actor, before=model.Registry(0, cabs=(cab,)),
                   after=model.Registry(0, cabs=(new_cab,)))
    return {"conformity_assessment_body": new_cab}


class DesignationCreate(RegistryMutation):
    """Designate a CAB for a sector, to assess against one party's rules, from a date."""

    class Arguments:
        input = DesignationCreateInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    @classmethod
    def perform(cls, write: Write, data):
        def add(history):
            designation = model.Designation(
                cab=data["cab"], arrangement=data["arrangement"], sector=data["sector"], for_party=data["for_party"],
                valid_from=data["valid_from"], valid_to=data.get("valid_to"),
                attestation_types=tuple(AttestationType(enums.value(t)) for t in data.get("attestation_types") or ()),
                provenance=provenance(data),
            )
            # A document may write a history as events, each ending the one before; a designation made through
            # the API must not silently end one that holds: designationEnd says when it ends.
            clashing = next((d for d in history if overlaps(d, designation)), None)
            if clashing is not None:
                until = f" until {clashing.valid_to}" if clashing.valid_to else ""
                raise WriteRefused(("input.validFrom",
                                    f"{data['cab']} is already designated for this sector and party from "
                                    f"{clashing.valid_from}{until}: end that designation first",
                                    "OVERLAPPING_INTERVAL"))
            return history + [designation], designation
        return _change(write, data, data["valid_from"], add, creating=True)


class DesignationEnd(RegistryMutation):
    """End the designation that holds on the given last day."""

    class Arguments:
        input = DesignationEndInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    @classmethod
    def perform(cls, write: Write, data):
        last_day: date = data["valid_to"]

        def end(history):
            holding = [d for d in history if holds_on(d, last_day)]
            if not holding:
                raise WriteRefused(("input.validTo",
                                    f"no designation of {data['cab']} for this sector and party holds on "
                                    f"{last_day}", "NOT_FOUND"))
            current = holding[0]
            if current.valid_to is not None and current.valid_to <= last_day:
                raise WriteRefused(("input.validTo", f"it already ends on {current.valid_to}", "INVALID_TRANSITION"))
            later = [d for d in history if d.valid_from and d.valid_from > last_day]
            if later:
                raise WriteRefused(("input.validTo", "a later designation is recorded; end that one", "OUT_OF_ORDER"))
            ended = dataclasses.replace(current, valid_to=last_day)
            return [ended if d is current else d for d in history], ended
        return _change(write, data, last_day, end)


