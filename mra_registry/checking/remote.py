"""Ask a running mra-registry server through its GraphQL API (requests), a declaration per request."""
from __future__ import annotations

from typing import Any

import requests

from .decision_json import DECISION_SELECTION
from .lines import CheckError

QUERY = "query Check($inputs: [ClearanceInput!]!) { clearances(inputs: $inputs) {" + DECISION_SELECTION + "} }"
BATCH = 1000


def decide_remotely(lines: list[dict[str, Any]], server: str, timeout: float = 30.0) -> list[dict[str, Any]]:
    url = server.rstrip("/")
    if not url.endswith("/graphql"):
        url += "/graphql"
    decisions: list[dict[str, Any]] = []
    batch = BATCH
    with requests.Session() as session:
        while len(decisions) < len(lines):
            chunk = lines[len(decisions):len(decisions) + batch]
            body = _ask(session, url, chunk, timeout)
            smaller = _smaller_batch(body, batch)
            if smaller is not None:  # this server takes fewer lines per request: split the rest to fit
                batch = smaller
                continue
            if body.get("errors"):
                messages = "; ".join(e.get("message", "?") for e in body["errors"])
                raise CheckError(f"the server refused the check: {messages}")
            decisions.extend(body["data"]["clearances"])
    return decisions


def _ask(session: requests.Session, url: str, chunk: list[dict[str, Any]], timeout: float) -> dict[str, Any]:
    try:
        response = session.post(url, json={"query": QUERY, "variables": {"inputs": chunk}},
                                headers={"Accept": "application/graphql-response+json, application/json"},
                                timeout=timeout)
    except requests.RequestException as error:
        raise CheckError(f"cannot reach the server at {url}: {type(error).__name__}") from None
    try:
        body = response.json()
    except ValueError:
        raise CheckError(f"the server at {url} answered HTTP {response.status_code} without a GraphQL "
                         "response; is it an mra-registry server?") from None
    if not isinstance(body, dict) or (not body.get("errors") and (response.status_code != 200 or not body.get("data"))):
        raise CheckError(f"the server at {url} answered HTTP {response.status_code}")
    return body


def _smaller_batch(body: dict[str, Any], batch: int) -> int | None:
    """The server's batch limit, when it refused this request for its size and the limit is smaller."""
    for error in body.get("errors") or ():
        extensions = error.get("extensions") or {}
        limit = extensions.get("limit")
        if extensions.get("code") == "BATCH_TOO_LARGE" and isinstance(limit, int) and 0 < limit < batch:
            return limit
    return None
