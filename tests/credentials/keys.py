"""The fixture signing keys of the credential tests. Private keys live here, in the test suite, and nowhere else:
data/fixtures/scenarios.json holds only their public halves (L02's verificationKeys)."""
from __future__ import annotations

L02_IDENTIFIER = "did:web:fixtures.invalid:l02"
L02_KEY_1_ID = f"{L02_IDENTIFIER}#key-1"  # valid from 2025-01-01
L02_KEY_0_ID = f"{L02_IDENTIFIER}#key-0"  # valid from 2020-01-01, revoked on 2025-06-01
L02_STATUS_LIST = "https://fixtures.invalid/l02/status/revocation/1"
S40_STATUS_INDEX = 40  # set in L02's status list (S40: revoked)
VALID_STATUS_INDEX = 3  # clear

L02_KEY_1 = {"kty": "OKP", "crv": "Ed25519", "x": "rRy4d4lRbfH5BCj8EDfYnACYm_JpfpWRZrmb0aZ6Puk",
             "d": "dcej6jn9s9QOZThpAHL_HMH2sQV1mggRjT-wGktPXXQ"}
L02_KEY_0 = {"kty": "OKP", "crv": "Ed25519", "x": "VyG0QjCCMf7ruq3M9cyeSBDpp6TOwP4F7szrWqvsI9o",
             "d": "0pGdC2NsBg3tMwug5X3x10CYweJj0r_2MFvznlTvXBw"}
# a key nobody registered: a credential signed with it under L02's key id is a forgery
FORGER_KEY = {"kty": "OKP", "crv": "Ed25519", "x": "Fsx64OW_JfIzGum3SS_2fuAWf-1nfaaCjljnM02KS_Y",
              "d": "zTU6HgSj06som0jc4wMT1iqKgNDaj9tH2fc6xLj5fg4"}


def public(key: dict) -> dict:
    return {name: value for name, value in key.items() if name != "d"}
