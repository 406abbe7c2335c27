"""`clearanceRecord(input)`: decide, record and sign (issue 14). For any authenticated caller (any valid token):
the decision is made as `clearance` makes it, on the current snapshot, then stored with its input and returned
with a receipt signed by the service (receipt_keys.py; docs/receipts.md). Recording is not a registry write: the
registry version does not move and the registry's write lock is not taken."""
from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date, datetime, timezone
from typing import Any

import graphene
from sqlalchemy.orm import Session

from ..checking.decision_json import decision_to_json
from ..domain.engine import decide
from ..domain.errors import InvalidInput
from ..receipt_keys import WELL_KNOWN_PATH, ReceiptKeyError, canonical_json, input_sha256, signer_for
from ..store.receipts import StoredReceipt, record_receipt
from ..store.snapshots import SnapshotUnavailable
from .auth import principal_of
from .clearance import ClearanceDecision, ClearanceInput, consignment_from_input
from .errors import MutationError, WriteRefused
from .text_input import input_text_refusals

KEYS_NOTE = (f"Verify it with the service's public keys, a JWK Set published at {WELL_KNOWN_PATH} (by `kid`), or "
             "offline with `mra-registry verify-receipt FILE --keys KEYS` (docs/receipts.md).")


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def input_to_json(value: Any) -> Any:
    """The clearance input as the API takes it (camelCase, ISO dates, enum names), absent values left out."""
    if isinstance(value, dict):
        return {_camel(k): input_to_json(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [input_to_json(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool)):
        return value.value  # an enum
    return value


class DecisionReceipt(graphene.ObjectType):
    class Meta:
        description = ("A decision recorded by the service, signed as a compact JWS (alg Ed25519) over the RFC 8785 "
                       "canonical JSON of {receiptId, issuedAt, registryVersion, inputSha256, decision}. " + KEYS_NOTE)

    id = graphene.String(required=True, description="The receipt id (also `receiptId` in the signed payload).")
    jws = graphene.String(required=True, description="The signed receipt: a compact JWS whose protected header "
                          "names the signing key (`kid`).")
    key_id = graphene.String(required=True, description="The `kid` of the key that signed it.")
    registry_version = graphene.Int(required=True, description="The registry version the decision was made on: "
                                    "`clearance(input, asOfRegistryVersion:)` with it gives the same decision.")
    issued_at = graphene.String(required=True, description="When it was signed (UTC, ISO 8601).")
    input_sha256 = graphene.String(required=True, description="SHA-256 (hex) of the input's RFC 8785 canonical JSON.")
    input = graphene.JSONString(required=True, description="The input as decided (camelCase, clearance date "
                                "resolved): keep it with the receipt to prove what was asked; not in the payload.")
    decision = graphene.JSONString(required=True, description="The decision as signed (the ClearanceDecision fields "
                                   "of docs/receipts.md, nested entities by code).")


class ClearanceRecord(graphene.Mutation):
    class Meta:
        name = "ClearanceRecordPayload"
        description = ("Decide one consignment as `clearance` does, record the input and the decision, and return "
                       "a receipt signed by the service. Needs a bearer token (any role); the registry version does "
                       "not move. " + KEYS_NOTE)

    class Arguments:
        input = ClearanceInput(required=True)

    receipt = graphene.Field(DecisionReceipt)
    decision = graphene.Field(ClearanceDecision, description="The decision, as `clearance` returns it.")
    registry_version = graphene.Int(description="The registry version the decision was made on.")
    errors = graphene.List(graphene.NonNull(MutationError), required=True,
                           description="Why nothing was recorded; empty when the receipt was made.")

    @classmethod
    def _run(cls, context, data) -> dict[str, Any]:
        settings = context.settings
        with Session(context.engine) as session:
            try:
                with session.begin():
                    principal = principal_of(session, context.authorization)
                    refused = input_text_refusals(data)
                    if refused:
                        raise WriteRefused(*((where, f"{where} {why}", "INVALID") for where, why in refused))
                    try:
                        signer = signer_for(getattr(settings, "receipt_signing_key", None), settings.database_url)
                    except ReceiptKeyError as error:
                        raise WriteRefused((None, f"receipts cannot be signed here: {error}", "SERVICE_UNAVAILABLE"))
                    try:
                        snapshot = context.services.snapshots.current()
                    except SnapshotUnavailable as error:
                        raise WriteRefused((None, f"the registry is unavailable, try again shortly ({error})",
                                            "SERVICE_UNAVAILABLE")) from None
                    # the clearance date resolved once, so that the input signed for is the input decided
                    resolved = dict(data)
                    resolved["clearance_date"] = data.get("clearance_date") or datetime.now(timezone.utc).date()
                    try:
                        decision = decide(snapshot, consignment_from_input(resolved))
                    except InvalidInput as error:
                        raise WriteRefused((f"input.{error.field}", f"input.{error.field}: {error.message}",
                                            "INVALID")) from None
                    input_json = input_to_json(resolved)
                    decision_json = decision_to_json(decision)
                    receipt_id = str(uuid.uuid4())
                    issued_at = datetime.now(timezone.utc).replace(microsecond=0)
                    payload = {"receiptId": receipt_id, "issuedAt": issued_at.isoformat().replace("+00:00", "Z"),
                               "registryVersion": decision.registry_version, "inputSha256": input_sha256(input_json),
                               "decision": decision_json}
                    compact = signer.sign(payload)
                    stored = StoredReceipt(receipt_id, decision.registry_version, issued_at, payload["inputSha256"],
                                           input_json, decision_json, signer.kid, compact, principal.token_id)
                    record_receipt(session, stored, canonical_json(input_json).decode(),
                                   canonical_json(decision_json).decode())
            except WriteRefused as refused_write:
                return {"errors": refused_write.errors}
        return {"errors": [], "receipt": stored, "decision": (decision, snapshot),
                "registry_version": decision.registry_version}

    @classmethod
    async def mutate(cls, root, info, input):
        output = await asyncio.to_thread(cls._run, info.context, input)
        receipt = output.get("receipt")
        return cls(
            errors=output["errors"], decision=output.get("decision"), registry_version=output.get("registry_version"),
            receipt=DecisionReceipt(
                id=receipt.id, jws=receipt.jws, key_id=receipt.key_id, registry_version=receipt.registry_version,
                issued_at=receipt.issued_at.isoformat().replace("+00:00", "Z"), input_sha256=receipt.input_sha256,
                input=receipt.input, decision=receipt.decision,
            ) if receipt is not None else None,
        )


def receipt_file(receipt: dict[str, Any]) -> str:
    """What a client saves: the `receipt` object of a clearanceRecord answer, as `verify-receipt` reads it."""
    return json.dumps(receipt, indent=2, ensure_ascii=False) + "\n"
