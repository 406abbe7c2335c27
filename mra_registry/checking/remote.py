"""Ask a running mra-registry server through its GraphQL API (requests), a declaration per request."""
from __future__ import annotations

from typing import Any, Callable

import requests

from .decision_json import DECISION_SELECTION
from .lines import CheckError, Entry, case_insensitive, resolve_codes

QUERY = "query Check($inputs: [ClearanceInput!]!) { clearances(inputs: $inputs) {" + DECISION_SELECTION + "} }"
BATCH = 1000
ALIASES = 20  # CAB look-ups per request, well under the server's alias limit
LIST_QUERY = """query Codes($after: String) {
  %s(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { code } } }
}"""


def decide_remotely(entries: list[Entry], server: str, timeout: float = 30.0) -> None:
    """Decide every entry that has a line, in requests of at most the server's batch size."""
    url = server.rstrip("/")
    if not url.endswith("/graphql"):
        url += "/graphql"
    todo = [entry for entry in entries if entry.line is not None]
    with requests.Session() as session:
        cab, body = _resolvers(session, url, [entry.line for entry in todo], timeout)
        for entry in todo:
            resolve_codes(entry.line, cab, body)
        lines = [entry.line for entry in todo]
        decisions: list[dict[str, Any]] = []
        batch = BATCH
        while len(decisions) < len(lines):
            chunk = lines[len(decisions):len(decisions) + batch]
            answer = _ask(session, url, QUERY, {"inputs": chunk}, timeout)
            smaller = _smaller_batch(answer, batch)
            if smaller is not None:  # this server takes fewer lines per request: split the rest to fit
                batch = smaller
                continue
            if answer.get("errors"):
                messages = "; ".join(e.get("message", "?") for e in answer["errors"])
                raise CheckError(f"the server refused the check: {messages}")
            decisions.extend(answer["data"]["clearances"])
    for entry, decision in zip(todo, decisions):
        entry.decision = decision


def _resolvers(session: requests.Session, url: str, lines: list[dict[str, Any]],
               timeout: float) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """The registry's spelling of the codes the lines name, asked of the server: accreditation bodies (and
    lookalikes) from their full list, matched ignoring case; a CAB by its code as typed, then upper-cased (CAB
    codes are too many to list). A server that cannot tell leaves the codes as typed."""
    documents = [d for line in lines for d in ([line["attestation"]] if line.get("attestation")
                                               else line.get("attestations") or [])]
    issuers = sorted({d["issuer"] for d in documents if d["issuer"] != d["issuer"].upper()})
    named_bodies = {d["accreditationBody"] for d in documents if d.get("accreditationBody")}
    try:
        body = case_insensitive(_body_codes(session, url, timeout)) if named_bodies else (lambda code: code)
        found = _cab_codes(session, url, issuers, timeout)
    except CheckError:
        return (lambda code: code), (lambda code: code)
    return (lambda code: found.get(code, code)), body


def _body_codes(session: requests.Session, url: str, timeout: float) -> list[str]:
    codes: list[str] = []
    for listing in ("accreditationBodies", "lookalikeBodies"):
        after = None
        while True:
            page = _data(_ask(session, url, LIST_QUERY % listing, {"after": after}, timeout))[listing]
            codes += [edge["node"]["code"] for edge in page["edges"] if edge and edge.get("node")]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    return codes


def _cab_codes(session: requests.Session, url: str, issuers: list[str], timeout: float) -> dict[str, str]:
    """typed issuer -> the CAB code the server holds: as typed, else upper-cased; absent when neither."""
    found: dict[str, str] = {}
    for start in range(0, len(issuers), ALIASES // 2):
        chunk = issuers[start:start + ALIASES // 2]
        params = ", ".join(f"$t{i}: String!, $u{i}: String!" for i in range(len(chunk)))
        fields = " ".join(f"t{i}: conformityAssessmentBody(code: $t{i}) {{ code }} "
                          f"u{i}: conformityAssessmentBody(code: $u{i}) {{ code }}" for i in range(len(chunk)))
        variables = {**{f"t{i}": code for i, code in enumerate(chunk)},
                     **{f"u{i}": code.upper() for i, code in enumerate(chunk)}}
        data = _data(_ask(session, url, f"query Cabs({params}) {{ {fields} }}", variables, timeout))
        for i, code in enumerate(chunk):
            hit = data.get(f"t{i}") or data.get(f"u{i}")
            if hit:
                found[code] = hit["code"]
    return found


def _data(answer: dict[str, Any]) -> dict[str, Any]:
    if answer.get("errors") or not isinstance(answer.get("data"), dict):
        raise CheckError("the server did not answer the look-up")
    return answer["data"]


def _ask(session: requests.Session, url: str, query: str, variables: dict[str, Any],
         timeout: float) -> dict[str, Any]:
    try:
        response = session.post(url, json={"query": query, "variables": variables},
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
