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
    with requests.Session() as session:
        for start in range(0, len(lines), BATCH):
            chunk = lines[start:start + BATCH]
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
            if body.get("errors"):
                messages = "; ".join(e.get("message", "?") for e in body["errors"])
                raise CheckError(f"the server refused the check: {messages}")
            if response.status_code != 200 or not body.get("data"):
                raise CheckError(f"the server at {url} answered HTTP {response.status_code}")
            decisions.extend(body["data"]["clearances"])
    return decisions
