"""RULES.md step 1, on one presented attestation: refute it only on what the registry knows (a record, such as a
look-alike body or the CAB's own accreditations, or a completeness declaration). An issuer or a claim the
registry simply does not hold is no reason to doubt the document: it is decided on what it claims.

A presented credential (``credentials``) is read first, its claims filling the plain fields it leaves absent;
it is verified last, in its own place (CREDENTIAL_INVALID, then CREDENTIAL_REVOKED): its proof against a key the
registry holds for the CAB, its issuer against the CAB's registered identifier, its dates, its status list."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .codes import Outcome, ReasonCode
from . import credentials
from .decision import Attestation, DecisionCheck, DecisionWarning
from .model import Provenance
from .route_result import Failure
from .snapshot import CabView, Snapshot


@dataclass(slots=True)  # not frozen: one per presented document, read by the engine only (see decision.py)
class Issuer:
    """What the registry holds of an attestation's issuer and claim."""

    cab: CabView | None
    claimed_body: str | None
    # CAB_NOT_RECORDED (issuer not held) or ACCREDITATION_NOT_RECORDED (the claimed accreditation not held):
    # the document is decided on what it claims, and no route can pass on it.
    unheld: ReasonCode | None = None
    # the attestation as decided: its plain fields, and its credential's claims where those are absent
    attestation: Attestation | None = None
    # what a verified (or only read) credential adds to the decision
    warnings: tuple[DecisionWarning, ...] = ()
    checks: tuple[DecisionCheck, ...] = ()
    basis: tuple[Provenance, ...] = ()


def authenticate(snapshot: Snapshot, attestation: Attestation, d_clear: date) -> Issuer:
    """The issuer as the registry holds it, or ``Failure`` (INVALID) when the registry refutes the document."""
    # A credential's claims fill the plain fields it leaves absent before anything is checked; the credential
    # itself is verified in its own place below (CREDENTIAL_INVALID, CREDENTIAL_REVOKED).
    reading = credentials.fill(snapshot, attestation) if attestation.credential is not None else None
    if reading is not None:
        attestation = reading.attestation
    d_issue, completeness = attestation.issue_date, snapshot.completeness
    claimed_body = attestation.accreditation_body or None
    claimed_number = attestation.accreditation_number or None
    body = snapshot.accreditation_bodies.get(claimed_body) if claimed_body is not None else None
    cab = snapshot.cabs.get(attestation.issuer)
    unheld: ReasonCode | None = None
    if cab is not None and reading is None and d_issue <= d_clear and (claimed_body is None or body is not None) \
            and ((claimed_body is None and claimed_number is None) or _holds_claim(cab, claimed_body, claimed_number)):
        # most documents: a held issuer that holds the accreditation claimed, dated in time, without a credential:
        # none of the refusals below applies, so the body's completeness declaration need not be read
        return Issuer(cab, claimed_body, None, attestation)
    body_declaration = completeness.accreditations(claimed_body, d_issue) if body is not None else None
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
    if cab is not None and (claimed_body is not None or claimed_number is not None) and not _holds_claim(
            cab, claimed_body, claimed_number):
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
    if reading is not None:
        verified = credentials.verify(snapshot, reading, cab, d_clear)
        return Issuer(cab, claimed_body, unheld, attestation, verified.warnings, verified.checks, verified.basis)
    return Issuer(cab, claimed_body, unheld, attestation)


def _holds_claim(cab: CabView, claimed_body: str | None, claimed_number: str | None) -> bool:
    """Whether the registry has ever held, for ``cab``, an accreditation by the claimed body with the claimed
    number (either may be absent), in any activity or state."""
    for view in cab.accreditations:
        accreditation = view.accreditation
        if ((claimed_body is None or accreditation.accreditation_body == claimed_body)
                and (claimed_number is None or accreditation.number == claimed_number)):
            return True
    return False
