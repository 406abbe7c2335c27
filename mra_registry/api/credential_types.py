"""The object types of a CAB's credential records (issue 14): its verification keys and status lists."""
from __future__ import annotations

import json
from datetime import date

import graphene

from ..domain import model
from ..domain.credentials import bit_is_set, decode_status_list
from .pagination import NestedConnection, list_connection
from .registry_types import ProvenanceFields
from .scalars import JSON, Date


def usable_on(key: model.VerificationKey, day: date) -> bool:
    """Whether the key verifies a credential issued on ``day`` (its interval, and not revoked on or before it)."""
    return ((key.valid_from is None or key.valid_from <= day) and (key.valid_to is None or day <= key.valid_to)
            and (key.revoked_on is None or day < key.revoked_on))


class VerificationKey(ProvenanceFields, graphene.ObjectType):
    """A public key a CAB signs its credentials with (JWS `kid` = `keyId`), usable for credentials issued from
    `validFrom` to `validTo`; from `revokedOn` it verifies nothing."""

    key_id = graphene.String(required=True, description="The key id: the `kid` of the credentials it signs.")
    jwk = graphene.Field(JSON, required=True, description="The public JWK (Ed25519 `OKP` or P-256 `EC`; public "
                                                          "members only).")
    valid_from = Date(description="First issue day it may sign; null: open.")
    valid_to = Date(description="Last issue day it may sign; null: open.")
    revoked_on = Date(description="First day it verifies nothing (credentials issued on or after it are refused).")

    @staticmethod
    def resolve_jwk(parent: model.VerificationKey, info):
        return json.loads(parent.public_jwk)


class VerificationKeyConnection(NestedConnection):
    class Meta:
        node = VerificationKey


class StatusList(ProvenanceFields, graphene.ObjectType):
    """A W3C Bitstring Status List as the registry holds it: a credential naming `url` and a status index has the
    status `purpose` (revocation: revoked) when that bit is set."""

    url = graphene.String(required=True, description="The `statusListCredential` URL its credentials name.")
    purpose = graphene.String(required=True, description="revocation, suspension, refresh or message (only "
                                                          "revocation changes a decision).")
    as_of = Date(required=True, description="The day the registry's copy was read (uploaded or fetched).")
    size = graphene.Int(required=True, description="Entries in the list (bits).")
    set_count = graphene.Int(required=True, description="Entries whose bit is set (for revocation: revoked).")
    encoded_list = graphene.String(required=True, description="The list as held: multibase base64url of the "
                                                              "GZIP-compressed bitstring.")
    is_set = graphene.Boolean(required=True, index=graphene.Int(required=True),
                              description="Whether the entry at this `statusListIndex` is set.")

    @staticmethod
    def resolve_size(parent: model.StatusList, info):
        return len(decode_status_list(parent.encoded_list)) * 8

    @staticmethod
    def resolve_set_count(parent: model.StatusList, info):
        return sum(bin(byte).count("1") for byte in decode_status_list(parent.encoded_list))

    @staticmethod
    def resolve_is_set(parent: model.StatusList, info, index: int):
        bits = decode_status_list(parent.encoded_list)
        return 0 <= index < len(bits) * 8 and bit_is_set(bits, index)


class StatusListConnection(NestedConnection):
    class Meta:
        node = StatusList


def resolve_verification_keys(cab: model.ConformityAssessmentBody, as_of, first, after):
    keys = sorted(cab.verification_keys, key=lambda k: k.key_id)
    return list_connection(VerificationKeyConnection, [k for k in keys if as_of is None or usable_on(k, as_of)],
                           first, after)


def resolve_status_lists(cab: model.ConformityAssessmentBody, first, after):
    return list_connection(StatusListConnection, sorted(cab.status_lists, key=lambda s: (s.url, s.purpose)),
                           first, after)
