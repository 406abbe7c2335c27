"""The exporter's reverse question: which bodies of economy X would importer Y accept for HS code Z (and these
tests) on date D, and by which route? Each candidate is decided by the same engine as a clearance, as if it
issued a matching attestation on D for the same lot."""
from __future__ import annotations

from datetime import datetime, timezone

import graphene
from graphql import GraphQLError

from ..domain.codes import AttestationType, Outcome, ReasonCode
from ..domain.decision import Attestation, Consignment
from ..domain.engine import decide
from ..domain.errors import InvalidInput
from . import enums
from .clearance import ClearanceDecision
from .registry_types import ConformityAssessmentBody
from .scalars import CountryCode, Date, HsCode

_SAME_LOT = "(the consignment's lot)"
DEFAULT_ACCEPTED = 50
MAX_ACCEPTED = 200


class AcceptedBody(graphene.ObjectType):
    cab = graphene.Field(ConformityAssessmentBody, required=True)
    decision = graphene.Field(ClearanceDecision, required=True,
                              description="The decision for an attestation this body would issue on the date.")

    @staticmethod
    def resolve_cab(parent, info):
        return parent[0]

    @staticmethod
    def resolve_decision(parent, info):
        return parent[1]


class AcceptedBodies(graphene.ObjectType):
    required_type = graphene.Field(enums.AttestationType, description="What the importer requires (null: nothing).")
    outcome_without_attestation = graphene.Field(ClearanceDecision, required=True,
                                                 description="What happens when nothing is presented.")
    bodies = graphene.List(graphene.NonNull(AcceptedBody), required=True)


class ReverseQueries(graphene.ObjectType):
    accepted_bodies = graphene.Field(
        graphene.NonNull(AcceptedBodies),
        exporter=CountryCode(required=True), importer=CountryCode(required=True), hs_code=HsCode(required=True),
        attestation_type=enums.AttestationType(description="Default: the type the importer's policy requires."),
        tests=graphene.List(graphene.NonNull(graphene.String), description="Tests the attestation would list."),
        date=Date(description="Issue and clearance date (default: today, UTC)."),
        first=graphene.Int(description=f"At most {MAX_ACCEPTED} bodies (default {DEFAULT_ACCEPTED})."),
        description="Which bodies of the exporting economy would the importer accept for this HS code on this "
        "date, and by which route.",
    )

    @staticmethod
    def resolve_accepted_bodies(root, info, exporter, importer, hs_code, attestation_type=None, tests=None,
                                date=None, first=None):
        limit = DEFAULT_ACCEPTED if first is None else first
        if not 0 <= limit <= MAX_ACCEPTED:
            raise GraphQLError(f"first must be between 0 and {MAX_ACCEPTED}", extensions={"code": "INVALID_PAGE_SIZE"})
        snapshot = info.context.snapshot()
        day = date or datetime.now(timezone.utc).date()
        try:
            baseline = decide(snapshot, Consignment(exporter, importer, hs_code, day, lot=_SAME_LOT))
        except InvalidInput as error:
            raise GraphQLError(f"{error.field}: {error.message}", extensions={"code": error.code}) from None
        policy = snapshot.policies.get(baseline.policy) if baseline.policy else None
        wanted = AttestationType(enums.value(attestation_type)) if attestation_type else (
            policy.policy.required_type if policy else None)
        result = {"required_type": policy.policy.required_type if policy else None,
                  "outcome_without_attestation": (baseline, snapshot), "bodies": []}
        if wanted is None or baseline.reason is not ReasonCode.NO_ATTESTATION:
            return result  # nothing required, or nothing any body could change
        for view in snapshot.cabs_of(exporter):
            attestation = Attestation(type=wanted, issuer=view.code, issue_date=day, lot=_SAME_LOT,
                                      tests=tuple(tests) if tests else None)
            decision = decide(snapshot, Consignment(exporter, importer, hs_code, day, lot=_SAME_LOT,
                                                    attestation=attestation))
            if decision.outcome is Outcome.RECOGNISED:
                result["bodies"].append((view.cab, (decision, snapshot)))
                if len(result["bodies"]) >= limit:
                    break
        return result
