"""Digital conformity credentials (UN Transparency Protocol DCC, a W3C Verifiable Credential 2.0): reading their
claims, verifying their JOSE proof (a compact ``vc+jwt`` JWS, EdDSA/Ed25519 or ES256) against the keys the
registry holds for the issuing CAB, and reading W3C Bitstring Status Lists.

Pure: no web, no database, no network. Every fact used comes from the snapshot (the CAB's registered
identifier, its dated verification keys and the status lists it uploaded); the signature code is joserfc's.
``authenticity`` calls ``read`` before RULES.md step 1's other checks (the credential's claims fill the
attestation where its plain fields are absent) and ``verify`` in step 1's credential slot.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import Any

from joserfc import jws as jose_jws
from joserfc.errors import JoseError

from . import model
# the JOSE layer and the status lists are modules of their own; their names stay importable from here
from .bitstring_status import MAX_STATUS_LIST_BYTES, bit_is_set, decode_status_list, encode_status_list  # noqa: F401
from .codes import ACTIVITY_OF_TYPE, ArrangementKind, AttestationType, Confidence, Outcome, ReasonCode, SignatoryStatus, WarningCode
from .decision import Attestation, DecisionCheck, DecisionWarning
from .intervals import holds_on
from .jose_keys import ALGORITHMS, PRIVATE_MEMBERS, PUBLIC_MEMBERS, public_jwk, signature_verifies  # noqa: F401
from .methods import method_key
from .route_result import Failure

MAX_CREDENTIAL_CHARS = 200_000
MEDIA_TYPES = {"vc+jwt", "application/vc+jwt", "vc+ld+json+jwt", "jwt", "application/jwt"}

# UNTP attestationType -> the plain attestation types it can stand for (a certificate type is not said)
_TYPES_OF = {
    "testing": {AttestationType.TESTING, AttestationType.MEDICAL_TESTING},
    "calibration": {AttestationType.CALIBRATION},
    "inspection": {AttestationType.INSPECTION, AttestationType.GMP_INSPECTION},
    "certification": {AttestationType.PRODUCT_CERTIFICATION, AttestationType.MS_CERTIFICATION,
                      AttestationType.PERSONS_CERTIFICATION, AttestationType.RM_CERTIFICATE,
                      AttestationType.OFFICIAL_CERTIFICATE},
}
_GLOBAL_LEVELS = {"GlobalMRA"}


class CredentialError(ValueError):
    """The credential cannot be read (not a compact JWS, not JSON, not a verifiable credential)."""


@dataclass(frozen=True, slots=True)
class Authority:
    """An accreditation the credential claims (``authorisation[]``): the endorsement's id and the body."""

    reference: str | None
    names: tuple[str, ...]  # the issuing authority's id, name and registeredId as given


@dataclass(frozen=True, slots=True)
class StatusEntry:
    list_url: str
    index: int
    purpose: str


@dataclass(frozen=True, slots=True)
class Claims:
    issuer: str | None
    valid_from: date | None
    valid_until: date | None
    attestation_type: str | None
    assessment_level: str | None
    tests: tuple[str, ...]
    lots: tuple[str, ...]
    authorities: tuple[Authority, ...]
    status: tuple[StatusEntry, ...]


@dataclass(frozen=True, slots=True)
class Presented:
    """A presented credential as read, before anything is verified."""

    signed: bool  # a compact JWS; False for the plain JSON form (claims only)
    claims: Claims
    compact: str | None = None
    key_id: str | None = None
    algorithm: str | None = None
    embedded_proof: bool = False  # a JSON form with a Data Integrity proof, which this registry does not verify


# -- reading ------------------------------------------------------------------------------------------------
def read(text: str) -> Presented:
    """Read a credential: a compact JWS whose payload is the VC (``vc+jwt``; a VC-JWT 1.1 ``vc`` claim is read
    too) or the VC as JSON. Raises ``CredentialError`` when it is neither."""
    if not isinstance(text, str) or not text.strip():
        raise CredentialError("the credential is empty")
    if len(text) > MAX_CREDENTIAL_CHARS:
        raise CredentialError(f"the credential is longer than {MAX_CREDENTIAL_CHARS:,} characters")
    text = text.strip()
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except ValueError as error:
            raise CredentialError(f"the credential is not valid JSON ({error.msg})") from None
        return Presented(False, claims_of(document), embedded_proof="proof" in document)
    if text.count(".") != 2:
        raise CredentialError("the credential is neither a compact JWS (three dot-separated parts) nor JSON")
    try:
        extracted = jose_jws.extract_compact(text.encode("ascii"))
    except (JoseError, ValueError, UnicodeError) as error:
        raise CredentialError(f"the credential is not a readable compact JWS ({error})") from None
    headers = extracted.headers()
    typ = headers.get("typ")
    if typ is not None and str(typ).lower() not in MEDIA_TYPES:
        raise CredentialError(f"the JWS says its type is {typ!r}, not a verifiable credential (vc+jwt)")
    try:
        payload = json.loads(extracted.payload)
    except ValueError:
        raise CredentialError("the JWS payload is not JSON") from None
    if isinstance(payload, dict) and "vc" in payload and "@context" not in payload:
        payload = _from_vc_jwt_1_1(payload)
    return Presented(True, claims_of(payload), text, _text(headers.get("kid")), _text(headers.get("alg")))


def _from_vc_jwt_1_1(payload: dict) -> dict:
    """A VC-JWT of VC Data Model 1.1: the credential in ``vc``, its issuer and dates in JWT claims."""
    vc = payload["vc"]
    if not isinstance(vc, dict):
        raise CredentialError("the JWT's 'vc' claim is not an object")
    vc = dict(vc)
    for claim, name in (("iss", "issuer"), ("nbf", "validFrom"), ("exp", "validUntil")):
        value = payload.get(claim)
        if value is None or name in vc:
            continue
        if claim != "iss":
            if not isinstance(value, (int, float)):
                raise CredentialError(f"the JWT's {claim!r} claim is not a time")
            value = datetime.fromtimestamp(value, timezone.utc).isoformat()
        vc[name] = value
    return vc


def claims_of(document: Any) -> Claims:
    """The claims the registry reads from a DCC (UNTP 0.3 to 0.6 names: singular and plural lists)."""
    if not isinstance(document, dict):
        raise CredentialError("the credential is not a JSON object")
    types = document.get("type")
    if not (isinstance(types, list) and "VerifiableCredential" in types) and types != "VerifiableCredential":
        raise CredentialError("the credential's type does not include VerifiableCredential")
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    if issuer is not None and not isinstance(issuer, str):
        raise CredentialError("the credential's issuer is not an identifier")
    subject = document.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    if not isinstance(subject, dict):
        raise CredentialError("the credential has no credentialSubject object")
    tests: list[str] = []
    lots: list[str] = []
    for assessment in _objects(subject, "assessment", "assessments"):
        for standard in _objects(assessment, "referenceStandard", "referenceStandards"):
            name = _text(standard.get("name")) or _text(standard.get("id"))
            if name:
                tests.append(name)
        for item in _objects(assessment, "assessedProduct", "assessedProducts"):
            product = item.get("product") if isinstance(item.get("product"), dict) else item
            lot = _text(product.get("batchNumber"))
            if lot:
                lots.append(lot)
    authorities = []
    for endorsement in _objects(subject, "authorisation", "authorisations"):
        body = endorsement.get("issuingAuthority")
        names = tuple(n for n in (_text(body.get(k)) for k in ("registeredId", "name", "id")) if n) \
            if isinstance(body, dict) else ()
        authorities.append(Authority(_text(endorsement.get("id")), names))
    status = []
    for entry in _objects(document, "credentialStatus"):
        url, index, purpose = entry.get("statusListCredential"), entry.get("statusListIndex"), entry.get("statusPurpose")
        try:
            number = int(index)
        except (TypeError, ValueError):
            raise CredentialError("the credential's status entry has no integer statusListIndex") from None
        if not isinstance(url, str) or not url or number < 0:
            raise CredentialError("the credential's status entry has no statusListCredential or a negative index")
        status.append(StatusEntry(url, number, str(purpose or "revocation")))
    return Claims(
        issuer=issuer,
        valid_from=_day(document.get("validFrom", document.get("issuanceDate")), "validFrom"),
        valid_until=_day(document.get("validUntil", document.get("expirationDate")), "validUntil"),
        attestation_type=_text(subject.get("attestationType")),
        assessment_level=_text(subject.get("assessmentLevel")),
        tests=tuple(dict.fromkeys(tests)),
        lots=tuple(dict.fromkeys(lots)),
        authorities=tuple(authorities),
        status=tuple(status),
    )


def _objects(parent: dict, *names: str) -> list[dict]:
    for name in names:
        value = parent.get(name)
        if value is None:
            continue
        return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)]
    return []


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _day(value: Any, name: str) -> date | None:
    """The calendar day of a VC date-time (UTC when it states an offset)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise CredentialError(f"the credential's {name} is not a date-time")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise CredentialError(f"the credential's {name} {value!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.date()


# -- step 1 -------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Reading:
    """A presented attestation with its credential read: the attestation filled with the credential's claims,
    and what step 1's credential slot must refuse or check."""

    attestation: Attestation
    presented: Presented | None
    problem: str | None = None  # a refusal (CREDENTIAL_INVALID) kept for its place in step 1


def fill(snapshot, attestation: Attestation) -> Reading:
    """Read the credential and fill the attestation's absent plain fields with its claims; a plain field that
    contradicts a claim is kept and the contradiction refused later (CREDENTIAL_INVALID, naming both)."""
    try:
        presented = read(attestation.credential)
    except CredentialError as error:
        return Reading(attestation, None, f"The credential cannot be read: {error}.")
    claims = presented.claims
    contradictions: list[str] = []
    changes: dict[str, Any] = {}
    issuer_cab = _cab_by_identifier(snapshot, claims.issuer) if claims.issuer else None
    if not attestation.issuer and issuer_cab is not None:
        changes["issuer"] = issuer_cab.code
    elif attestation.issuer and issuer_cab is not None and issuer_cab.code != attestation.issuer:
        contradictions.append(f"the issuer is {attestation.issuer} on the document and {claims.issuer} "
                              f"({issuer_cab.code}) in the credential")
    if claims.valid_from is not None and claims.valid_from != attestation.issue_date:
        contradictions.append(f"the issue date is {attestation.issue_date} on the document and "
                              f"{claims.valid_from} (validFrom) in the credential")
    allowed = _TYPES_OF.get((claims.attestation_type or "").lower())
    if allowed is not None and attestation.type not in allowed:
        contradictions.append(f"the attestation type is {attestation.type} on the document and "
                              f"{claims.attestation_type!r} in the credential")
    claimed_bodies = [code for code in (_body_code(snapshot, a) for a in claims.authorities) if code]
    if claimed_bodies:
        if attestation.accreditation_body is None:
            changes["accreditation_body"] = claimed_bodies[0]
        elif attestation.accreditation_body.casefold() not in {c.casefold() for c in claimed_bodies}:
            contradictions.append(f"the accreditation body is {attestation.accreditation_body} on the document "
                                  f"and {', '.join(claimed_bodies)} in the credential")
    if claims.lots:
        if attestation.lot is None:
            if len(claims.lots) == 1:
                changes["lot"] = claims.lots[0]
        elif attestation.lot not in claims.lots:
            contradictions.append(f"the lot is {attestation.lot} on the document and {', '.join(claims.lots)} "
                                  "in the credential")
    if claims.tests:
        if not attestation.tests:
            changes["tests"] = claims.tests
        elif {method_key(t).base for t in attestation.tests} != {method_key(t).base for t in claims.tests}:
            contradictions.append(f"the tests are {', '.join(attestation.tests)} on the document and "
                                  f"{', '.join(claims.tests)} in the credential")
    filled = replace(attestation, **changes) if changes else attestation
    problem = None
    if contradictions:
        problem = ("The document's plain fields contradict its credential: " + "; ".join(contradictions) + ".")
    return Reading(filled, presented, problem)


@dataclass(frozen=True, slots=True)
class Verified:
    """What a credential that passed step 1 adds to the decision."""

    warnings: tuple[DecisionWarning, ...] = ()
    checks: tuple[DecisionCheck, ...] = ()
    basis: tuple[model.Provenance, ...] = ()


def verify(snapshot, reading: Reading, cab, d_clear: date) -> Verified:
    """RULES.md step 1, the credential's slot: ``Failure`` CREDENTIAL_INVALID or CREDENTIAL_REVOKED, else what
    the decision must add (warnings, checks, and the records it rested on)."""
    attestation, presented = reading.attestation, reading.presented
    if reading.problem is not None:
        raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID, reading.problem)
    claims = presented.claims
    record = cab.cab if cab is not None else None
    warnings_: list[DecisionWarning] = []
    checks: list[DecisionCheck] = []
    basis: list[model.Provenance] = []
    if not presented.signed:
        what = ("its Data Integrity proof is not verified by this registry (only JOSE vc+jwt is)"
                if presented.embedded_proof else "it carries no proof")
        warnings_.append(DecisionWarning(
            WarningCode.CREDENTIAL_NOT_VERIFIED,
            f"The credential was read for its claims only: {what}, so neither its signature, its issuer, its "
            "validity period nor its revocation status was verified."))
    else:
        basis.extend(_verify_signed(presented, attestation, record, d_clear))
    if record is not None:
        warnings_.extend(_differences(snapshot, attestation, claims, cab))
    if presented.signed:
        status_basis, status_warnings, status_checks = _status(claims, attestation, record, d_clear)
        basis.extend(status_basis)
        warnings_.extend(status_warnings)
        checks.extend(status_checks)
    return Verified(tuple(warnings_), tuple(checks), tuple(basis))


def _verify_signed(presented: Presented, attestation: Attestation, record, d_clear: date) -> list[model.Provenance]:
    claims, issuer = presented.claims, attestation.issuer
    if record is None:
        raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
                      f"The credential's issuer {issuer!r} is not a conformity assessment body in the registry, so "
                      "no key is registered to verify its signature: it cannot be relied on as a signed credential "
                      "(present the plain fields without it to have the document decided on what it claims).")
    if presented.algorithm not in ALGORITHMS:
        raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
                      f"The credential is signed with {presented.algorithm!r}: only EdDSA (Ed25519) and ES256 "
                      "signatures are accepted.")
    keys = [k for k in record.verification_keys if presented.key_id is None or k.key_id == presented.key_id]
    if not keys:
        named = f"key {presented.key_id!r}" if presented.key_id else "any key (the JWS names no kid)"
        raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
                      f"The registry holds no verification key of {record.code} matching {named}: the credential's "
                      "signature cannot be verified against a key registered for its issuer.", (record.provenance,))
    key = next((k for k in keys if signature_verifies(presented.compact, k.public_jwk, presented.algorithm)), None)
    if key is None:
        raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
                      f"The credential's signature does not verify against {record.code}'s registered key "
                      f"{keys[0].key_id}: it was not signed by that key, or it was altered after signing.")
    if record.identifier is None or claims.issuer != record.identifier:
        held = record.identifier or "none"
        raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
                      f"The credential's issuer is {claims.issuer!r}, not {record.code}'s registered identifier "
                      f"({held}).", (record.provenance,))
    d_issue = attestation.issue_date
    if key.revoked_on is not None and d_issue >= key.revoked_on:
        raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
                      f"The credential is dated {d_issue}, on or after {key.revoked_on}, when {record.code} revoked "
                      f"its key {key.key_id}: a revoked key verifies nothing signed from that day.", (key.provenance,))
    if not holds_on(key, d_issue):
        raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
                      f"{record.code}'s key {key.key_id} is valid {key.valid_from or 'open'} to "
                      f"{key.valid_to or 'open'}, not on the credential's issue date {d_issue}.", (key.provenance,))
    if claims.valid_until is not None and claims.valid_until < d_clear:
        raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
                      f"The credential is valid until {claims.valid_until}, before the clearance date {d_clear}.")
    return [record.provenance, key.provenance]


def _status(claims: Claims, attestation: Attestation, record, d_clear: date):
    basis: list[model.Provenance] = []
    warnings_: list[DecisionWarning] = []
    checks: list[DecisionCheck] = []
    for entry in claims.status:
        if entry.purpose != "revocation":
            continue
        held = next((s for s in record.status_lists if s.url == entry.list_url and s.purpose == entry.purpose),
                    None)
        if held is None:
            message = (f"The registry holds no copy of {record.code}'s status list {entry.list_url}: whether the "
                       f"credential (entry {entry.index}) has been revoked is not known. Verify its status with "
                       f"{record.code} before acting.")
            warnings_.append(DecisionWarning(WarningCode.CREDENTIAL_STATUS_UNKNOWN, message))
            checks.append(DecisionCheck(WarningCode.CREDENTIAL_STATUS_UNKNOWN, message, (entry.list_url,)))
            basis.append(model.Provenance(Confidence.UNCONFIRMED))  # relied on unverified: at most UNCONFIRMED
            continue
        try:
            bits = decode_status_list(held.encoded_list)
        except ValueError as error:
            raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
                          f"{record.code}'s status list {entry.list_url} cannot be read ({error}).",
                          (held.provenance,)) from None
        if entry.index >= len(bits) * 8:
            raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
                          f"The credential's status index {entry.index} is outside {record.code}'s status list "
                          f"{entry.list_url} ({len(bits) * 8} entries).", (held.provenance,))
        if bit_is_set(bits, entry.index):
            raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_REVOKED,
                          f"{record.code} has revoked the credential: entry {entry.index} of its status list "
                          f"{entry.list_url} (as of {held.as_of}) is set.", (held.provenance,))
        basis.append(held.provenance)
    return basis, warnings_, checks


def _differences(snapshot, attestation: Attestation, claims: Claims, cab) -> list[DecisionWarning]:
    """CREDENTIAL_CLAIM_DIFFERS: the credential's assessment level or accreditation reference disagree with what
    the registry shows of the issuer on the issue date (the registry's answer stands)."""
    found: list[str] = []
    d_issue = attestation.issue_date
    activity = ACTIVITY_OF_TYPE.get(attestation.type)
    active = [v.accreditation for v in cab.accreditations
              if v.accreditation.activity is activity and v.accreditation.active_on(d_issue)
              and (attestation.accreditation_body is None
                   or v.accreditation.accreditation_body == attestation.accreditation_body)]
    level = claims.assessment_level
    if level in ("Accredited", *_GLOBAL_LEVELS) and not active:
        found.append(f"the credential says {level!r}, and the registry holds no accreditation of {cab.code} "
                     f"for {activity or attestation.type} active on {d_issue}")
    elif level in _GLOBAL_LEVELS and activity is not None and not any(
        reading.status is SignatoryStatus.SIGNATORY
        for a in active
        for arrangement in snapshot.arrangements.values() if arrangement.kind is ArrangementKind.ACCREDITATION_GLOBAL
        for reading in snapshot.status_readings(a.accreditation_body, arrangement.code, activity, d_issue)
    ):
        found.append(f"the credential says 'GlobalMRA', and the registry shows no accreditation body of "
                     f"{cab.code} holding signatory status in a global arrangement for {activity} on {d_issue}")
    elif level == "GovtApproval" and not cab.is_regulator and not any(
        holds_on(d, d_issue) for d in cab.cab.designations
    ):
        found.append(f"the credential says 'GovtApproval', and the registry holds no designation of {cab.code} "
                     f"under a government arrangement on {d_issue}")
    for authority in claims.authorities:
        body = _body_code(snapshot, authority)
        if body is None:
            if authority.names:
                found.append(f"the credential names {authority.names[0]!r} as accreditation authority, which the "
                             "registry does not know by that name")
            continue
        numbers = {a.accreditation.number.casefold() for a in cab.accreditations
                   if a.accreditation.accreditation_body == body}
        reference = authority.reference
        if reference and numbers and not (reference.casefold() in numbers or _last_segment(reference) in numbers):
            found.append(f"the credential's accreditation reference {reference!r} is not a number the registry "
                         f"holds for {cab.code}'s accreditation by {body} ({', '.join(sorted(numbers))})")
    if not found:
        return []
    return [DecisionWarning(WarningCode.CREDENTIAL_CLAIM_DIFFERS,
                            "The credential's claims differ from the registry: " + "; ".join(found)
                            + ". The decision rests on the registry.")]


def _last_segment(reference: str) -> str:
    for separator in ("#", "/", "=", ":"):
        reference = reference.rstrip(separator).rsplit(separator, 1)[-1]
    return reference.casefold()


def _cab_by_identifier(snapshot, identifier: str):
    for view in snapshot.cabs.values():
        if view.cab.identifier == identifier:
            return view
    return None


def _body_code(snapshot, authority: Authority) -> str | None:
    """The accreditation body the registry holds under one of the authority's names (code or name)."""
    wanted = {name.casefold() for name in authority.names}
    for body in snapshot.accreditation_bodies.values():
        if body.code.casefold() in wanted or body.name.casefold() in wanted:
            return body.code
    return None
