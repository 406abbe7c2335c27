"""A CAB's credential records in the registry document: ``identifier``, ``verificationKeys[]`` (public JWKs by key
id, dated, with ``revokedOn``) and ``statusLists[]`` (W3C Bitstring Status Lists as held: url, purpose,
encodedList, asOf). Read and written here; ``entities`` (``EntityBuilder.cab``) and ``writer.cab`` call these."""
from __future__ import annotations

import json
from typing import Any

from ..domain import model
from ..domain.credentials import decode_status_list, public_jwk


def read_keys(builder, item: dict, path: str) -> tuple[model.VerificationKey, ...]:
    builder.unique(item.get("verificationKeys", []), lambda k: k["keyId"], f"{path}.verificationKeys", "key id")
    keys = []
    for index, raw in enumerate(item.get("verificationKeys", [])):
        here = f"{path}.verificationKeys[{index}]"
        start, end = builder.interval(raw, here)
        revoked_on = builder.day(raw.get("revokedOn"), f"{here}.revokedOn")
        try:
            jwk = public_jwk(raw["jwk"])
        except ValueError as error:
            builder.problem(f"{here}.jwk", str(error))
            continue
        keys.append(model.VerificationKey(item["code"], raw["keyId"], jwk, start, end, revoked_on,
                                          builder.provenance(raw)))
    return tuple(keys)


def read_status_lists(builder, item: dict, path: str) -> tuple[model.StatusList, ...]:
    builder.unique(item.get("statusLists", []), lambda s: (s["url"], s["purpose"]), f"{path}.statusLists",
                   "status list URL and purpose")
    lists = []
    for index, raw in enumerate(item.get("statusLists", [])):
        here = f"{path}.statusLists[{index}]"
        as_of = builder.day(raw["asOf"], f"{here}.asOf")
        try:
            decode_status_list(raw["encodedList"])
        except ValueError as error:
            builder.problem(f"{here}.encodedList", str(error))
            continue
        if as_of is not None:
            lists.append(model.StatusList(item["code"], raw["url"], raw["purpose"], raw["encodedList"], as_of,
                                          builder.provenance(raw)))
    return tuple(lists)


def _provenance(p: model.Provenance) -> dict[str, Any]:
    return {"confidence": p.confidence.value, "sources": list(p.sources), "note": p.note}


def _clean(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v is not None and v != [] and v != ()}


def key_json(k: model.VerificationKey) -> dict[str, Any]:
    return _clean({"keyId": k.key_id, "jwk": json.loads(k.public_jwk),
                   "from": k.valid_from.isoformat() if k.valid_from else None,
                   "to": k.valid_to.isoformat() if k.valid_to else None,
                   "revokedOn": k.revoked_on.isoformat() if k.revoked_on else None, **_provenance(k.provenance)})


def status_list_json(s: model.StatusList) -> dict[str, Any]:
    return _clean({"url": s.url, "purpose": s.purpose, "encodedList": s.encoded_list, "asOf": s.as_of.isoformat(),
                   **_provenance(s.provenance)})


def write(c: model.ConformityAssessmentBody) -> dict[str, Any]:
    """The CAB's credential records, in the document's order (keys by id, lists by URL and purpose)."""
    return _clean({
        "verificationKeys": [key_json(k) for k in sorted(c.verification_keys, key=lambda k: k.key_id)],
        "statusLists": [status_list_json(s) for s in sorted(c.status_lists, key=lambda s: (s.url, s.purpose))],
    })
