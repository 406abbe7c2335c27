"""RULES.md step 1, on one presented attestation: refute it only on what the registry knows (a record, such as a
look-alike body or the CAB's own accreditations, or a completeness declaration). An issuer or a claim the
registry simply does not hold is no reason to doubt the document: it is decided on what it claims."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .codes import Outcome, ReasonCode
from .decision import Attestation
from .route_result import Failure
from .snapshot import CabView, Snapshot


@dataclass(frozen=True, slots=True)
class Issuer:
    """What the registry holds of an attestation's issuer and claim."""

    cab: CabView | None
    claimed_body: str | None
    # CAB_NOT_RECORDED (issuer not held) or ACCREDITATION_NOT_RECORDED (the claimed accreditation not held):
    # the document is decided on what it claims, and no route can pass on it.
    unheld: ReasonCode | None = None


def authenticate(snapshot: Snapshot, attestation: Attestation, d_clear: date) -> Issuer:
    """The issuer as the registry holds it, or ``Failure`` (INVALID) when the registry refutes the document."""
    d_issue, completeness = attestation.issue_date, snapshot.completeness
    claimed_body = attestation.accreditation_body or None
    claimed_number = attestation.accreditation_number or None
    body = snapshot.accreditation_bodies.get(claimed_body) if claimed_body is not None else None
    body_declaration = completeness.accreditations(claimed_body, d_issue) if body is not None else None
    cab = snapshot.cabs.get(attestation.issuer)
    unheld: ReasonCode | None = None
    if cab is None:
        declaration = completeness.cabs(d_issue)
        if declaration is not None:
            raise Failure(Outcome.INVALID, ReasonCode.UNKNOWN_CAB,
                          f"The issuer {attestation.issuer!r} is not a conformity assessment body in the registry, "
                          f"which declares it holds every one on {d_issue} ({declaration.code}): the attestation "
                          "cannot be relied on.", (declaration.provenance,))
        if body_declaration is not None:
            raise Failure(Outcome.INVALID, ReasonCode.UNKNOWN_CAB,
                          f"The attestation claims accreditation by {claimed_body}, and the registry holds every "
                          f"accreditation {claimed_body} granted on {d_issue} ({body_declaration.code}): none is "
                          f"held by {attestation.issuer!r}, so the claim is refuted.",
                          (body_declaration.provenance, body.provenance))
        unheld = ReasonCode.CAB_NOT_RECORDED
    if claimed_body is not None and body is None:
        lookalike = snapshot.lookalike_bodies.get(claimed_body)
        if lookalike is not None:
            raise Failure(Outcome.INVALID, ReasonCode.UNRECOGNISED_ACCREDITATION_BODY,
                          f"The attestation claims accreditation by {claimed_body!r}, which the registry records as "
                          "not an accreditation body (a look-alike of one): the claim cannot be relied on.",
                          (lookalike.provenance,))
        declaration = completeness.accreditation_bodies(d_issue)
        if declaration is not None:
            raise Failure(Outcome.INVALID, ReasonCode.UNRECOGNISED_ACCREDITATION_BODY,
                          f"The attestation claims accreditation by {claimed_body!r}, which is not an accreditation "
                          f"body: the registry holds every one on {d_issue} ({declaration.code}).",
                          (declaration.provenance,))
    if cab is not None and (claimed_body is not None or claimed_number is not None) and not any(
        (claimed_body is None or view.accreditation.accreditation_body == claimed_body)
        and (claimed_number is None or view.accreditation.number == claimed_number)
        for view in cab.accreditations
    ):
        if body_declaration is not None:
            claim = " ".join(part for part in (claimed_body, f"number {claimed_number}" if claimed_number else None)
                             if part)
            raise Failure(Outcome.INVALID, ReasonCode.ACCREDITATION_MISMATCH,
                          f"{cab.code} has never held an accreditation {claim}, and the registry holds every "
                          f"accreditation {claimed_body} granted ({body_declaration.code}): the accreditation claimed "
                          "on the attestation does not belong to its issuer.",
                          (body_declaration.provenance, cab.cab.provenance))
        unheld = ReasonCode.ACCREDITATION_NOT_RECORDED
    if d_issue > d_clear:
        raise Failure(Outcome.INVALID, ReasonCode.FUTURE_DATED,
                      f"The attestation is dated {d_issue}, after the clearance date {d_clear}.")
    if attestation.credential is not None:
        # Verifying signed credentials (keys, issuer identifiers, status lists) is not supported yet:
        # an unverifiable credential must not be trusted, so it is refused rather than guessed at.
        raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
                      "Signed credentials cannot be verified yet by this registry: present the attestation's "
                      "plain fields instead, or have the credential checked by other means.")
    return Issuer(cab, claimed_body, unheld)
