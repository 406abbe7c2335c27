"""GraphQL enums made from the domain's codes, so the engine, the API and the CLI speak the same codes."""
from __future__ import annotations

import graphene

from ..domain import codes

Outcome = graphene.Enum.from_enum(codes.Outcome, description="What the importer must do with the consignment.")
ReasonCode = graphene.Enum.from_enum(codes.ReasonCode, description="Why: the reason codes of the clearance rules.")
WarningCode = graphene.Enum.from_enum(
    codes.WarningCode, description="Facts worth knowing that never change the outcome.",
    deprecation_reason=lambda value: (
        "No longer given: a consignment whose import rule the registry does not know is UNDETERMINED with the "
        "reason NO_POLICY_RECORDED." if value is codes.WarningCode.NO_POLICY_RECORDED else None))
Assurance = graphene.Enum.from_enum(
    codes.Assurance, description="How far a decision can be relied on: the weakest confidence among the facts it "
    "rested on (CONFIRMED: read in a cited source; UNCONFIRMED: general knowledge or a maintainer's reading; "
    "FIXTURE: invented for tests).")
CheckCode = graphene.Enum(
    "CheckCode",
    [(code.value, code.value) for code in sorted(codes.UNKNOWN_REASONS, key=lambda c: c.value)]
    + [(codes.WarningCode.STATUS_START_UNKNOWN.value, codes.WarningCode.STATUS_START_UNKNOWN.value),
       (codes.WarningCode.CREDENTIAL_STATUS_UNKNOWN.value, codes.WarningCode.CREDENTIAL_STATUS_UNKNOWN.value)],
    description="What a check asks a person to verify: an unknown result (a reason code), a status whose start "
    "the registry does not know (STATUS_START_UNKNOWN), or a credential whose status list the registry does not "
    "hold (CREDENTIAL_STATUS_UNKNOWN).")
AttestationType = graphene.Enum.from_enum(codes.AttestationType, description="The kind of document presented.")
Activity = graphene.Enum.from_enum(codes.Activity, description="An accreditation activity (one standard each).")
SignatoryStatus = graphene.Enum.from_enum(codes.SignatoryStatus, description="An accreditation body's status in an arrangement.")
ArrangementKind = graphene.Enum.from_enum(codes.ArrangementKind, description="Accreditation (global or regional), government, or SPS equivalence.")
CabKind = graphene.Enum.from_enum(codes.CabKind, description="What a conformity assessment body is.")
RouteKind = graphene.Enum.from_enum(codes.RouteKind, description="A recognition route: through an accreditation arrangement, a government agreement, the exporter's competent authority (OFFICIAL_CERTIFICATE), the importer's acceptance list (LIST) or any issuer (ANY).")
CompetenceKind = graphene.Enum.from_enum(codes.CompetenceKind, description="What a regulatory authority is competent to attest.")
Confidence = graphene.Enum.from_enum(codes.Confidence, description="confirmed: read in a cited source; unconfirmed: general knowledge; fixture: invented for tests.")
CompletenessKind = graphene.Enum.from_enum(
    codes.CompletenessKind, description="What a completeness declaration says the registry holds every record of: "
    "inside its range, the absence of such a record is a fact (RULES.md, \"What the registry knows\").")
PathLinkKind = graphene.Enum.from_enum(codes.PathLinkKind, description="What a link of the recognition path rests on.")


def value(enum_value) -> str | None:
    """A GraphQL enum argument arrives as the domain enum or its value, depending on graphene's path."""
    if enum_value is None:
        return None
    return getattr(enum_value, "value", enum_value)
