"""`mra-registry verify-receipt FILE`: check a decision receipt offline with the service's published keys, and
optionally re-decide it at its registry version and compare (docs/receipts.md).

Exit status: 0 the receipt is valid (and, when asked, reproduced), 1 it is not (bad signature, unknown key,
malformed payload, input not matching its hash, a different decision on reproduction), 3 the check could not
be made (unreadable file or keys, server or database unreachable, version unknown there)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_VALID, EXIT_INVALID, EXIT_ERROR = 0, 1, 3

HELP = """\
Check a decision receipt (the `receipt` object clearanceRecord returns, saved as JSON, or the bare compact JWS)
against the service's public keys, offline:
  mra-registry verify-receipt receipt.json --keys receipt-keys.json
The keys are the JWK Set the service publishes at /.well-known/mra-registry/receipt-keys.json (a file or that
URL). With --reproduce, the decision is made again at the receipt's registry version and compared: against a
database (--database URL) or a server (--server URL, whose keys are used when --keys is not given):
  mra-registry verify-receipt receipt.json --keys receipt-keys.json --reproduce --database sqlite:///mra-registry.sqlite3
  mra-registry verify-receipt receipt.json --server http://127.0.0.1:8000
Exit status: 0 valid, 1 invalid, 3 the check could not be made.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the receipt (JSON from clearanceRecord, or the compact JWS)")
    parser.add_argument("--keys", metavar="FILE_OR_URL",
                        help="the published JWK Set (default with --server: the server's well-known URL)")
    parser.add_argument("--reproduce", action="store_true",
                        help="also decide again at the receipt's registry version and compare")
    parser.add_argument("--database", dest="reproduce_database", metavar="URL",
                        help="re-decide against this registry database (implies --reproduce)")
    parser.add_argument("--server", metavar="URL", help="re-decide on this server (implies --reproduce)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a server (default: 10)")


def _fetch_json(url: str, timeout: float) -> Any:
    import requests

    response = requests.get(url, timeout=timeout, headers={"Accept": "application/json"})
    response.raise_for_status()
    return response.json()


def _keys(args) -> dict[str, Any]:
    source = args.keys
    if source is None:
        if not args.server:
            raise _Error("give --keys FILE_OR_URL (the service's published JWK Set), or --server URL")
        from .receipt_keys import WELL_KNOWN_PATH

        source = args.server.rstrip("/") + WELL_KNOWN_PATH
    if source.startswith(("http://", "https://")):
        return _fetch_json(source, args.timeout)
    return json.loads(Path(source).read_text(encoding="utf-8"))


class _Error(Exception):
    pass


def _consignment_data(input_json: dict[str, Any]) -> dict[str, Any]:
    """The API's camelCase input as the resolvers' snake_case data (dates parsed), for a local decision."""
    from datetime import date

    def snake(name: str) -> str:
        return "".join("_" + c.lower() if c.isupper() else c for c in name)

    def convert(key: str, value: Any) -> Any:
        if isinstance(value, dict):
            return {snake(k): convert(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(key, v) for v in value]
        if key in ("clearanceDate", "issueDate") and isinstance(value, str):
            return date.fromisoformat(value)
        return value

    return convert("", input_json)


def reproduce_locally(database_url: str, version: int, input_json: dict[str, Any]) -> dict[str, Any]:
    from sqlalchemy.orm import Session

    from .api.clearance import consignment_from_input
    from .checking.decision_json import decision_to_json
    from .domain.engine import decide
    from .domain.snapshot import Snapshot
    from .store.database import make_engine
    from .store.history import read_registry_at

    engine = make_engine(database_url)
    try:
        with Session(engine) as session, session.begin():
            registry = read_registry_at(session, version)
    finally:
        engine.dispose()
    return decision_to_json(decide(Snapshot.build(registry), consignment_from_input(_consignment_data(input_json))))


def reproduce_on_server(server: str, version: int, input_json: dict[str, Any], timeout: float) -> dict[str, Any]:
    import requests

    from .checking.decision_json import DECISION_SELECTION

    query = ("query Reproduce($input: ClearanceInput!, $version: Int!) { clearance(input: $input, "
             "asOfRegistryVersion: $version) {" + DECISION_SELECTION + "} }")
    response = requests.post(server.rstrip("/") + "/graphql", timeout=timeout,
                             json={"query": query, "variables": {"input": input_json, "version": version}})
    body = response.json()
    if body.get("errors"):
        raise _Error("the server refused: " + "; ".join(e.get("message", "?") for e in body["errors"]))
    return body["data"]["clearance"]


def _differences(signed: Any, again: Any, path: str = "decision") -> list[str]:
    if isinstance(signed, dict) and isinstance(again, dict):
        out = []
        for key in sorted(set(signed) | set(again)):
            out += _differences(signed.get(key), again.get(key), f"{path}.{key}")
        return out
    if isinstance(signed, list) and isinstance(again, list) and len(signed) == len(again):
        return [d for i, (a, b) in enumerate(zip(signed, again)) for d in _differences(a, b, f"{path}[{i}]")]
    return [] if signed == again else [f"{path}: signed {json.dumps(signed)}, now {json.dumps(again)}"]


def run(args) -> int:
    from .receipt_keys import ReceiptInvalid, load_receipt, verify

    reproduce = args.reproduce or bool(args.reproduce_database) or bool(args.server)
    try:
        compact, input_json = load_receipt(Path(args.file).read_text(encoding="utf-8"))
        keys = _keys(args)
    except _Error as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except (OSError, ValueError) as error:
        print(f"error: cannot read the receipt or the keys: {error}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as error:  # requests' connection errors and HTTP statuses
        print(f"error: cannot fetch the keys: {error}", file=sys.stderr)
        return EXIT_ERROR
    try:
        verified = verify(compact, keys, input_json)
    except ReceiptInvalid as invalid:
        print(f"INVALID: {invalid}")
        return EXIT_INVALID
    except Exception as error:  # an unusable key set
        print(f"error: the keys cannot be used: {error}", file=sys.stderr)
        return EXIT_ERROR
    payload = verified.payload
    decision = payload["decision"]
    print(f"VALID: receipt {payload['receiptId']} signed by key {verified.kid} at {payload['issuedAt']}: "
          f"{decision.get('outcome')} ({decision.get('reason')}) at registry version {payload['registryVersion']}")
    print("input: " + ("matches inputSha256" if verified.input_checked
                       else f"not given (inputSha256 {payload['inputSha256']})"))
    if not reproduce:
        return EXIT_VALID
    if input_json is None:
        print("error: reproducing needs the input (the receipt file's 'input')", file=sys.stderr)
        return EXIT_ERROR
    if not args.reproduce_database and not args.server:
        print("error: --reproduce needs --database URL or --server URL", file=sys.stderr)
        return EXIT_ERROR
    try:
        if args.reproduce_database:
            again = reproduce_locally(args.reproduce_database, payload["registryVersion"], input_json)
        else:
            again = reproduce_on_server(args.server, payload["registryVersion"], input_json, args.timeout)
    except Exception as error:  # the version unknown there, the database or server unreachable
        print(f"error: cannot re-decide: {error}", file=sys.stderr)
        return EXIT_ERROR
    differences = _differences(decision, again)
    if differences:
        print(f"NOT REPRODUCED at registry version {payload['registryVersion']}:")
        for line in differences:
            print(f"  {line}")
        return EXIT_INVALID
    print(f"REPRODUCED: the same decision at registry version {payload['registryVersion']}")
    return EXIT_VALID
