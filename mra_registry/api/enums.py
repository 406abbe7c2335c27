"""GraphQL enums made from the domain's codes, so the engine, the API and the CLI speak the same codes."""
from __future__ import annotations

import graphene

from ..domain import codes

Outcome = graphene.Enum.from_enum(codes.Outcome, description="What the importer must do with the consignment.")
ReasonCode = graphene.Enum.from_enum(codes.ReasonCode, description="Why: the reason codes of the clearance rules.")
WarningCode = graphene.Enum.from_enum(codes.WarningCode, description="Facts worth knowing that never change the outcome.")
AttestationType = graphene.Enum.from_enum(codes.AttestationType, description="The kind of document presented.")
Activity = graphene.Enum.from_enum(codes.Activity, description="An accreditation activity (one standard each).")
SignatoryStatus = graphene.Enum.from_enum(codes.SignatoryStatus, description="An accreditation body's status in an arrangement.")
ArrangementKind = graphene.Enum.from_enum(codes.ArrangementKind, description="Accreditation (global or regional), government, or SPS equivalence.")
CabKind = graphene.Enum.from_enum(codes.CabKind, description="What a conformity assessment body is.")
RouteKind = graphene.Enum.from_enum(codes.RouteKind, description="A recognition route: through an accreditation arrangement or a government agreement.")
Confidence = graphene.Enum.from_enum(codes.Confidence, description="confirmed: read in a cited source; unconfirmed: general knowledge; fixture: invented for tests.")
PathLinkKind = graphene.Enum.from_enum(codes.PathLinkKind, description="What a link of the recognition path rests on.")


def value(enum_value) -> str | None:
    """A GraphQL enum argument arrives as the domain enum or its value, depending on graphene's path."""
    if enum_value is None:
        return None
    return getattr(enum_value, "value", enum_value)
