"""`GET /.well-known/mra-registry/receipt-keys.json`: the public keys that verify the service's decision
receipts, as a JWK Set (RFC 7517) with a `kid`, `alg` and `use` per key (receipt_keys.py; docs/receipts.md).

A key given in MRA_RECEIPT_SIGNING_KEY is checked when the app is built, so an unusable one stops the service at
start-up (like any other bad setting); a development key is made on first use. Without a key and without a SQLite database to keep a development key beside,
the set is empty and clearanceRecord is refused."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..receipt_keys import WELL_KNOWN_PATH, ReceiptKeyError, signer_for
from ..settings import Settings, SettingsError


def receipt_keys_route(settings: Settings) -> Route:
    if settings.receipt_signing_key:  # a key given but unusable stops the service now, naming the variable
        try:
            signer_for(settings.receipt_signing_key, settings.database_url)
        except ReceiptKeyError as error:
            raise SettingsError(f"MRA_RECEIPT_SIGNING_KEY cannot be used: {error}") from None

    async def receipt_keys(request: Request) -> JSONResponse:
        try:  # a development key is made on first use, not when the app is built
            jwks = signer_for(settings.receipt_signing_key, settings.database_url).jwks()
        except ReceiptKeyError:
            jwks = {"keys": []}
        # public, and the same for the process's life: caches may keep it a while (rotation adds keys, it never
        # removes one a receipt may still name)
        return JSONResponse(jwks, media_type="application/jwk-set+json",
                            headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"})

    return Route(WELL_KNOWN_PATH, receipt_keys, methods=["GET"])
