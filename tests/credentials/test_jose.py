"""The JOSE layer against outside references: joserfc verifies RFC 8037's published Ed25519 JWS with its published
key (Appendix A.4), the registry's own check does too, and a credential signed by an independent implementation
(the `jose` npm package, tests/node/sign_dcc.mjs) verifies in the registry. Also the W3C Bitstring Status List
encoding: bit order and multibase/GZIP."""
from __future__ import annotations

import base64
import gzip
import json
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from joserfc import jwk, jws

from mra_registry.domain.codes import Outcome
from mra_registry.domain.credentials import (
    bit_is_set,
    decode_status_list,
    encode_status_list,
    public_jwk,
    signature_verifies,
)
from mra_registry.domain.engine import decide
from tests.credentials import factory
from tests.credentials import keys as K
from tests.credentials.cases import consignment

# RFC 8037, Appendix A.1 (the key), A.4 (the JWS of "Example of Ed25519 signing")
RFC8037_KEY = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
RFC8037_JWS = ("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6d"
               "WbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")
NODE_DIR = Path(__file__).resolve().parents[1] / "node"


def test_joserfc_verifies_the_rfc_8037_ed25519_example():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        verified = jws.deserialize_compact(RFC8037_JWS, jwk.import_key(RFC8037_KEY), algorithms=["EdDSA"])
    assert verified.payload == b"Example of Ed25519 signing"


def test_the_registrys_check_verifies_the_rfc_8037_example_and_refuses_it_altered():
    key = public_jwk(RFC8037_KEY)
    assert signature_verifies(RFC8037_JWS, key, "EdDSA")
    altered = RFC8037_JWS.replace("RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc", "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmC")
    assert not signature_verifies(altered, key, "EdDSA")
    assert not signature_verifies(RFC8037_JWS, key, "ES256")  # the algorithm must fit the key


def test_private_members_and_other_key_types_are_refused():
    with pytest.raises(ValueError, match="private"):
        public_jwk(K.L02_KEY_1)
    with pytest.raises(ValueError, match="private"):
        public_jwk({"kty": "oct", "k": "c2VjcmV0"})  # a shared secret is private by nature
    with pytest.raises(ValueError, match="only Ed25519"):
        public_jwk({"kty": "RSA", "n": "AQAB", "e": "AQAB"})


@pytest.mark.skipif(shutil.which("node") is None or not (NODE_DIR / "node_modules" / "jose").exists(),
                    reason="needs Node and tests/node's npm packages (npm ci in tests/node)")
@pytest.mark.parametrize("alg", ["EdDSA", "ES256"])
def test_a_credential_signed_by_the_jose_npm_package_verifies_in_the_registry(document_snapshot, alg):
    import dataclasses

    from mra_registry.domain import model
    from mra_registry.domain.snapshot import Snapshot
    from tests.credentials.test_engine import _registry

    snapshot, private = document_snapshot, K.L02_KEY_1
    kid = K.L02_KEY_1_ID
    if alg == "ES256":
        ec = jwk.ECKey.generate_key("P-256")
        private, kid = ec.as_dict(private=True), "es-node"
        l02 = next(c.cab for c in snapshot.cabs.values() if c.code == "L02")
        registered = model.VerificationKey("L02", kid, public_jwk(ec.as_dict(private=False)), None, None)
        snapshot = Snapshot.build(_registry(snapshot, dataclasses.replace(
            l02, verification_keys=(*l02.verification_keys, registered))))
    request = {"credential": factory.dcc(), "jwk": private, "kid": kid, "alg": alg}
    signed = subprocess.run(["node", str(NODE_DIR / "sign_dcc.mjs")], input=json.dumps(request), text=True,
                            capture_output=True, check=True, timeout=60).stdout
    assert signed.count(".") == 2
    assert decide(snapshot, consignment(signed)).outcome is Outcome.RECOGNISED
    assert decide(snapshot, consignment(factory.tamper(signed))).outcome is Outcome.INVALID


def test_status_list_bit_order_is_the_specs_left_most_bit_first():
    encoded = encode_status_list([0, 9, 131_071])
    assert encoded.startswith("u")
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) == 16_384 and raw[0] == 0x80 and raw[1] == 0x40 and raw[-1] == 0x01
    bits = decode_status_list(encoded)
    assert [i for i in range(16) if bit_is_set(bits, i)] == [0, 9] and bit_is_set(bits, 131_071)


def test_a_list_written_by_another_gzip_without_the_multibase_prefix_reads_the_same():
    bits = bytearray(16_384)
    bits[5] = 0b0010_0000  # index 42
    plain = base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")
    assert bit_is_set(decode_status_list(plain), 42) and bit_is_set(decode_status_list("u" + plain), 42)


@pytest.mark.parametrize("encoded", ["u", "u!!!", "u" + base64.urlsafe_b64encode(b"not gzip").decode()])
def test_a_list_that_is_not_base64url_gzip_is_refused(encoded):
    with pytest.raises(ValueError):
        decode_status_list(encoded)
