"""Signed decision receipts (issue 14): the service's signing key, the receipt's canonical form, signing and
offline verification. Used by the API (signing), the web app (publishing the public keys) and the CLI
(``mra-registry verify-receipt``). Everything cryptographic is joserfc's (JWS, JWK); canonical JSON is the
``rfc8785`` package (RFC 8785, JSON Canonicalization Scheme). See docs/receipts.md.

A receipt is a compact JWS, ``alg`` ``Ed25519`` (RFC 9864's fully specified name for EdDSA over Ed25519; the
older ``EdDSA`` is deprecated by it), with the signing key's ``kid`` in its protected header and, as payload,
the RFC 8785 canonical JSON of::

    {"receiptId", "issuedAt", "registryVersion", "inputSha256", "decision"}

``inputSha256`` is the SHA-256 (hex) of the RFC 8785 canonical JSON of the clearance input (camelCase, as the
API takes it, with the clearance date resolved). The input itself travels beside the JWS, not inside it, so a
holder may show the receipt without disclosing the consignment and still prove it later.

The key: ``MRA_RECEIPT_SIGNING_KEY`` holds an Ed25519 private key as a JWK, a JWK Set (the first key with a
private part signs; the public parts of all are published, for rotation) or PEM (PKCS#8), or the path of a file
holding one. Unset, a development key is generated once and kept next to the SQLite database
(``<database>.receipt-key.jwk``, mode 0600; never committed); with PostgreSQL and no key, receipts are refused.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rfc8785
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OKPKey, import_key

ALGORITHM = "Ed25519"
RECEIPT_TYPE = "mra-decision-receipt+jws"
WELL_KNOWN_PATH = "/.well-known/mra-registry/receipt-keys.json"
PAYLOAD_FIELDS = ("receiptId", "issuedAt", "registryVersion", "inputSha256", "decision")


class ReceiptKeyError(ValueError):
    """The signing key cannot be used (unreadable, not Ed25519, no private part)."""


class ReceiptInvalid(Exception):
    """The receipt does not verify: its signature, key, shape or input hash is wrong."""


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) canonical JSON: sorted keys, no spaces, ECMAScript number form, UTF-8."""
    return rfc8785.dumps(value)


def input_sha256(input_json: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(input_json)).hexdigest()


# -- keys ---------------------------------------------------------------------------------------------------
def _with_kid(key: OKPKey) -> OKPKey:
    if key.kid:
        return key
    data = key.as_dict(private=key.is_private)
    data["kid"] = key.thumbprint()  # RFC 7638 thumbprint: stable, derived from the public key
    return OKPKey.import_key(data)


def _okp(key: Any) -> OKPKey:
    if not isinstance(key, OKPKey) or key.curve_name != "Ed25519":
        raise ReceiptKeyError("the receipt signing key must be an Ed25519 key (JWK kty OKP, crv Ed25519)")
    return _with_kid(key)


def parse_keys(text: str) -> list[OKPKey]:
    """A JWK, a JWK Set or a PEM key (private or public), as text."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            return [_okp(import_key(text.encode(), "OKP"))]
        data = json.loads(text)
    except (ValueError, JoseError) as error:
        raise ReceiptKeyError(f"not a JWK, JWK Set or PEM key: {error}") from None
    items = data.get("keys") if isinstance(data, dict) and "keys" in data else [data]
    if not isinstance(items, list) or not items:
        raise ReceiptKeyError("the JWK Set holds no key")
    try:
        return [_okp(import_key(item)) for item in items]
    except (ValueError, TypeError, JoseError) as error:
        raise ReceiptKeyError(f"not a usable JWK: {error}") from None


@dataclass(frozen=True)
class ReceiptSigner:
    signing_key: OKPKey
    published: tuple[OKPKey, ...]  # public parts, the signing key first
    source: str  # where the key came from, for the logs and docs (never the key)

    @property
    def kid(self) -> str:
        return self.signing_key.kid

    def jwks(self) -> dict[str, Any]:
        keys = []
        for key in self.published:
            data = key.as_dict(private=False)
            keys.append({**data, "alg": ALGORITHM, "use": "sig"})
        return {"keys": keys}

    def sign(self, payload: dict[str, Any]) -> str:
        header = {"alg": ALGORITHM, "kid": self.kid, "typ": RECEIPT_TYPE, "cty": "application/json"}
        return jws.serialize_compact(header, canonical_json(payload), self.signing_key, algorithms=[ALGORITHM])

    @classmethod
    def from_keys(cls, keys: list[OKPKey], source: str) -> "ReceiptSigner":
        private = [k for k in keys if k.is_private]
        if not private:
            raise ReceiptKeyError("the receipt signing key has no private part (give the private JWK or PEM)")
        signing = private[0]
        public = [OKPKey.import_key(k.as_dict(private=False)) for k in [signing, *[k for k in keys if k is not signing]]]
        return cls(signing, tuple(public), source)


def _read_setting(value: str) -> tuple[str, str]:
    text = value.strip()
    if text.startswith("{") or text.startswith("-----BEGIN"):
        return text, "MRA_RECEIPT_SIGNING_KEY"
    path = Path(text).expanduser()
    try:
        return path.read_text(encoding="utf-8"), f"MRA_RECEIPT_SIGNING_KEY file {path}"
    except OSError as error:
        raise ReceiptKeyError(f"MRA_RECEIPT_SIGNING_KEY names a file that cannot be read: {error}") from None


def development_key_path(database_url: str) -> Path | None:
    """Where the development key is kept: next to a SQLite database file; None for any other database."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).with_name(Path(url.database).name + ".receipt-key.jwk")


def _development_key(path: Path) -> list[OKPKey]:
    try:
        return parse_keys(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        pass
    key = _with_kid(OKPKey.generate_key("Ed25519", private=True))
    text = json.dumps(key.as_dict(private=True))
    try:  # O_EXCL: two workers starting together keep one key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return parse_keys(path.read_text(encoding="utf-8"))
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    return [key]


_signers: dict[tuple[str | None, str], ReceiptSigner] = {}
_signers_lock = threading.Lock()


def signer_for(signing_key: str | None, database_url: str) -> ReceiptSigner:
    """The service's signer (cached per process). Raises ReceiptKeyError when receipts cannot be signed."""
    cache_key = (signing_key, database_url)
    with _signers_lock:
        found = _signers.get(cache_key)
        if found is not None:
            return found
        if signing_key and signing_key.strip():
            text, source = _read_setting(signing_key)
            signer = ReceiptSigner.from_keys(parse_keys(text), source)
        else:
            path = development_key_path(database_url)
            if path is None:
                raise ReceiptKeyError("receipts need a signing key: set MRA_RECEIPT_SIGNING_KEY (an Ed25519 private "
                                      "JWK or PEM, or a file holding one); only a SQLite database gets a "
                                      "development key of its own")
            signer = ReceiptSigner.from_keys(_development_key(path), f"development key {path}")
        _signers[cache_key] = signer
        return signer


# -- verification -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VerifiedReceipt:
    kid: str
    payload: dict[str, Any]
    input_checked: bool  # the input beside the JWS was given and matches inputSha256


def load_receipt(text: str) -> tuple[str, dict[str, Any] | None]:
    """A receipt file: the JSON object clearanceRecord returns (``jws`` and ``input``; a whole GraphQL response
    or its ``receipt`` object also do), or the bare compact JWS."""
    text = text.strip()
    if not text.startswith("{"):
        return text, None
    data = json.loads(text)
    for path in (("data", "clearanceRecord", "receipt"), ("clearanceRecord", "receipt"), ("receipt",)):
        node = data
        for step in path:
            node = node.get(step) if isinstance(node, dict) else None
        if isinstance(node, dict):
            data = node
            break
    if not isinstance(data, dict) or not isinstance(data.get("jws"), str):
        raise ValueError("no 'jws' in the receipt file")
    raw_input = data.get("input")
    if isinstance(raw_input, str):
        raw_input = json.loads(raw_input)
    return data["jws"], raw_input


def verify(compact: str, keys: KeySet | dict[str, Any], input_json: dict[str, Any] | None = None) -> VerifiedReceipt:
    """Checks the signature against the published keys (by ``kid``), the header, the payload's shape and
    canonical form, and the input against ``inputSha256`` when given. Raises ReceiptInvalid."""
    key_set = keys if isinstance(keys, KeySet) else KeySet.import_key_set(keys)
    try:
        header = jws.extract_compact(compact.encode("ascii")).protected
    except (JoseError, ValueError, UnicodeError) as error:
        raise ReceiptInvalid(f"not a compact JWS: {error}") from None
    if header.get("alg") != ALGORITHM:
        raise ReceiptInvalid(f"unexpected algorithm {header.get('alg')!r} (receipts are signed {ALGORITHM})")
    kid = header.get("kid")
    if not kid or not any(k.kid == kid for k in key_set.keys):
        raise ReceiptInvalid(f"no published key has the receipt's key id {kid!r}")
    try:
        verified = jws.deserialize_compact(compact, key_set, algorithms=[ALGORITHM])
    except JoseError as error:
        raise ReceiptInvalid(f"the signature does not verify with key {kid!r} ({error.error})") from None
    try:
        payload = json.loads(verified.payload)
    except ValueError:
        raise ReceiptInvalid("the payload is not JSON") from None
    if not isinstance(payload, dict) or set(payload) != set(PAYLOAD_FIELDS):
        raise ReceiptInvalid(f"the payload must hold exactly {', '.join(PAYLOAD_FIELDS)}")
    if canonical_json(payload) != verified.payload:
        raise ReceiptInvalid("the payload is not in RFC 8785 canonical form")
    if input_json is not None and input_sha256(input_json) != payload["inputSha256"]:
        raise ReceiptInvalid("the input beside the receipt does not match its inputSha256")
    return VerifiedReceipt(kid, payload, input_json is not None)
