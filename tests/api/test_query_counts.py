"""No N+1: the SQL statements a browsing request costs are pinned, and do not grow with the number of items
returned (first: 2 and first: 20 cost the same).

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

# statements per request, whatever `first` is:
PINNED = {
    # page of codes, count, bodies (statuses + rows), versions, economies, arrangements (rows only: their
    # sectors are not selected, so not loaded)
    "bodies": (BODIES, 7),
    # page, cabs (accreditations, scope, designations, competences, rows), versions, economies, bodies (statuses, rows),
    # sectors of the designations' arrangements, arrangements (rows; neither their sectors nor any operations)
    "cabs": (CABS, 14),  # a CAB read whole: its verification keys and status lists are two statements more
    # page, count, policies, versions
    "policies": (POLICIES, 4),
    # page, count
    "changes": (CHANGES, 2),
    # page, count, economies, memberships of economies
    "economies": (ECONOMIES, 4),
}


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


SIGNATORIES = """query($asOf: Date) {
  arrangement(code: "ILAC_MRA") {
    code
    signatories(activity: TESTING, asOf: $asOf, first: 100) {
      totalCount edges { node { status accreditationBody { code economy { name } } } }
    }
  }
}"""


def test_signatories_of_an_arrangement_cost_the_same_for_ten_or_forty_bodies(api):
    # given: the scenario fixtures, then 25 more ILAC testing signatories
    before, data = cost(api, SIGNATORIES, {"asOf": "2025-01-01"})
    few = data["arrangement"]["signatories"]["totalCount"]
    mutate(api, "registryDocumentLoad", {"document": json.dumps(synthetic_document())},
           api.token(Role.ADMINISTRATOR), selection="")

    # when
    after, data = cost(api, SIGNATORIES, {"asOf": "2025-01-01"})

    # then: arrangement (rows), signatories, bodies (statuses, rows), economies
    assert len(data["arrangement"]["signatories"]["edges"]) == data["arrangement"]["signatories"]["totalCount"]
    assert data["arrangement"]["signatories"]["totalCount"] == few + SYNTHETIC
    assert before == after == 5


def test_nested_look_ups_of_the_same_object_are_loaded_once(browsing):
    # every status of every body names ILAC_MRA or EA_MLA: the arrangements are fetched in one batch
    count, data = cost(browsing, """{ accreditationBodies(first: 20, economy: "LU") { edges { node {
        statuses { edges { node { arrangement { code name } accreditationBody { code
            statuses { edges { node { arrangement { code } } } } } } } } } } } }""")
    assert count == 4  # page, bodies (statuses, rows), arrangements (rows)
    assert len(data["accreditationBodies"]["edges"]) == 20


def test_total_count_costs_one_statement_and_only_when_asked(browsing):
    without, _ = cost(browsing, '{ importPolicies(first: 5, importer: "LU") { edges { node { code } } } }')
    with_total, data = cost(browsing, '{ importPolicies(first: 5, importer: "LU") { totalCount edges { node { code } } } }')
    assert with_total == without + 1
    assert data["importPolicies"]["totalCount"] == SYNTHETIC
