"""The fixed core: `clearance` and `clearances`. Side-effect free; decided by the domain engine on the
current snapshot; the policy and arrangement in an answer are those of the snapshot it was decided on."""
from __future__ import annotations

from datetime import datetime, timezone

import graphene
from graphql import GraphQLError

from ..domain.codes import AttestationType
from ..domain.decision import Attestation, Consignment, Decision, new_attestation, new_consignment
from ..domain.engine import decide
from ..domain.errors import InvalidInput
from . import enums
from .history import decided_at
from .registry_types import Arrangement, ImportPolicy, Sector
from .scalars import CountryCode, Date


class AttestationInput(graphene.InputObjectType):
    type = graphene.Field(enums.AttestationType, required=True, description="The kind of document.")
    issuer = graphene.String(required=True, description="The issuing body's registry code.")
    issue_date = Date(required=True)
    accreditation_body = graphene.String(description="The accreditation body the document claims (registry code).")
    accreditation_number = graphene.String()
    lot = graphene.String()
    tests = graphene.List(graphene.NonNull(graphene.String), description='Methods the document covers, e.g. "ISO 11290-1".')
    under_accreditation = graphene.Boolean(default_value=True,
                                           description="Bears the accreditation symbol or reference (default true).")
    credential = graphene.String(description="A signed credential (VC-JWT or JSON with proof), when presented.")


class ClearanceInput(graphene.InputObjectType):
    exporter = CountryCode(required=True, description="ISO 3166-1 alpha-2")
    importer = CountryCode(required=True, description="ISO 3166-1 alpha-2")
    hs_code = graphene.String(required=True, description="6 to 10 digits")
    lot = graphene.String()
    clearance_date = Date(description="Default: today (UTC).")
    attestation = graphene.Field(AttestationInput, description="One presented document (shorthand for a list of one).")
    attestations = graphene.List(graphene.NonNull(AttestationInput),
                                 description="Every presented document (an official certificate and a laboratory "
                                 "report, say), in the order presented. Give either this or attestation.")


class DecisionReason(graphene.ObjectType):
    code = graphene.Field(enums.ReasonCode, required=True)
    message = graphene.String(required=True)
    route = graphene.String(description="The route this reason is about, e.g. ARRANGEMENT[ILAC_MRA].")
    requirement = graphene.Int(required=True, description="The index (from 0) of the policy requirement it is about.")


class DecisionCheck(graphene.ObjectType):
    """A fact a person must verify before acting on the decision, and where to verify it."""

    code = graphene.Field(enums.CheckCode, required=True)
    message = graphene.String(required=True, description="The fact to verify, in words.")
    sources = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="Where to verify it: a body's public directory, an arrangement's signatory "
                            "list, or the sources of the nearest record; empty when the registry knows none.")

    @staticmethod
    def resolve_code(parent, info):
        return parent.code.value


class DecisionWarning(graphene.ObjectType):
    code = graphene.Field(enums.WarningCode, required=True)
    message = graphene.String(required=True)


class PathStep(graphene.ObjectType):
    """One link of the recognition chain: the record it rests on, its dates, and whether it held."""

    kind = graphene.Field(enums.PathLinkKind, required=True)
    subject = graphene.String(required=True)
    record = graphene.String(required=True)
    valid_from = Date()
    valid_to = Date()
    status_on_issue = graphene.String()
    status_on_clearance = graphene.String()
    holds = graphene.Boolean(required=True)
    confidence = graphene.Field(enums.Confidence, description="How sure the registry is of the record the link "
                                "rests on, as every other confidence.")
    sources = graphene.List(graphene.NonNull(graphene.String), required=True)
    requirement = graphene.Int(description="The index (from 0) of the policy requirement the link belongs to; null "
                               "for the policy's own links (the policy, union memberships, an SPS agreement).")

    # the domain's PathLink.confidence is a Confidence value ("fixture") or None: graphene's enum serialises a value
    # as its member's name, so graphene's default resolver reads it as it is


class AcceptanceListRef(graphene.ObjectType):
    """An importer's own list of accepted bodies, as a decision names it."""

    code = graphene.String(required=True)
    name = graphene.String()
    owner = graphene.String(description="The economy or union whose regulator keeps the list.")


class RecognitionRoute(graphene.ObjectType):
    kind = graphene.Field(enums.RouteKind, required=True)
    arrangement = graphene.Field(Arrangement, description="The arrangement of an arrangement or government route.")
    sector = graphene.Field(Sector, description="The sector of a government route.")
    list = graphene.Field(AcceptanceListRef, description="The importer's list of a list route.")
    # parent: a dict (_route), read by graphene's default resolver


class ClearanceDecision(graphene.ObjectType):
    outcome = graphene.Field(enums.Outcome, required=True)
    reason = graphene.Field(enums.ReasonCode, required=True,
                            description="Primary reason; for RECOGNISED the kind of route the first requirement "
                            "passed (ARRANGEMENT_ROUTE, GOVERNMENT_ROUTE, OFFICIAL_CERTIFICATE_ROUTE, LIST_ROUTE, "
                            "ANY_ROUTE); for UNDETERMINED the fact the registry lacks.")
    reasons = graphene.List(graphene.NonNull(DecisionReason), required=True,
                            description="One per route tried, in order.")
    route = graphene.Field(RecognitionRoute, description="The route the first requirement passed.")
    path = graphene.List(graphene.NonNull(PathStep), required=True)
    warnings = graphene.List(graphene.NonNull(DecisionWarning), required=True)
    policy = graphene.Field(ImportPolicy, description="The policy applied, when one applied.")
    issue_date = Date()
    clearance_date = Date(required=True)
    registry_version = graphene.Int(required=True)
    routes = graphene.List(graphene.NonNull(RecognitionRoute), required=True,
                           description="Each requirement's passing route, in policy order (empty unless RECOGNISED).")
    assurance = graphene.Field(enums.Assurance, required=True,
                               description="The weakest confidence among the facts the decision rested on.")
    checks = graphene.List(graphene.NonNull(DecisionCheck), required=True,
                           description="What a person must verify before acting on the decision: one per unknown "
                           "result of an UNDETERMINED decision, and one per status relied on whose start is not known.")

    # parent: (Decision, Snapshot)
    @staticmethod
    def resolve_assurance(parent, info):
        return parent[0].assurance

    @staticmethod
    def resolve_checks(parent, info):
        return parent[0].checks

    @staticmethod
    def resolve_routes(parent, info):
        decision, snapshot = parent
        return [_route(route, snapshot) for route in decision.routes]

    @staticmethod
    def resolve_outcome(parent, info):
        return parent[0].outcome

    @staticmethod
    def resolve_reason(parent, info):
        return parent[0].reason

    @staticmethod
    def resolve_reasons(parent, info):
        return parent[0].reasons

    @staticmethod
    def resolve_path(parent, info):
        return parent[0].path

    @staticmethod
    def resolve_warnings(parent, info):
        return parent[0].warnings

    @staticmethod
    def resolve_issue_date(parent, info):
        return parent[0].issue_date

    @staticmethod
    def resolve_clearance_date(parent, info):
        return parent[0].clearance_date

    @staticmethod
    def resolve_registry_version(parent, info):
        return parent[0].registry_version

    @staticmethod
    def resolve_policy(parent, info):
        decision, snapshot = parent
        view = snapshot.policies.get(decision.policy) if decision.policy else None
        return view.policy if view is not None else None

    @staticmethod
    def resolve_route(parent, info):
        decision, snapshot = parent
        return _route(decision.route, snapshot) if decision.route is not None else None


def _route(route, snapshot) -> dict:
    arrangement = snapshot.arrangements.get(route.arrangement) if route.arrangement else None
    sector = None
    if route.sector and arrangement is not None:
        sector = next((s for s in arrangement.sectors if s.code == route.sector), None)
    listing = None
    if route.acceptance_list:
        view = snapshot.acceptance_lists.get(route.acceptance_list)
        found = view.acceptance_list if view is not None else None
        listing = {"code": route.acceptance_list, "name": found.name if found else None,
                   "owner": found.owner if found else None}
    return {"kind": route.kind, "arrangement": arrangement, "sector": sector, "list": listing}


def _attestation(raw) -> Attestation:
    tests = raw.get("tests")
    kind = raw["type"]
    if type(kind) is not AttestationType:  # (graphene's coercion gives the member: no Enum call for it)
        kind = AttestationType(enums.value(kind))
    return new_attestation(
        type=kind,
        issuer=raw["issuer"],
        issue_date=raw["issue_date"],
        accreditation_body=raw.get("accreditation_body"),
        accreditation_number=raw.get("accreditation_number"),
        lot=raw.get("lot"),
        tests=tuple(tests) if tests is not None else None,
        under_accreditation=raw.get("under_accreditation", True) is not False,
        credential=raw.get("credential"),
    )


def consignment_from_input(data) -> Consignment:
    raw = data.get("attestation")
    more = data.get("attestations")
    return new_consignment(
        exporter=data["exporter"],
        importer=data["importer"],
        hs_code=data["hs_code"],
        clearance_date=data.get("clearance_date") or datetime.now(timezone.utc).date(),
        lot=data.get("lot"),
        attestation=_attestation(raw) if raw is not None else None,
        attestations=tuple([_attestation(item) for item in more]) if more else (),
    )


def decide_input(snapshot, data, index: int | None = None) -> tuple[Decision, object]:
    try:
        return decide(snapshot, consignment_from_input(data)), snapshot
    except InvalidInput as error:
        where = f"inputs[{index}]." if index is not None else "input."
        raise GraphQLError(
            f"{where}{error.field}: {error.message}",
            extensions={"code": error.code, "field": f"{where}{error.field}"},
        ) from None


def resolve_clearance(root, info, input, as_of_registry_version=None):
    return decided_at(info.context, as_of_registry_version, lambda snapshot: decide_input(snapshot, input))


def resolve_clearances(root, info, inputs, as_of_registry_version=None):
    limit = info.context.settings.max_batch
    if len(inputs) > limit:
        raise GraphQLError(
            f"a declaration may have at most {limit} lines; this one has {len(inputs)}: split it",
            extensions={"code": "BATCH_TOO_LARGE", "limit": limit},
        )
    # one snapshot for the whole declaration: one registry version
    return decided_at(info.context, as_of_registry_version,
                      lambda snapshot: [decide_input(snapshot, line, index) for index, line in enumerate(inputs)])


AS_OF_REGISTRY_VERSION = ("Decide against the registry as it stood at this version (1 to the current one; another is "
                          "refused with REGISTRY_VERSION_NOT_FOUND): equal input and equal version give an equal "
                          "decision, so a recorded one (a receipt) can be reproduced. Default: the current version.")


class ClearanceQueries(graphene.ObjectType):
    clearance = graphene.Field(
        graphene.NonNull(ClearanceDecision), input=graphene.Argument(ClearanceInput, required=True),
        as_of_registry_version=graphene.Argument(graphene.Int, description=AS_OF_REGISTRY_VERSION),
        description="Decide one consignment. Side-effect free: safe over GET, cacheable.",
        resolver=resolve_clearance,
    )
    clearances = graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(ClearanceDecision))),
        inputs=graphene.Argument(graphene.List(graphene.NonNull(ClearanceInput)), required=True),
        as_of_registry_version=graphene.Argument(graphene.Int, description=AS_OF_REGISTRY_VERSION),
        description="Decide many lines at once (a whole declaration), in input order. At most MRA_MAX_BATCH "
        "(default 1,000) lines; a larger batch is refused with BATCH_TOO_LARGE.",
        resolver=resolve_clearances,
    )
