"""A CAB's credential records through the API (issue 14): its identifier, verification keys and status lists.
Each write is the CAB's new state applied through the loader (store/writes.apply_entities), the path registry
documents and `fetch-status-list` take: the same validation (public keys only, readable lists), the change log
with before and after, the CAB's version moved. The CAB's record is its owner's: the accreditation body that
registered it through the API, or an administrator (mutations/bodies.registrant)."""
from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timezone

import graphene
from sqlalchemy import select

from ...domain import model
from ...domain.credentials import decode_status_list, public_jwk
from ...interchange import writer
from ...status_lists import StatusListError, status_list_of
from ...store import models as m
from ...store import queries
from ...store.writes import apply_entities
from ..auth import require_any_of
from ..errors import InputPaths, WriteRefused
from ..registry_types import ConformityAssessmentBody
from ..scalars import JSON, Date
from .base import RegistryMutation, Write
from .bodies import registrant
from .common import ProvenanceInput, check_version, item_paths, one, provenance, rendered_index

IDENTIFIER = re.compile(r"^(did:web:[A-Za-z0-9._%:-]+|https://\S+)$")  # as registry-document.schema.json
STATUS_URL = re.compile(r"^https://\S+$")
PURPOSES = ("revocation", "suspension", "refresh", "message")
MAX_IDENTIFIER, MAX_KEY_ID, MAX_URL = 500, 500, 1000


class CabCredentialFields:
    cab = graphene.String(required=True, description="The conformity assessment body's code.")
    expected_version = graphene.Int(required=True, description="The CAB's `version` you read; a stale one is refused.")
    message = graphene.String(description="Kept in the change log with this write.")


class CabIdentifierSetInput(CabCredentialFields, graphene.InputObjectType):
    identifier = graphene.String(description="A did:web DID or an https URL, as its credentials name their issuer; "
                                             "null removes it (its signed credentials are then refused).")


class CabVerificationKeyRecordInput(CabCredentialFields, graphene.InputObjectType):
    key_id = graphene.String(required=True, description="The key id its credentials' JWS header names (`kid`).")
    jwk = graphene.Field(JSON, required=True, description="The public JWK: an object (or its JSON text) of kty OKP "
                         "crv Ed25519, or kty EC crv P-256. Private members are refused.")
    valid_from = Date(description="First issue day it may sign; null: open.")
    valid_to = Date(description="Last issue day it may sign; null: open.")
    provenance = ProvenanceInput()


class CabVerificationKeyRevokeInput(CabCredentialFields, graphene.InputObjectType):
    key_id = graphene.String(required=True)
    revoked_on = Date(required=True, description="The first day the key verifies nothing: the first day it may have "
                                                 "been exposed (credentials dated from then on are refused).")


class CabStatusListUploadInput(CabCredentialFields, graphene.InputObjectType):
    url = graphene.String(required=True, description="The https URL its credentials name as `statusListCredential`.")
    credential = graphene.String(description="A BitstringStatusListCredential: its JSON, or a compact JWS that must "
                                             "verify against one of the CAB's keys. Not with `encodedList`.")
    encoded_list = graphene.String(description="The list alone: multibase base64url of the GZIP-compressed bitstring. "
                                               "Not with `credential`.")
    purpose = graphene.String(description="revocation (default), suspension, refresh or message; with `credential`, "
                                          "its statusPurpose (a different one given here is refused).")
    as_of = Date(description="The day this copy was read; default: today (UTC).")
    provenance = ProvenanceInput()


def _owned_cab(write: Write, data, verb: str) -> model.ConformityAssessmentBody:
    code = data["cab"]
    cab = one(write.session, queries.cabs_by_codes, code, "conformity assessment body", "input.cab")
    owner = registrant(write.session, cab.code)
    require_any_of(write.principal, [owner] if owner else [],
                   f"{verb} of {cab.code} (a CAB's record belongs to the accreditation body that registered it, or "
                   "to an administrator)")
    check_version(write.session, "ConformityAssessmentBody", cab.code, data["expected_version"])
    return cab


# the list of a CAB's credential records the input is one item of: model attribute -> document key
_ITEMS = {"verification_keys": "verificationKeys", "status_lists": "statusLists"}


def _write(write: Write, old: model.ConformityAssessmentBody, item: tuple[str, object] | None = None,
           **changes) -> dict:
    """Write the CAB's new state; the input is one item of its credential records (``item``: its attribute and
    the item as written), or, without one, the CAB itself (its identifier)."""
    new = dataclasses.replace(old, **changes)
    if item is not None:
        attribute, written = item
        write.paths = lambda: item_paths("conformityAssessmentBodies", "cab", _ITEMS[attribute], rendered_index(
            writer.cab, new, attribute, _ITEMS[attribute], written))
    apply_entities(write.session, write.actor, before=model.Registry(0, cabs=(old,)),
                   after=model.Registry(0, cabs=(new,)))
    return {"conformity_assessment_body": new}


def _key(cab: model.ConformityAssessmentBody, key_id: str) -> model.VerificationKey:
    found = next((k for k in cab.verification_keys if k.key_id == key_id), None)
    if found is None:
        raise WriteRefused(("input.keyId", f"{cab.code} holds no key {key_id!r}", "NOT_FOUND"))
    return found


class CabIdentifierSet(RegistryMutation):
    """Set (or remove) the identifier a CAB's signed credentials name as issuer (the CAB's owner: the accreditation
    body that registered it, or an administrator). Two CABs cannot hold the same identifier."""

    class Arguments:
        input = CabIdentifierSetInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    paths = InputPaths(root="$.conformityAssessmentBodies[0]", renames={"code": "cab"})

    @classmethod
    def perform(cls, write: Write, data):
        cab = _owned_cab(write, data, "set the credential identifier")
        identifier = data.get("identifier")
        if identifier is not None:
            if len(identifier) > MAX_IDENTIFIER or not IDENTIFIER.match(identifier):
                raise WriteRefused(("input.identifier",
                                    f"{identifier[:80]!r} is neither a did:web DID nor an https URL "
                                    f"(at most {MAX_IDENTIFIER} characters)", "INVALID"))
            holder = write.session.scalar(select(m.CabRow.code).where(m.CabRow.identifier == identifier,
                                                                      m.CabRow.code != cab.code))
            if holder is not None:
                raise WriteRefused(("input.identifier", f"{holder} already holds the identifier {identifier}",
                                    "ALREADY_EXISTS"))
        if identifier == cab.identifier:
            raise WriteRefused(("input.identifier",
                                f"{cab.code}'s identifier is already {identifier}", "INVALID_TRANSITION"))
        return _write(write, cab, identifier=identifier)


class CabVerificationKeyRecord(RegistryMutation):
    """Register a public key a CAB signs its credentials with (its owner, or an administrator). A new key id
    each time: rotation is a new key (end the old one with `cabVerificationKeyRevoke` or its `validTo`)."""

    class Arguments:
        input = CabVerificationKeyRecordInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    @classmethod
    def perform(cls, write: Write, data):
        cab = _owned_cab(write, data, "record verification keys")
        key_id = data["key_id"]
        if not key_id or not key_id.strip() or len(key_id) > MAX_KEY_ID:
            raise WriteRefused(("input.keyId", f"a key id is 1 to {MAX_KEY_ID} characters", "INVALID"))
        if any(k.key_id == key_id for k in cab.verification_keys):
            raise WriteRefused(("input.keyId", f"{cab.code} already holds a key {key_id!r}: rotate to a new key id",
                                "ALREADY_EXISTS"))
        try:
            jwk = public_jwk(data["jwk"])
        except ValueError as error:
            raise WriteRefused(("input.jwk", str(error), "INVALID")) from None
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            raise WriteRefused(("input.validTo",
                                f"'validTo' ({end}) is before 'validFrom' ({start})", "INVALID_DATE_RANGE"))
        key = model.VerificationKey(cab.code, key_id, jwk, start, end, None, provenance(data))
        return _write(write, cab, ("verification_keys", key), verification_keys=(*cab.verification_keys, key))


class CabVerificationKeyRevoke(RegistryMutation):
    """Revoke a CAB's key from a day (its owner, or an administrator): credentials it signed dated from that day
    are refused (CREDENTIAL_INVALID). An earlier day may replace a later one; not the other way round."""

    class Arguments:
        input = CabVerificationKeyRevokeInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    @classmethod
    def perform(cls, write: Write, data):
        cab = _owned_cab(write, data, "revoke verification keys")
        key, day = _key(cab, data["key_id"]), data["revoked_on"]
        if key.revoked_on is not None and key.revoked_on <= day:
            raise WriteRefused(("input.revokedOn", f"{key.key_id} is already revoked on {key.revoked_on}",
                                "INVALID_TRANSITION"))
        revoked = dataclasses.replace(key, revoked_on=day)
        return _write(write, cab, ("verification_keys", revoked),
                      verification_keys=tuple(revoked if k is key else k for k in cab.verification_keys))


class CabStatusListUpload(RegistryMutation):
    """Upload a CAB's W3C Bitstring Status List (its owner, or an administrator): the credential, or its encoded
    list alone. It replaces the copy held for the same URL and purpose; decisions read it from then on."""

    class Arguments:
        input = CabStatusListUploadInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    @classmethod
    def perform(cls, write: Write, data):
        cab = _owned_cab(write, data, "upload status lists")
        url = data["url"]
        if len(url) > MAX_URL or not STATUS_URL.match(url):
            raise WriteRefused(("input.url", f"a status list URL is an https URL of at most {MAX_URL} characters",
                                "INVALID"))
        credential, encoded, purpose = data.get("credential"), data.get("encoded_list"), data.get("purpose")
        if (credential is None) == (encoded is None):
            raise WriteRefused(("input.credential", "give the status list credential or its encodedList (one of them)",
                                "INVALID"))
        if purpose is not None and purpose not in PURPOSES:
            raise WriteRefused(("input.purpose",
                                f"unknown purpose {purpose!r} (one of {', '.join(PURPOSES)})", "INVALID"))
        as_of = data.get("as_of") or datetime.now(timezone.utc).date()
        if credential is not None:
            try:
                held = status_list_of(credential.strip(), url, cab, as_of)
            except StatusListError as error:
                raise WriteRefused(("input.credential", str(error), "INVALID")) from None
            if purpose is not None and purpose != held.purpose:
                raise WriteRefused(("input.purpose", f"the credential's statusPurpose is {held.purpose}, not {purpose}",
                                    "INVALID"))
            held = dataclasses.replace(held, provenance=provenance(data))
        else:
            try:
                decode_status_list(encoded)
            except ValueError as error:
                raise WriteRefused(("input.encodedList",
                                    f"the encoded list cannot be read ({error})", "INVALID")) from None
            held = model.StatusList(cab.code, url, purpose or "revocation", encoded, as_of, provenance(data))
        kept = tuple(s for s in cab.status_lists if (s.url, s.purpose) != (held.url, held.purpose))
        return _write(write, cab, ("status_lists", held), status_lists=(*kept, held))


