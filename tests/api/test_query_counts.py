"""Browsing costs no SQL at all: the look-ups, lists and nested lists read the registry version the request took
(store/browse_model.py), whatever page size is asked for (first: 2 and first: 20 cost the same: nothing). Only the
change feed reads the database, a fixed number of statements per request.

The counts come from a SQLAlchemy `before_cursor_execute` listener on the engine during one GraphQL request;
SQLite's explicit `BEGIN` (see store/database.py) is not a query and is left out, so the counts are the same
on SQLite and PostgreSQL. The extra bodies, laboratories and policies are invented fixtures in Luxembourg
(LU), an economy the scenario fixtures do not use, so a filter on LU returns only them."""
from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from mra_registry.store.tokens import Role

from .support import document, mutate

SYNTHETIC = 25
INVENTED = {"confidence": "fixture", "note": "invented for the query-count tests"}


def synthetic_document() -> dict:
    return document(
        accreditationBodies=[
            {"code": f"ZZ-AB-{i:02}", "name": f"Invented accreditation body {i}", "economy": "LU", **INVENTED,
             "statuses": [{"arrangement": "ILAC_MRA", "activity": "TESTING", "status": "SIGNATORY",
                           "from": "2010-01-01", **INVENTED},
                          {"arrangement": "EA_MLA", "activity": "TESTING", "status": "SIGNATORY",
                           "from": "2010-01-01", **INVENTED}]}
            for i in range(SYNTHETIC)
        ],
        conformityAssessmentBodies=[
            {"code": f"ZZ-LAB-{i:02}", "name": f"Invented laboratory {i}", "economy": "LU", "kinds": ["LABORATORY"],
             **INVENTED,
             "accreditations": [{"number": f"ZZ-T-{i:02}", "accreditationBody": f"ZZ-AB-{i:02}", "activity": "TESTING",
                                 "from": "2020-01-01", "scope": [{"identifier": "ISO 11290-1", "hsPrefixes": ["04"]}],
                                 **INVENTED}],
             "designations": [{"arrangement": "EU_US_MRA", "sector": "EU-US-TEL", "forParty": "US",
                               "from": "2020-01-01", **INVENTED}]}
            for i in range(SYNTHETIC)
        ],
        importPolicies=[
            {"code": f"ZZ-P-LU-{i:02}", "importer": "LU", "hsPrefixes": [f"{i + 10:02}"], "requiredType": "TESTING",
             "routes": [{"kind": "ARRANGEMENT", "arrangements": ["ILAC_MRA"]}], **INVENTED}
            for i in range(SYNTHETIC)
        ],
    )


@pytest.fixture
def browsing(api):
    payload = mutate(api, "registryDocumentLoad", {"document": json.dumps(synthetic_document())},
                     api.token(Role.ADMINISTRATOR), selection="")
    assert payload["errors"] == []
    return api


@contextmanager
def counting(engine):
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        if statement.strip().upper() != "BEGIN":
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


def cost(api, query: str, variables: dict | None = None) -> tuple[int, dict]:
    with counting(api.services.engine) as statements:
        result = api(query, variables)
    assert not result.errors, result.errors
    return len(statements), result.data


BODIES = """query($first: Int) {
  accreditationBodies(first: $first, economy: "LU") {
    totalCount
    edges { node { code version economy { name } statuses { edges { node { status arrangement { code } } } } } }
  }
}"""

CABS = """query($first: Int) {
  conformityAssessmentBodies(first: $first, economy: "LU") {
    edges { node {
      code version economy { name }
      accreditations(first: 5) { edges { node { number accreditationBody { code }
        scope(first: 5) { edges { node { identifier } } } } } }
      designations(first: 5) { edges { node { forParty sector { code } arrangement { code } } } }
    } }
  }
}"""

POLICIES = """query($first: Int) {
  importPolicies(first: $first, importer: "LU") {
    totalCount
    edges { node { code version importer routes { label } } }
  }
}"""

CHANGES = """query($first: Int) {
  changes(first: $first) { totalCount edges { node { version entityType entityCode actor role before after } } }
}"""

ECONOMIES = """query($first: Int) {
  economies(first: $first) {
    totalCount edges { node { code name unionMemberships { totalCount edges { node { union { code } } } } } }
  }
}"""

SIGNATORIES = """query($asOf: Date) {
  arrangement(code: "ILAC_MRA") {
    code
    signatories(activity: TESTING, asOf: $asOf, first: 100) {
      totalCount edges { node { status accreditationBody { code economy { name } } } }
    }
  }
}"""

NESTED = """{ accreditationBodies(first: 20, economy: "LU") { edges { node {
    statuses { edges { node { arrangement { code name } accreditationBody { code
        statuses { edges { node { arrangement { code } } } } } } } } } } } }"""

# statements per request, whatever `first` is: none for browsing; the change feed reads its page and its count
PINNED = {"bodies": (BODIES, 0), "cabs": (CABS, 0), "policies": (POLICIES, 0), "economies": (ECONOMIES, 0),
          "changes": (CHANGES, 2)}


@pytest.mark.parametrize("name", list(PINNED))
def test_a_browsing_query_costs_a_fixed_number_of_statements(browsing, name):
    query, pinned = PINNED[name]

    # when: a small page and a ten times larger one
    small, small_data = cost(browsing, query, {"first": 2})
    large, large_data = cost(browsing, query, {"first": 20})

    # then: the same statements, and the large page really is larger
    assert (small, large) == (pinned, pinned)
    connection = next(iter(large_data.values()))
    assert len(connection["edges"]) == 20
    assert len(next(iter(small_data.values()))["edges"]) == 2


def test_signatories_of_an_arrangement_cost_nothing_for_ten_or_forty_bodies(api):
    # given: the scenario fixtures, then 25 more ILAC testing signatories
    before, data = cost(api, SIGNATORIES, {"asOf": "2025-01-01"})
    few = data["arrangement"]["signatories"]["totalCount"]
    mutate(api, "registryDocumentLoad", {"document": json.dumps(synthetic_document())},
           api.token(Role.ADMINISTRATOR), selection="")

    # when
    after, data = cost(api, SIGNATORIES, {"asOf": "2025-01-01"})

    # then
    assert len(data["arrangement"]["signatories"]["edges"]) == data["arrangement"]["signatories"]["totalCount"]
    assert data["arrangement"]["signatories"]["totalCount"] == few + SYNTHETIC
    assert before == after == 0


def test_nested_look_ups_read_nothing(browsing):
    count, data = cost(browsing, NESTED)
    assert count == 0
    assert len(data["accreditationBodies"]["edges"]) == 20


def test_a_total_count_walks_the_filtered_list_only_when_asked(browsing):
    without, _ = cost(browsing, '{ importPolicies(first: 5, importer: "LU") { edges { node { code } } } }')
    with_total, data = cost(browsing, '{ importPolicies(first: 5, importer: "LU") { totalCount edges { node { code } } } }')
    assert with_total == without == 0
    assert data["importPolicies"]["totalCount"] == SYNTHETIC
