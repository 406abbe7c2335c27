"""Create and amend import policies: the importing economy's (or union's) regulator. An amendment retires
the policy's previous version; decisions on the new registry version use the new one."""
from __future__ import annotations

import dataclasses

import graphene

from ...domain import model
from ...domain.codes import AttestationType, RouteKind
from ...store import queries
from ...store.tokens import Role
from ...store.writes import apply_entities
from .. import enums
from ..auth import require
from ..errors import WriteRefused
from ..registry_types import ImportPolicy
from ..scalars import Date, HsPrefix, PartyCode
from .base import RegistryMutation, Write
from .common import ProvenanceInput, check_version, one, provenance


class PolicyRouteInput(graphene.InputObjectType):
    kind = enums.RouteKind(required=True)
    arrangements = graphene.List(graphene.NonNull(graphene.String),
                                 description="Arrangement codes; a GOVERNMENT route with none accepts any between the parties.")


class PolicyFields:
    name = graphene.String()
    hs_prefixes = graphene.List(graphene.NonNull(HsPrefix))
    excluded_hs_prefixes = graphene.List(graphene.NonNull(HsPrefix))
    required_type = enums.AttestationType()
    required_tests = graphene.List(graphene.NonNull(graphene.String))
    routes = graphene.List(graphene.NonNull(PolicyRouteInput), description="In order; empty: domestic bodies only.")
    max_age_days = graphene.Int(description="Null: no limit.")
    lot_match = graphene.Boolean()
    valid_from = Date()
    valid_to = Date()
    provenance = ProvenanceInput()
    message = graphene.String()


class ImportPolicyCreateInput(PolicyFields, graphene.InputObjectType):
    code = graphene.String(required=True)
    importer = PartyCode(required=True)


class ImportPolicyAmendInput(PolicyFields, graphene.InputObjectType):
    code = graphene.String(required=True)
    expected_version = graphene.Int(required=True, description="The policy's `version` you read.")


def _routes(raw) -> tuple[model.Route, ...]:
    return tuple(model.Route(RouteKind(enums.value(r["kind"])), tuple(r.get("arrangements") or ())) for r in raw)


def _checked(policy: model.ImportPolicy) -> model.ImportPolicy:
    if not policy.hs_prefixes:
        raise WriteRefused(("hsPrefixes", "a policy covers at least one HS prefix", "INVALID"))
    if policy.max_age_days is not None and policy.max_age_days < 0:
        raise WriteRefused(("maxAgeDays", "an age limit cannot be negative", "INVALID"))
    if not policy.code.strip() or len(policy.code) > 64:
        raise WriteRefused(("code", "a policy code is 1 to 64 characters", "INVALID"))
    return policy


class ImportPolicyCreate(RegistryMutation):
    """Record an import policy."""

    class Arguments:
        input = ImportPolicyCreateInput(required=True)

    import_policy = graphene.Field(ImportPolicy)

    @classmethod
    def perform(cls, write: Write, data):
        require(write.principal, Role.IMPORT_REGULATOR, data["importer"], f"write {data['importer']}'s import policies")
        if queries.policies_by_codes(write.session, [data["code"]]):
            raise WriteRefused(("code", f"a policy {data['code']!r} already exists", "ALREADY_EXISTS"))
        if data.get("required_type") is None:
            raise WriteRefused(("requiredType", "a new policy names the attestation type it requires", "INVALID"))
        policy = _checked(model.ImportPolicy(
            code=data["code"], importer=data["importer"], hs_prefixes=tuple(data.get("hs_prefixes") or ()),
            required_type=AttestationType(enums.value(data["required_type"])),
            excluded_hs_prefixes=tuple(data.get("excluded_hs_prefixes") or ()),
            required_tests=tuple(data.get("required_tests") or ()), routes=_routes(data.get("routes") or ()),
            max_age_days=data.get("max_age_days"), lot_match=bool(data.get("lot_match")),
            valid_from=data.get("valid_from"), valid_to=data.get("valid_to"), name=data.get("name"),
            provenance=provenance(data),
        ))
        apply_entities(write.session, write.actor, before=model.Registry(0), after=model.Registry(0, policies=(policy,)))
        return {"import_policy": policy}


_AMENDABLE = {
    "name": "name", "hs_prefixes": "hs_prefixes", "excluded_hs_prefixes": "excluded_hs_prefixes",
    "required_tests": "required_tests", "max_age_days": "max_age_days", "lot_match": "lot_match",
    "valid_from": "valid_from", "valid_to": "valid_to",
}
# An explicit null lifts a limit (maxAgeDays) or a bound (validTo); for these it would mean nothing sensible.
_NOT_NULLABLE = {"lot_match": "lotMatch", "hs_prefixes": "hsPrefixes", "excluded_hs_prefixes": "excludedHsPrefixes",
                 "required_tests": "requiredTests"}


class ImportPolicyAmend(RegistryMutation):
    """Amend an import policy: only the fields given change (give maxAgeDays: null to lift the age limit)."""

    class Arguments:
        input = ImportPolicyAmendInput(required=True)

    import_policy = graphene.Field(ImportPolicy)

    @classmethod
    def perform(cls, write: Write, data):
        old = one(write.session, queries.policies_by_codes, data["code"], "import policy", "code")
        require(write.principal, Role.IMPORT_REGULATOR, old.importer, f"amend {old.importer}'s import policies")
        check_version(write.session, "ImportPolicy", old.code, data["expected_version"])
        changes = {}
        for field, attribute in _AMENDABLE.items():
            if field in data:
                value = data[field]
                if value is None and field in _NOT_NULLABLE:
                    raise WriteRefused((_NOT_NULLABLE[field], "cannot be null: leave it out to keep it as it is",
                                        "INVALID"))
                changes[attribute] = tuple(value) if isinstance(value, list) else value
        if data.get("required_type") is not None:
            changes["required_type"] = AttestationType(enums.value(data["required_type"]))
        if data.get("routes") is not None:
            changes["routes"] = _routes(data["routes"])
        if "provenance" in data:
            changes["provenance"] = provenance(data, old.provenance)
        new = _checked(dataclasses.replace(old, **changes))
        apply_entities(write.session, write.actor, before=model.Registry(0, policies=(old,)),
                       after=model.Registry(0, policies=(new,)))
        return {"import_policy": new}
