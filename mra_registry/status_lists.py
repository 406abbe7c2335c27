"""``mra-registry fetch-status-list URL --cab CODE``: fetch a CAB's W3C Bitstring Status List credential over HTTPS
and store the list the registry then decides revocation on (issue 14).

Offline-safe by construction: only this command fetches, never the request path (a decision reads only what the
registry holds), and only from hosts an operator put on the allow-list ``MRA_STATUS_LIST_HOSTS`` (comma-separated
host names; empty by default, so nothing is fetched until someone decides which hosts to trust). HTTPS only, no
redirects, a size cap and a timeout. A status list credential signed as a compact JWS must verify against a key
the registry holds for the CAB; its JSON form is taken from the allow-listed host as it is. The list is stored
through the loader (change log, column lengths, fixture guard), replacing the copy held for the URL and purpose.
"""
from __future__ import annotations

import dataclasses
import json
import os
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from .domain import model
from .domain.credentials import CredentialError, decode_status_list, signature_verifies

HOSTS_SETTING = "MRA_STATUS_LIST_HOSTS"
MAX_BYTES = 4 * 1024 * 1024
TIMEOUT_SECONDS = 15


class StatusListError(Exception):
    pass


def allowed_hosts(environ=os.environ) -> frozenset[str]:
    return frozenset(h.strip().lower() for h in environ.get(HOSTS_SETTING, "").split(",") if h.strip())


def check_url(url: str, hosts: frozenset[str]) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise StatusListError(f"{url!r} is not an https URL: status lists are fetched over HTTPS only")
    if parts.hostname.lower() not in hosts:
        shown = ", ".join(sorted(hosts)) or "none: the setting is empty"
        raise StatusListError(f"{parts.hostname} is not on the allow-list {HOSTS_SETTING} ({shown}): add the host "
                              "there to let this command fetch from it")


def fetch(url: str, hosts: frozenset[str]) -> str:
    import requests

    check_url(url, hosts)
    try:
        with requests.get(url, timeout=TIMEOUT_SECONDS, allow_redirects=False, stream=True,
                          headers={"Accept": "application/vc+jwt, application/vc+ld+json, application/json"}) as reply:
            if reply.status_code != 200:
                raise StatusListError(f"{url} answered HTTP {reply.status_code}")
            body = b""
            for chunk in reply.iter_content(65536):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise StatusListError(f"{url} sent more than {MAX_BYTES:,} bytes")
    except requests.RequestException as error:
        raise StatusListError(f"cannot fetch {url}: {error}") from None
    return body.decode("utf-8", errors="replace").strip()


def status_list_of(text: str, url: str, cab: model.ConformityAssessmentBody, as_of) -> model.StatusList:
    """The status list a BitstringStatusListCredential carries (JSON, or a compact JWS verified against one of the
    CAB's keys)."""
    if not text.startswith("{"):
        from joserfc.errors import JoseError
        from joserfc.jws import extract_compact

        try:
            extracted = extract_compact(text.encode("ascii"))
        except (JoseError, ValueError, UnicodeError):
            raise StatusListError("the answer is neither JSON nor a compact JWS") from None
        headers = extracted.headers()
        keys = [k for k in cab.verification_keys if headers.get("kid") in (None, k.key_id)]
        if not any(signature_verifies(text, k.public_jwk, str(headers.get("alg"))) for k in keys):
            raise StatusListError(f"the status list credential's signature does not verify against a key the "
                                  f"registry holds for {cab.code}")
        text = extracted.payload.decode("utf-8", errors="replace")
    try:
        document: Any = json.loads(text)
        subject = document["credentialSubject"]
        subject = subject[0] if isinstance(subject, list) else subject
        encoded, purpose = subject["encodedList"], subject.get("statusPurpose", "revocation")
    except (ValueError, KeyError, TypeError, IndexError):
        raise StatusListError("the answer is not a BitstringStatusListCredential (credentialSubject.encodedList)") \
            from None
    if isinstance(purpose, list):
        purpose = purpose[0] if purpose else "revocation"
    if purpose not in ("revocation", "suspension", "refresh", "message"):
        raise StatusListError(f"unknown statusPurpose {purpose!r}")
    try:
        decode_status_list(encoded)
    except (ValueError, CredentialError) as error:
        raise StatusListError(f"the encoded list cannot be read ({error})") from None
    return model.StatusList(cab.code, url, purpose, encoded, as_of)


def store(session, cab_code: str, fetched: model.StatusList, actor) -> int:
    """Replace the CAB's copy of the list for (url, purpose) through the loader; returns the registry version."""
    from .interchange import writer
    from .interchange.document_schema import FORMAT, FORMAT_VERSION
    from .store.loading import load_documents

    cab = current_cab(session, cab_code)
    kept = tuple(s for s in cab.status_lists if (s.url, s.purpose) != (fetched.url, fetched.purpose))
    updated = dataclasses.replace(cab, status_lists=(*kept, fetched))
    document = {"format": FORMAT, "formatVersion": FORMAT_VERSION, "conformityAssessmentBodies": [writer.cab(updated)]}
    return load_documents(session, [("fetch-status-list", document)], actor).version


def current_cab(session, cab_code: str) -> model.ConformityAssessmentBody:
    from .store.mapping import read_registry

    found = next((c for c in read_registry(session).cabs if c.code.casefold() == cab_code.casefold()), None)
    if found is None:
        raise StatusListError(f"the registry holds no conformity assessment body {cab_code!r}")
    return found


def cmd_fetch_status_list(args) -> int:
    import sys

    from sqlalchemy.orm import Session

    from .interchange.problems import DocumentInvalid
    from .store.changes import Actor
    from .store.database import make_engine

    engine = make_engine(args.database)
    try:
        with Session(engine) as session, session.begin():
            cab = current_cab(session, args.cab)
            text = fetch(args.url, allowed_hosts())
            fetched = status_list_of(text, args.url, cab, datetime.now(timezone.utc).date())
            version = store(session, cab.code, fetched, Actor(name="cli", role="ADMINISTRATOR",
                                                               message=f"fetch-status-list {args.url}"))
    except StatusListError as error:
        print(f"nothing stored: {error}", file=sys.stderr)
        return 3
    except DocumentInvalid as error:
        print(f"nothing stored: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"stored {fetched.purpose} status list {fetched.url} for {cab.code} as of {fetched.as_of}: "
          f"registry version {version}")
    return 0


def add_command(add) -> None:
    command = add("fetch-status-list", cmd_fetch_status_list,
                  f"Fetch a CAB's status list credential over HTTPS from a host on {HOSTS_SETTING} and store it.")
    command.add_argument("url", metavar="URL", help="the statusListCredential URL its credentials name (https)")
    command.add_argument("--cab", required=True, metavar="CODE", help="the CAB that publishes it")
