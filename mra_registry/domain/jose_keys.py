"""The JOSE layer of credential verification: which public keys the registry accepts, and whether a compact
JWS verifies with one. The signature code is joserfc's; nothing here is hand-written cryptography."""
from __future__ import annotations

import json
import warnings
from typing import Any

from joserfc import jwk as jose_jwk
from joserfc import jws as jose_jws
from joserfc.errors import JoseError

# the signature algorithms accepted, and the key each needs (RFC 9864 names Ed25519 beside the older EdDSA)
ALGORITHMS = {"EdDSA": ("OKP", "Ed25519"), "Ed25519": ("OKP", "Ed25519"), "ES256": ("EC", "P-256")}
PUBLIC_MEMBERS = {"OKP": ("kty", "crv", "x"), "EC": ("kty", "crv", "x", "y")}
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")


def public_jwk(data: Any) -> str:
    """The canonical JSON of a public verification key, or ``ValueError`` saying why it is refused: private
    members, a key type or curve other than Ed25519 (OKP) or P-256 (EC), or missing members."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            raise ValueError("the key is not a JSON object (a JWK)") from None
    if not isinstance(data, dict):
        raise ValueError("the key is not a JSON object (a JWK)")
    private = [name for name in PRIVATE_MEMBERS if name in data]
    if private:
        raise ValueError(f"the key holds private members ({', '.join(private)}): register the public key only")
    kty, crv = data.get("kty"), data.get("crv")
    if (kty, crv) not in {("OKP", "Ed25519"), ("EC", "P-256")}:
        raise ValueError(f"the key is {kty}/{crv}: only Ed25519 (OKP) and P-256 (EC) keys are accepted")
    members = {name: data.get(name) for name in PUBLIC_MEMBERS[kty]}
    if not all(isinstance(v, str) and v for v in members.values()):
        raise ValueError(f"the key lacks one of {', '.join(PUBLIC_MEMBERS[kty])}")
    try:
        jose_jwk.import_key(dict(members))
    except (JoseError, ValueError, TypeError) as error:
        raise ValueError(f"the key is not a valid {crv} key ({error})") from None
    return json.dumps(members, sort_keys=True, separators=(",", ":"))


def signature_verifies(compact: str, public_key_json: str, algorithm: str) -> bool:
    """Whether the compact JWS's signature verifies with the key, the algorithm fitting the key's type."""
    key_data = json.loads(public_key_json)
    if ALGORITHMS.get(algorithm) != (key_data.get("kty"), key_data.get("crv")):
        return False
    try:
        key = jose_jwk.import_key(key_data)
        with warnings.catch_warnings():  # joserfc warns that the name EdDSA is deprecated (RFC 9864): accepted
            warnings.simplefilter("ignore")
            jose_jws.deserialize_compact(compact, key, algorithms=[algorithm])
    except (JoseError, ValueError):
        return False
    return True
