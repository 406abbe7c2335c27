"""Grant, suspend, extend and withdraw a CAB's accreditation, and set its scope: the accrediting body's writes."""
from __future__ import annotations

import dataclasses
import graphene

from ...domain import model
from ...domain.codes import Activity
from ...interchange import writer
from ...store import queries
from ...store.tokens import Role
from ...store.writes import apply_entities
from .. import enums
from ..auth import require
from ..errors import DATED, InputPaths, WriteRefused
from ..registry_types import ConformityAssessmentBody
from ..scalars import Date, HsPrefix
from .base import RegistryMutation, Write
from .common import ProvenanceInput, check_version, item_paths, one, provenance, rendered_index


class ScopeItemInput(graphene.InputObjectType):
    identifier = graphene.String(required=True, description="A method or scheme, e.g. ISO 11290-1.")
    hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), description="Products covered; none: every product.")
    excluded_hs_prefixes = graphene.List(graphene.NonNull(HsPrefix))


def _scope(items) -> tuple[model.ScopeItem, ...]:
    scope = []
    for index, item in enumerate(items or ()):
        identifier = (item["identifier"] or "").strip()
        if not identifier or len(identifier) > 200:
            raise WriteRefused((f"input.scope[{index}].identifier",
                                "a method or scheme identifier is 1 to 200 characters",
                                "INVALID"))
        scope.append(model.ScopeItem(identifier, tuple(item.get("hs_prefixes") or ()),
                                     tuple(item.get("excluded_hs_prefixes") or ())))
    return tuple(scope)


class AccreditationKeyFields:
    cab = graphene.String(required=True, description="The accredited body's code.")
    accreditation_body = graphene.String(required=True)
    number = graphene.String(required=True)
    expected_version = graphene.Int(required=True, description="The CAB's `version` you read.")
    message = graphene.String()


class AccreditationGrantInput(graphene.InputObjectType):
    cab = graphene.String(required=True)
    accreditation_body = graphene.String(required=True)
    number = graphene.String(required=True)
    activity = enums.Activity(required=True)
    valid_from = Date(required=True)
    valid_to = Date()
    scope = graphene.List(graphene.NonNull(ScopeItemInput))
    expected_version = graphene.Int(required=True, description="The CAB's `version` you read.")
    provenance = ProvenanceInput()
    message = graphene.String()


class AccreditationSuspendInput(AccreditationKeyFields, graphene.InputObjectType):
    valid_from = Date(required=True)
    valid_to = Date(description="Last day of the suspension, when known.")
    note = graphene.String()


class AccreditationExtendInput(AccreditationKeyFields, graphene.InputObjectType):
    valid_to = Date(required=True, description="The new last day of validity.")


class AccreditationWithdrawInput(AccreditationKeyFields, graphene.InputObjectType):
    withdrawn_on = Date(required=True, description="The first day it is no longer valid.")


class AccreditationScopeSetInput(AccreditationKeyFields, graphene.InputObjectType):
    scope = graphene.List(graphene.NonNull(ScopeItemInput), required=True)


def _change(write: Write, data, change, suspension: bool = False) -> dict:
    """Apply ``change`` to the accreditation the input names (None when the CAB holds none by that body and
    number); the input is the changed accreditation, or (``suspension``) the suspension it adds."""
    code = data["cab"]
    body_code = data["accreditation_body"]
    require(write.principal, Role.ACCREDITATION_BODY, body_code, f"write accreditations granted by {body_code}")
    cab = one(write.session, queries.cabs_by_codes, code, "conformity assessment body", "input.cab")
    check_version(write.session, "ConformityAssessmentBody", code, data["expected_version"])
    current = next((a for a in cab.accreditations
                    if a.accreditation_body == body_code and a.number == data["number"]), None)
    updated = change(current)
    others = tuple(a for a in cab.accreditations if a is not current)
    new_cab = dataclasses.replace(cab, accreditations=others + (updated,))
    write.paths = lambda: _paths(new_cab, updated, updated.suspensions[-1] if suspension else None)
    apply_entities(write.session, write.actor, before=model.Registry(0, cabs=(cab,)),
                   after=model.Registry(0, cabs=(new_cab,)))
    return {"conformity_assessment_body": new_cab}


def _paths(cab: model.ConformityAssessmentBody, accreditation: model.Accreditation,
           suspension: model.Suspension | None) -> InputPaths:
    """The input is the accreditation (at its place in the CAB's document), or one suspension of it."""
    index = rendered_index(writer.cab, cab, "accreditations", "accreditations", accreditation)
    if suspension is None:
        return item_paths("conformityAssessmentBodies", "cab", "accreditations", index)
    within = f"$.conformityAssessmentBodies[0].accreditations[{index}]"
    at = rendered_index(writer.accreditation, accreditation, "suspensions", "suspensions", suspension)
    return item_paths("conformityAssessmentBodies", "cab", f"accreditations[{index}].suspensions", at, renames=DATED,
                      outside={f"{within}.number": "input.number",
                               f"{within}.accreditationBody": "input.accreditationBody"})


def _existing(current, data) -> model.Accreditation:
    if current is None:
        raise WriteRefused(("input.number", f"{data['accreditation_body']} granted no accreditation {data['number']!r} "
                            f"to {data['cab']}", "NOT_FOUND"))
    return current


class AccreditationGrant(RegistryMutation):
    """Grant an accreditation, with its scope."""

    class Arguments:
        input = AccreditationGrantInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    @classmethod
    def perform(cls, write: Write, data):
        def grant(current):
            if current is not None:
                raise WriteRefused(("input.number", f"accreditation {data['number']!r} already exists",
                                    "ALREADY_EXISTS"))
            return model.Accreditation(
                cab=data["cab"], number=data["number"], accreditation_body=data["accreditation_body"],
                activity=Activity(enums.value(data["activity"])), valid_from=data["valid_from"],
                valid_to=data.get("valid_to"), scope=_scope(data.get("scope")), provenance=provenance(data),
            )
        return _change(write, data, grant)


class AccreditationSuspend(RegistryMutation):
    """Suspend an accreditation from a date (optionally until a date)."""

    class Arguments:
        input = AccreditationSuspendInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    @classmethod
    def perform(cls, write: Write, data):
        def suspend(current):
            current = _existing(current, data)  # an overlap with an existing suspension is refused on apply
            suspension = model.Suspension(data["valid_from"], data.get("valid_to"), data.get("note"))
            return dataclasses.replace(current, suspensions=current.suspensions + (suspension,))
        return _change(write, data, suspend, suspension=True)


class AccreditationExtend(RegistryMutation):
    """Extend an accreditation's validity to a later last day."""

    class Arguments:
        input = AccreditationExtendInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    @classmethod
    def perform(cls, write: Write, data):
        def extend(current):
            current = _existing(current, data)
            if current.valid_to is None:  # giving it a last day would end it, not extend it
                raise WriteRefused(("input.validTo",
                                    "this accreditation has no last day to extend", "INVALID_TRANSITION"))
            if data["valid_to"] <= current.valid_to:
                raise WriteRefused(("input.validTo",
                                    f"an extension must end after the current last day {current.valid_to}",
                                    "INVALID_TRANSITION"))
            return dataclasses.replace(current, valid_to=data["valid_to"])
        return _change(write, data, extend)


class AccreditationWithdraw(RegistryMutation):
    """Withdraw an accreditation from a date (it stays in the registry, no longer valid from that day)."""

    class Arguments:
        input = AccreditationWithdrawInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    @classmethod
    def perform(cls, write: Write, data):
        def withdraw(current):
            current = _existing(current, data)
            if current.withdrawn_on is not None:
                raise WriteRefused(("input.withdrawnOn",
                                    f"already withdrawn on {current.withdrawn_on}", "INVALID_TRANSITION"))
            return dataclasses.replace(current, withdrawn_on=data["withdrawn_on"])
        return _change(write, data, withdraw)


class AccreditationScopeSet(RegistryMutation):
    """Replace an accreditation's scope (methods or schemes and the products they cover)."""

    class Arguments:
        input = AccreditationScopeSetInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    @classmethod
    def perform(cls, write: Write, data):
        def set_scope(current):
            return dataclasses.replace(_existing(current, data), scope=_scope(data["scope"]))
        return _change(write, data, set_scope)
