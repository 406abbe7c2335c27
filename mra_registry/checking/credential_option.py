"""``mra-registry check … --credential FILE``: present a signed credential (a UNTP Digital Conformity Credential
as a compact vc+jwt, or its JSON form) with the document. The document's type and issue date default to the
credential's own (attestationType, validFrom); the issuer's registry code is still given with --issuer. The
credential is sent as it is; the registry verifies it (docs/credentials.md)."""
from __future__ import annotations

import sys
from typing import Any

from ..domain.credentials import CredentialError, read
from .lines import LineError

_TYPE_OF = {"testing": "TESTING", "calibration": "CALIBRATION", "inspection": "INSPECTION"}


def apply_defaults(args) -> None:
    """Read ``--credential FILE`` ('-' for stdin) and fill --type and --issued from its claims when absent."""
    path = getattr(args, "credential", None)
    if not path:
        return
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except OSError as error:
        raise LineError(f"--credential: cannot read {path} ({error.strerror})") from None
    args.credential_text = text.strip()
    try:
        claims = read(args.credential_text).claims
    except CredentialError:
        return  # sent as it is: the registry says why it cannot be read (CREDENTIAL_INVALID)
    if not args.type and claims.attestation_type:
        args.type = _TYPE_OF.get(claims.attestation_type.lower())
    if not args.issued and claims.valid_from:
        args.issued = claims.valid_from.isoformat()


def attach(line: dict[str, Any], args) -> dict[str, Any]:
    """The line with the credential presented on its (first) document."""
    text = getattr(args, "credential_text", None)
    if text:
        document = line.get("attestation") or (line.get("attestations") or [None])[0]
        if document is None:
            raise LineError("--credential needs the document it belongs to: give --issuer (and --type and --issued "
                            "when the credential does not state them)")
        document["credential"] = text
    return line
