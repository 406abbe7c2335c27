"""The requests of the HTTP benchmark: the GraphQL queries of (b) to (e), and their bodies for wrk, checked once
on the live server (every answer has data and no error) before it is loaded."""
from __future__ import annotations

import json
from typing import Any

from benchmarks.http_databases import DECLARATION_LINES, Database
from benchmarks.http_servers import Server, graphql
from benchmarks.wrk import Target

ENDPOINTS = {
    "a": "(a) bare Starlette JSON",
    "b": "(b) clearance",
    "c": "(c) clearances, 1,000 lines",
    "d": "(d) browsing, nested lists",
    "e": "(e) flat connection",
}
POOL_SIZE = 64  # consignments rotated through by (b)
MAX_PAGE = 100  # the largest `first` a connection takes

# (b) is the customs officer's query of docs/api.md (the decision with its evidence); (c) the trade portal's
# declaration query of docs/api.md (per line: the verdict, the route and the warnings).
CLEARANCE_QUERY = """query Clearance($input: ClearanceInput!) {
  clearance(input: $input) {
    outcome reason
    reasons { code message route }
    route { kind arrangement { code name } sector { code name } }
    path { kind record validFrom validTo statusOnIssue statusOnClearance holds confidence sources }
    warnings { code message }
    policy { code maxAgeDays lotMatch requiredTests }
    issueDate clearanceDate registryVersion
  }
}"""
CLEARANCES_QUERY = """query Declaration($inputs: [ClearanceInput!]!) {
  clearances(inputs: $inputs) { outcome reason route { kind arrangement { code } } warnings { code } registryVersion }
}"""
# (d): one connection of status records per body, 20 bodies.
BROWSE_QUERY = """query Browse {
  accreditationBodies(first: 20) {
    edges { node { code statuses(first: 100) { edges { node { arrangement { code } status validFrom } } } } }
  }
}"""
# (e): about as many status records as (d) answers, from ONE connection, with the same fields per record.
FLAT_QUERY = """query Flat($code: String!, $first: Int!) {
  arrangement(code: $code) {
    signatories(first: $first) { edges { node { arrangement { code } status validFrom } } }
  }
}"""
# How many status records each arrangement holds: to choose (e)'s arrangement.
SIGNATORY_COUNTS_QUERY = """query SignatoryCounts {
  arrangements(first: 100) { edges { node { code signatories(first: 1) { totalCount } } } }
}"""


def body(query: str, variables: dict[str, Any] | None = None) -> str:
    payload: dict[str, Any] = {"query": query}
    if variables:
        payload["variables"] = variables
    return json.dumps(payload, separators=(",", ":"))


def no_errors(answer: dict[str, Any], what: str) -> None:
    if answer.get("errors") or not answer.get("data"):
        raise RuntimeError(f"{what} did not answer cleanly: {json.dumps(answer)[:2000]}")


def choose_flat(counts: dict[str, int], wanted: int) -> tuple[str, int]:
    """(e)'s arrangement and page size: `wanted` records (at most a page) from the arrangement holding the fewest
    records that still has that many (its resolver lists all of them before slicing a page: a far larger list
    would cost more than the records answered), else from the one holding the most."""
    if not counts:
        raise RuntimeError("no arrangement to list status records from")
    wanted = max(1, min(wanted, MAX_PAGE))
    enough = [(total, code) for code, total in counts.items() if total >= wanted]
    if enough:
        _total, code = min(enough)
        return code, wanted
    total, code = max((total, code) for code, total in counts.items())
    if total == 0:
        raise RuntimeError("no arrangement holds a status record")
    return code, total


def targets_for(server: Server, database: Database) -> dict[str, Target]:
    """The requests of (b) to (e) for this registry, checked once on the live server: every answer has data and
    no error, (b)'s pool holds only decisions recognised through an arrangement, and (d) and (e) answer status
    records (as many as can be matched: (e) at most a page)."""
    workload = database.workload
    checked = graphql(server.base_url, CLEARANCES_QUERY, {"inputs": workload.candidates[:DECLARATION_LINES]})
    no_errors(checked, "clearances over the candidates")
    pool = [line for line, decision in zip(workload.candidates, checked["data"]["clearances"])
            if decision["outcome"] == "RECOGNISED" and decision["reason"] == "ARRANGEMENT_ROUTE"]
    if not pool:
        raise RuntimeError(f"no candidate consignment of the {database.registry} registry is recognised")
    pool = pool[:POOL_SIZE]
    declaration = {"inputs": workload.declaration}
    declared = graphql(server.base_url, CLEARANCES_QUERY, declaration)
    no_errors(declared, "the 1,000-line declaration")
    browsed = graphql(server.base_url, BROWSE_QUERY)
    no_errors(browsed, "browsing")
    if not browsed["data"]["accreditationBodies"]["edges"]:
        raise RuntimeError("browsing returned no accreditation bodies")
    outcomes: dict[str, int] = {}
    for decision in declared["data"]["clearances"]:
        outcomes[decision["outcome"]] = outcomes.get(decision["outcome"], 0) + 1
    mix = ", ".join(f"{outcome} {count * 100 // len(workload.declaration)}%"
                    for outcome, count in sorted(outcomes.items(), key=lambda item: -item[1]))
    edges = browsed["data"]["accreditationBodies"]["edges"]
    statuses = sum(len(edge["node"]["statuses"]["edges"]) for edge in edges)
    if not statuses:
        raise RuntimeError("browsing returned no status records")
    flat_variables, flat_note, flat_items = flat_request(server, statuses)
    url = f"{server.base_url}/graphql"
    return {
        "b": Target(url, [body(CLEARANCE_QUERY, {"input": line}) for line in pool],
                    note=f"pool of {len(pool)} consignment(s)"),
        "c": Target(url, [body(CLEARANCES_QUERY, declaration)], note=mix),
        "d": Target(url, [body(BROWSE_QUERY)], note=f"{len(edges)} bodies, {statuses} statuses", items=statuses),
        "e": Target(url, [body(FLAT_QUERY, flat_variables)], note=flat_note, items=flat_items),
    }


def flat_request(server: Server, wanted: int) -> tuple[dict[str, Any], str, int]:
    """(e)'s variables, its note for the table and the records it answers, checked on the live server."""
    counted = graphql(server.base_url, SIGNATORY_COUNTS_QUERY)
    no_errors(counted, "counting the arrangements' status records")
    counts = {edge["node"]["code"]: edge["node"]["signatories"]["totalCount"]
              for edge in counted["data"]["arrangements"]["edges"]}
    code, first = choose_flat(counts, wanted)
    variables = {"code": code, "first": first}
    flat = graphql(server.base_url, FLAT_QUERY, variables)
    no_errors(flat, f"the flat connection of {code}")
    if flat["data"]["arrangement"] is None:
        raise RuntimeError(f"the flat connection's arrangement {code} was not found")
    items = len(flat["data"]["arrangement"]["signatories"]["edges"])
    if not items:
        raise RuntimeError(f"the flat connection of {code} returned no status records")
    return variables, f"{code}: {items} statuses (of {counts[code]}) in one connection", items
