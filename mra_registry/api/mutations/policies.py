"""Create and amend import policies: the importing economy's (or union's) regulator. An amendment retires
the policy's previous version; decisions on the new registry version use the new one. A policy's requirements are
given either as the first requirement's own fields (requiredType, requiredTests, routes, maxAgeDays or
maxAgeMonths, lotMatch: a one-requirement policy, as before) or all at once in `requirements`; the registry
document's rules check them (an OFFICIAL_CERTIFICATE requirement takes that route only, ANY is a requirement's
only route, a LIST route's list must exist, days or months but not both)."""
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
from ..errors import DATED, PROVENANCE, InputPaths, WriteRefused
from ..registry_types import ImportPolicy
from ..scalars import Date, HsPrefix, PartyCode
from .base import RegistryMutation, Write
from .common import ProvenanceInput, check_version, one, provenance


class PolicyRouteInput(graphene.InputObjectType):
    kind = enums.RouteKind(required=True)
    arrangements = graphene.List(graphene.NonNull(graphene.String),
                                 description="Arrangement codes; a GOVERNMENT route with none accepts any between the parties.")
    list = graphene.String(description="A LIST route's acceptance list (its code).")


class PolicyRequirementInput(graphene.InputObjectType):
    type = enums.AttestationType(required=True)
    required_tests = graphene.List(graphene.NonNull(graphene.String))
    routes = graphene.List(graphene.NonNull(PolicyRouteInput), required=True,
                           description="In order; empty: domestic bodies only. An OFFICIAL_CERTIFICATE requirement "
                                       "takes the OFFICIAL_CERTIFICATE route only; ANY is always the only route.")
    max_age_days = graphene.Int(description="Null: no limit in days (not with maxAgeMonths).")
    max_age_months = graphene.Int(description="Calendar months; null: no limit in months (not with maxAgeDays).")
    lot_match = graphene.Boolean()


class BorderChecksInput(graphene.InputObjectType):
    percent = graphene.Float(required=True, description="0 to 100.")
    note = graphene.String()


class LegalSourceInput(graphene.InputObjectType):
    instrument = graphene.String(required=True)
    reference = graphene.String()
    url = graphene.String()


class PolicyFields:
    name = graphene.String()
    hs_prefixes = graphene.List(graphene.NonNull(HsPrefix))
    excluded_hs_prefixes = graphene.List(graphene.NonNull(HsPrefix))
    origins = graphene.List(graphene.NonNull(PartyCode), description="The exporters (economies or unions) it applies "
                            "to; empty: every exporter.")
    required_type = enums.AttestationType(description="The first requirement's (or its only one's).")
    required_tests = graphene.List(graphene.NonNull(graphene.String), description="The first requirement's.")
    routes = graphene.List(graphene.NonNull(PolicyRouteInput), description="The first requirement's, in order; "
                           "empty: domestic bodies only.")
    max_age_days = graphene.Int(description="The first requirement's; null: no limit.")
    max_age_months = graphene.Int(description="The first requirement's, in calendar months; null: no limit.")
    lot_match = graphene.Boolean(description="The first requirement's.")
    requirements = graphene.List(graphene.NonNull(PolicyRequirementInput),
                                 description="Every requirement, in order (instead of the first requirement's fields: "
                                             "not with them). On an amendment it replaces them all.")
    border_checks = BorderChecksInput(description="Null on an amendment: none recorded.")
    legal_source = LegalSourceInput(description="Null on an amendment: none recorded.")
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
    return tuple(model.Route(RouteKind(enums.value(r["kind"])), tuple(r.get("arrangements") or ()), r.get("list"))
                 for r in raw)


# the first requirement's fields on a policy input, and the policy attributes they set
_FIRST_REQUIREMENT = {"required_type": "requiredType", "required_tests": "requiredTests", "routes": "routes",
                      "max_age_days": "maxAgeDays", "max_age_months": "maxAgeMonths", "lot_match": "lotMatch"}


def _requirements(data) -> tuple[model.Requirement, ...] | None:
    """The input's ``requirements``, when given (never beside the first requirement's own fields)."""
    if "requirements" not in data:
        return None
    given = [name for field, name in _FIRST_REQUIREMENT.items() if field in data]
    if given:
        raise WriteRefused(("input.requirements", f"give every requirement in requirements, or the first one in "
                            f"{', '.join(given)}, not both", "INCONSISTENT"))
    if not data["requirements"]:
        raise WriteRefused(("input.requirements", "a policy has at least one requirement", "INVALID"))
    return tuple(model.Requirement(
        AttestationType(enums.value(r["type"])), tuple(r.get("required_tests") or ()), _routes(r.get("routes") or ()),
        r.get("max_age_days"), r.get("max_age_months"), bool(r.get("lot_match"))) for r in data["requirements"])


def _with_requirements(fields: dict, requirements: tuple[model.Requirement, ...]) -> dict:
    first, *more = requirements
    return fields | dict(required_type=first.required_type, required_tests=first.required_tests, routes=first.routes,
                         max_age_days=first.max_age_days, max_age_months=first.max_age_months,
                         lot_match=first.lot_match, additional_requirements=tuple(more))


def _extras(data, old: model.ImportPolicy | None = None) -> dict:
    """Origins, border checks and legal source, as given (on an amendment, what is not given stays)."""
    changes = {}
    if "origins" in data:
        if data["origins"] is None:
            raise WriteRefused(("input.origins",
                                "cannot be null: give [] for every exporter, or leave it out", "INVALID"))
        changes["origins"] = tuple(data["origins"])
    if "border_checks" in data:
        raw = data["border_checks"]
        changes["border_checks"] = model.BorderChecks(raw["percent"], raw.get("note")) if raw else None
    if "legal_source" in data:
        raw = data["legal_source"]
        changes["legal_source"] = model.LegalSource(raw["instrument"], raw.get("reference"), raw.get("url")) \
            if raw else None
    return changes


def _requirement_field(data, index: int, name: str) -> str | None:
    """The input path of requirement ``index``'s ``name`` (maxAgeDays): in `requirements` when the input gives
    them, else the first requirement's own field; None for a requirement the input does not give."""
    if "requirements" in data:
        return f"input.requirements[{index}].{name}"
    return f"input.{name}" if index == 0 else None


def _checked(policy: model.ImportPolicy, data) -> model.ImportPolicy:
    if not policy.hs_prefixes:
        raise WriteRefused(("input.hsPrefixes", "a policy covers at least one HS prefix", "INVALID"))
    for index, requirement in enumerate(policy.requirements):
        if requirement.max_age_days is not None and requirement.max_age_days < 0:
            raise WriteRefused((_requirement_field(data, index, "maxAgeDays"), "an age limit cannot be negative",
                                "INVALID"))
        if requirement.max_age_months is not None and requirement.max_age_months < 0:
            raise WriteRefused((_requirement_field(data, index, "maxAgeMonths"), "an age limit cannot be negative",
                                "INVALID"))
    if not policy.code.strip() or len(policy.code) > 64:
        raise WriteRefused(("input.code", "a policy code is 1 to 64 characters", "INVALID"))
    return policy


# the first requirement's fields in the document's flat form -> the same in `requirements[0]`
_FLAT_IN_REQUIREMENTS = {"requiredType": "requirements[0].type", "requiredTests": "requirements[0].requiredTests",
                         "routes": "requirements[0].routes", "maxAgeDays": "requirements[0].maxAgeDays",
                         "maxAgeMonths": "requirements[0].maxAgeMonths", "lotMatch": "requirements[0].lotMatch"}


def _paths(data, policy: model.ImportPolicy) -> InputPaths:
    """The input is the policy, written whole; but the document writes a one-requirement policy in the flat form
    and one with several in `requirements`, whichever form the input used."""
    renames: dict[str, str | None] = dict(DATED | PROVENANCE)
    if "requirements" in data and not policy.additional_requirements:  # given in `requirements`, written flat
        renames |= _FLAT_IN_REQUIREMENTS
    elif "requirements" not in data and policy.additional_requirements:  # given flat (or kept), written in `requirements`
        renames |= {held: flat for flat, held in _FLAT_IN_REQUIREMENTS.items()} | {"requirements": None}
    return InputPaths(root="$.importPolicies[0]", renames=renames | _sent_halves(data, renames))


# Pairs the document check judges together and reports at one half: an interval that ends before it starts at
# its `to`, an age limit in both units at its `maxAgeMonths`. Input field reported at -> the pair's other half
# (each as the input names it, then as `data` holds it).
_PAIRS = {("validTo", "valid_to"): ("validFrom", "valid_from"),
          ("maxAgeMonths", "max_age_months"): ("maxAgeDays", "max_age_days")}


def _sent_halves(data, renames: dict[str, str | None]) -> dict[str, str]:
    """Renames that point a pair's problem at the half the input sent, when it did not send the half the problem
    is reported at: an amendment keeps the policy's value there, which is not at fault (giving only a `validFrom`
    after the policy's last day is refused at `input.validFrom`, not at a `validTo` the client never sent)."""
    redirected = {}
    for (reported, reported_key), (other, other_key) in _PAIRS.items():
        if reported_key not in data and other_key in data:
            # the document keys standing for the reported half: renamed to it (`to`), or named as it
            keys = [key for key, name in renames.items() if name == reported] or [reported]
            redirected |= dict.fromkeys(keys, other)
    return redirected


class ImportPolicyCreate(RegistryMutation):
    """Record an import policy."""

    class Arguments:
        input = ImportPolicyCreateInput(required=True)

    import_policy = graphene.Field(ImportPolicy)

    @classmethod
    def perform(cls, write: Write, data):
        require(write.principal, Role.IMPORT_REGULATOR, data["importer"], f"write {data['importer']}'s import policies")
        if queries.policies_by_codes(write.session, [data["code"]]):
            raise WriteRefused(("input.code", f"a policy {data['code']!r} already exists", "ALREADY_EXISTS"))
        requirements = _requirements(data)
        if requirements is None:
            if data.get("required_type") is None:
                raise WriteRefused(("input.requiredType",
                                    "a new policy names the attestation type it requires (or give "
                                    "requirements)", "INVALID"))
            requirements = (model.Requirement(
                AttestationType(enums.value(data["required_type"])), tuple(data.get("required_tests") or ()),
                _routes(data.get("routes") or ()), data.get("max_age_days"), data.get("max_age_months"),
                bool(data.get("lot_match"))),)
        fields = dict(
            code=data["code"], importer=data["importer"], hs_prefixes=tuple(data.get("hs_prefixes") or ()),
            excluded_hs_prefixes=tuple(data.get("excluded_hs_prefixes") or ()),
            valid_from=data.get("valid_from"), valid_to=data.get("valid_to"), name=data.get("name"),
            provenance=provenance(data), **_extras(data),
        )
        policy = _checked(model.ImportPolicy(**_with_requirements(fields, requirements)), data)
        write.paths = lambda: _paths(data, policy)
        apply_entities(write.session, write.actor, before=model.Registry(0), after=model.Registry(0, policies=(policy,)))
        return {"import_policy": policy}


_AMENDABLE = {
    "name": "name", "hs_prefixes": "hs_prefixes", "excluded_hs_prefixes": "excluded_hs_prefixes",
    "required_tests": "required_tests", "max_age_days": "max_age_days", "max_age_months": "max_age_months",
    "lot_match": "lot_match", "valid_from": "valid_from", "valid_to": "valid_to",
}
# An explicit null lifts a limit (maxAgeDays) or a bound (validTo); for these it would mean nothing sensible.
_NOT_NULLABLE = {"lot_match": "input.lotMatch", "hs_prefixes": "input.hsPrefixes",
                 "excluded_hs_prefixes": "input.excludedHsPrefixes", "required_tests": "input.requiredTests"}


class ImportPolicyAmend(RegistryMutation):
    """Amend an import policy: only the fields given change (give maxAgeDays: null to lift the age limit)."""

    class Arguments:
        input = ImportPolicyAmendInput(required=True)

    import_policy = graphene.Field(ImportPolicy)

    @classmethod
    def perform(cls, write: Write, data):
        old = one(write.session, queries.policies_by_codes, data["code"], "import policy", "input.code")
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
        requirements = _requirements(data)
        if requirements is not None:
            changes = _with_requirements(changes, requirements)
        changes |= _extras(data, old)
        new = _checked(dataclasses.replace(old, **changes), data)
        write.paths = lambda: _paths(data, new)
        apply_entities(write.session, write.actor, before=model.Registry(0, policies=(old,)),
                       after=model.Registry(0, policies=(new,)))
        return {"import_policy": new}
