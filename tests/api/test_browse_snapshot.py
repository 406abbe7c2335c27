"""Browsing from memory (issue 11): the look-ups and lists read the registry version the request took (the read
model of store/browse_model.py, swapped in with the engine's snapshot), synchronously, so that the transport's
compiled plan answers them on the event loop; a write through this process is seen by the next read (and by the
rest of the writing request); one request reads one version."""
from __future__ import annotations

import json

import pytest
from graphql import get_operation_ast, parse
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from mra_registry.api.context import RequestContext
from mra_registry.api.schema import schema
from mra_registry.api.services import SNAPSHOT_ROOT_FIELDS
from mra_registry.store.changes import Actor
from mra_registry.store.loading import load_documents
from mra_registry.store.tokens import Role
from mra_registry.web.planned_execution import QueryPlan

from .support import document, mutate, version

BROWSE = """query Browse { accreditationBodies(first: 20) {
  edges { node { code statuses(first: 100) { edges { node { arrangement { code } status validFrom } } } } } } }"""

# Every kind of object browsing shows, nested as clients nest them (no `node(id:)`: an interface, which the plan
# leaves to graphql-core).
PLANNED = {
    "browse": BROWSE,
    "bodies": """{ accreditationBodies(arrangement: "ILAC_MRA", activity: TESTING, asOf: "2018-06-01", first: 20) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id code version name region directoryUrl
        confidence sources note economy { code name unionMemberships(first: 5) { totalCount edges { node { union { code name }
        validFrom validTo } } } } statuses(first: 20) { totalCount edges { node { activity standard status
        reportedSince carriedOver validFrom validTo accreditationBody { code } arrangement { code kind } } } } } } } }""",
    "arrangements": """{ arrangements(first: 20) { totalCount edges { node { id code name kind region activities
        parties hsPrefixes excludedHsPrefixes signatoryListUrl supersededOn supersededBy { code }
        activityStarts(first: 5) { edges { node { activity validFrom } } }
        sectors(first: 10) { totalCount edges { node { id code name hsPrefixes attestationTypes arrangement { code }
          termination { effective voidsExisting } operations(first: 5) { edges { node { parties attestationType
          validFrom validTo } } } } } }
        signatories(asOf: "2026-06-01", first: 50) { totalCount edges { node { status carriedOver
          carriedFrom { code } carriedRecord { arrangement { code } validFrom } accreditationBody { code } } } } } } } }""",
    "cabs": """{ conformityAssessmentBodies(first: 30) { totalCount edges { node { id code version name kinds identifier
        economy { code name }
        accreditations(first: 5) { totalCount edges { node { id number activity validFrom validTo withdrawnOn
          activeOn(date: "2025-08-15") accreditationBody { code name } suspensions(first: 3) { edges { node { validFrom
          validTo note } } } scope(first: 10) { edges { node { identifier hsPrefixes excludedHsPrefixes } } } } } }
        designations(first: 5) { edges { node { forParty attestationTypes validFrom validTo arrangement { code }
          sector { code name } } } }
        competences(first: 5) { edges { node { kind hsPrefixes validFrom authority { code } } } }
        verificationKeys(first: 5) { edges { node { keyId jwk validFrom validTo revokedOn } } }
        statusLists(first: 5) { edges { node { url purpose asOf size setCount isSet(index: 40) } } } } } } }""",
    "policies": """{ importPolicies(first: 100) { totalCount edges { node { id code version name importer hsPrefixes
        excludedHsPrefixes requiredType requiredTests maxAgeDays maxAgeMonths lotMatch origins validFrom validTo
        routes { kind arrangements label list { code name } }
        requirements { type requiredTests maxAgeDays lotMatch routes { kind label list { code owner } } }
        borderChecks { percent note } legalSource { instrument reference url } } } } }""",
    "declarations": """{ completenessDeclarations(first: 100) { totalCount edges { node { id code version kind
        validFrom validTo importer hsPrefixes includesMembers activities party list arrangement { code }
        accreditationBody { code } sector { code } } } } }""",
    "lists": """{ acceptanceLists(first: 20) { edges { node { id code version name owner entries(first: 20) {
        totalCount edges { node { activity validFrom validTo list { code } cab { code } scope(first: 5) { edges { node {
        identifier } } } } } } } } } lookalikeBodies(first: 100) { edges { node { id code version name
        economy { code } } } } }""",
    "economies": """{ economies(search: "land", first: 100) { totalCount edges { node { id code name } } }
        unions { edges { node { id code name memberships(asOf: "2020-06-01", first: 40) { totalCount
        edges { node { economy { code name } validFrom validTo } } } } } } economy(code: "FR") { code name } }""",
    "backwards": """{ accreditationBodies(last: 3) { pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
        edges { cursor node { code } } } }""",
}


def context_of(api) -> RequestContext:
    return RequestContext(api.services, request_id="test-request")


def planned(api, query: str, variables: dict | None = None):
    document = parse(query)
    plan = QueryPlan.compile(schema.graphql_schema, document, get_operation_ast(document))
    assert plan is not None, "the document could not be planned"
    return plan.run(context_of(api), variables)


@pytest.mark.parametrize("name", list(PLANNED))
def test_the_compiled_plan_answers_browsing_without_handing_back(api, name):
    # when: the plan runs the document (None would mean: handed back to graphql-core's executor)
    result = planned(api, PLANNED[name])

    # then: it answered, exactly as graphql-core does
    assert result is not None and not result.errors
    expected = api(PLANNED[name])
    assert not expected.errors, expected.errors
    assert result.data == expected.data


def test_the_benchmarks_browse_query_is_planned_on_the_fixtures(api):
    result = planned(api, BROWSE)
    bodies = result.data["accreditationBodies"]["edges"]
    assert len(bodies) == 16 and sum(len(b["node"]["statuses"]["edges"]) for b in bodies) > 16


def test_every_root_field_but_the_databases_own_is_served_from_memory():
    roots = set(schema.graphql_schema.query_type.fields)
    assert roots - SNAPSHOT_ROOT_FIELDS == {"registryVersion", "changes"}


# -- read your writes ---------------------------------------------------------------------------------------------
BODY = 'query($c: String!) { accreditationBody(code: $c) { name version statuses(arrangement: "ILAC_MRA", ' \
       'activity: TESTING) { edges { node { status validFrom } } } } }'


def test_a_write_is_seen_by_the_next_read_and_by_its_own_payload(api):
    # given
    token = api.token(Role.ARRANGEMENT_SECRETARIAT, "ILAC_MRA")
    before = api(BODY, {"c": "COFRAC"}).data["accreditationBody"]

    # when: COFRAC is suspended through this process
    payload = mutate(api, "signatoryStatusSuspend", {
        "accreditationBody": "COFRAC", "arrangement": "ILAC_MRA", "activity": "TESTING", "validFrom": "2025-08-01",
        "expectedVersion": before["version"]}, token,
        selection="accreditationBody { version statuses(arrangement: \"ILAC_MRA\", activity: TESTING) "
                  "{ edges { node { status } } } }")

    # then: the payload (read after the write, in the same request) and the next request both see it
    assert payload["errors"] == []
    assert payload["accreditationBody"]["version"] == before["version"] + 1
    assert "SUSPENDED" in [s["status"] for s in payload["accreditationBody"]["statuses"]]
    after = api(BODY, {"c": "COFRAC"}).data["accreditationBody"]
    assert after["version"] == before["version"] + 1
    assert {"status": "SUSPENDED", "validFrom": "2025-08-01"} in [e["node"] for e in after["statuses"]["edges"]]
    suspended = api('{ accreditationBodies(arrangement: "ILAC_MRA", activity: TESTING, status: SUSPENDED, '
                    'asOf: "2025-09-01") { edges { node { code } } } }').data
    assert "COFRAC" in [e["node"]["code"] for e in suspended["accreditationBodies"]["edges"]]


def test_new_objects_and_names_are_seen_at_once(api):
    admin = api.token(Role.ADMINISTRATOR)
    mutate(api, "accreditationBodyUpdate", {"code": "KCA", "name": "Renamed", "expectedVersion":
                                            version(api, "AccreditationBody", "KCA")}, admin)
    mutate(api, "registryDocumentLoad", {"document": json.dumps(document(lookalikeBodies=[
        {"code": "ZZ-FORUM", "name": "Invented forum", "economy": "LU", "confidence": "fixture"}]))}, admin,
        selection="")
    answer = api('{ accreditationBody(code: "KCA") { name } lookalikeBodies(economy: "LU") { edges { node { code '
                 'version economy { name } } } } }').data
    assert answer["accreditationBody"]["name"] == "Renamed"
    assert answer["lookalikeBodies"]["edges"] == [{"node": {"code": "ZZ-FORUM", "version": 1,
                                                            "economy": {"name": "Luxembourg"}}}]


def test_a_write_from_elsewhere_is_seen_once_the_registry_is_followed(api):
    # given: a write straight into the database (another instance, the loader run from the command line)
    with Session(api.services.engine) as session, session.begin():
        load_documents(session, [("elsewhere.json", document(lookalikeBodies=[
            {"code": "ZZ-ELSEWHERE", "name": "Written elsewhere", "confidence": "fixture"}]))],
            Actor(name="test", role="ADMINISTRATOR"))
    query = '{ lookalikeBody(code: "ZZ-ELSEWHERE") { name } }'

    # then: unseen until the follower rebuilds (within a poll interval, or at once on PostgreSQL's notification)
    assert api(query).data == {"lookalikeBody": None}
    assert api.services.snapshots.refresh_if_stale()
    assert api(query).data == {"lookalikeBody": {"name": "Written elsewhere"}}


def test_one_request_reads_one_version(api):
    # given: a request that has read
    context = context_of(api)
    taken = context.registry()
    assert context.snapshot().version == taken.version

    # when: the registry moves on meanwhile
    token = api.token(Role.ADMINISTRATOR)
    mutate(api, "accreditationBodyUpdate", {"code": "KCA", "name": "Moved on", "expectedVersion": 1}, token)

    # then: the request goes on reading what it took (decisions and browsing alike); a new one reads the new version,
    # and so does this one once a write of its own starts it afresh (api/mutations/base.py)
    assert context.registry() is taken and context.snapshot().version == taken.version
    assert context_of(api).registry().version == taken.version + 1
    context.read_afresh()
    assert context.registry().version == taken.version + 1


# -- on the event loop ---------------------------------------------------------------------------------------------
def test_browsing_runs_on_the_event_loop_over_http(scenario_db_url, monkeypatch):
    from mra_registry.settings import Settings
    from mra_registry.web import graphql_http
    from mra_registry.web.app import create_app

    async def never(*_args, **_kwargs):  # pragma: no cover - the failure it reports
        raise AssertionError("a snapshot-only query was sent to a read thread")

    query = '{ accreditationBody(code: "KCA") { code version statuses(first: 5) { edges { node { arrangement { code } ' \
            'status } } } } arrangements(first: 3) { edges { node { code } } } }'
    with TestClient(create_app(Settings.from_env({"MRA_DATABASE_URL": scenario_db_url}))) as client:
        monkeypatch.setattr(graphql_http.GraphQLHTTP, "_execute_off_loop", never)
        answer = client.post("/graphql", json={"query": query}).json()
    assert "errors" not in answer, answer
    assert answer["data"]["accreditationBody"]["code"] == "KCA"


def test_where_a_query_runs_follows_its_cost_and_kind(scenario_db_url, monkeypatch):
    """Browsing costs little per unit of query cost: the browse of 20 bodies (cost about 12,000) runs on the loop,
    where a declaration above 2,000 goes to a read thread; a browse above the light bound goes there too."""
    from mra_registry.settings import Settings
    from mra_registry.web import graphql_http, placement
    from mra_registry.web.app import create_app

    sent_to_thread: list[str] = []
    off_loop = graphql_http.GraphQLHTTP._execute_off_loop

    async def spy(self, request, prepared, params, operation):
        sent_to_thread.append(operation.name.value if operation.name else "")
        return await off_loop(self, request, prepared, params, operation)

    monkeypatch.setattr(graphql_http.GraphQLHTTP, "_execute_off_loop", spy)
    big_browse = BROWSE.replace("Browse", "BigBrowse").replace("first: 20", "first: 50")
    line = {"exporter": "KR", "importer": "US", "hsCode": "851712", "clearanceDate": "2025-03-01"}
    declaration = ("query Declaration($inputs: [ClearanceInput!]!) { clearances(inputs: $inputs) { outcome reason "
                   "route { kind arrangement { code } } warnings { code } registryVersion } }")
    with TestClient(create_app(Settings.from_env({"MRA_DATABASE_URL": scenario_db_url}))) as client:
        browse = client.post("/graphql", json={"query": BROWSE}).json()
        assert "errors" not in browse and placement.MAX_LOOP_COST < browse["extensions"]["cost"] \
            <= placement.MAX_LIGHT_LOOP_COST, browse.get("extensions")
        assert sent_to_thread == []
        bigger = client.post("/graphql", json={"query": big_browse}).json()
        assert "errors" not in bigger and bigger["extensions"]["cost"] > placement.MAX_LIGHT_LOOP_COST
        assert sent_to_thread == ["BigBrowse"]
        decided = client.post("/graphql", json={"query": declaration, "variables": {"inputs": [line] * 400}}).json()
        assert "errors" not in decided and decided["extensions"]["cost"] > placement.MAX_LOOP_COST, decided
        assert sent_to_thread == ["BigBrowse", "Declaration"]
        # a line is a decision whatever it selects: a slim declaration of cost under 2,000 goes by its lines
        slim = "query Slim($inputs: [ClearanceInput!]!) { clearances(inputs: $inputs) { outcome } }"
        few, many = [line] * placement.MAX_LOOP_LINES, [line] * (placement.MAX_LOOP_LINES + 1)
        for lines in (few, many):
            answer = client.post("/graphql", json={"query": slim, "variables": {"inputs": lines}}).json()
            assert "errors" not in answer and answer["extensions"]["cost"] < placement.MAX_LOOP_COST, answer
        assert sent_to_thread == ["BigBrowse", "Declaration", "Slim"]
        literal = "query Literal { a: clearances(inputs: [%s]) { outcome } b: clearance(input: %s) { outcome } }" % (
            ", ".join(["{exporter: \"KR\", importer: \"US\", hsCode: \"851712\", clearanceDate: \"2025-03-01\"}"]
                      * (placement.MAX_LOOP_LINES + 1)),
            "{exporter: \"KR\", importer: \"US\", hsCode: \"851712\", clearanceDate: \"2025-03-01\"}")
        answer = client.post("/graphql", json={"query": literal}).json()
        assert "errors" not in answer, answer
        assert sent_to_thread == ["BigBrowse", "Declaration", "Slim", "Literal"]


def test_a_missing_value_sorts_first_on_every_backend(api):
    # ENAC holds an ILAC record that names no activity beside its testing one (SCENARIOS.md 1.2): SQL ordered NULLs
    # first on SQLite and last on PostgreSQL; the read model orders them first everywhere
    edges = api('{ arrangement(code: "ILAC_MRA") { signatories(first: 100) { edges { node { '
                'accreditationBody { code } activity } } } } }').data["arrangement"]["signatories"]["edges"]
    enac = [e["node"]["activity"] for e in edges if e["node"]["accreditationBody"]["code"] == "ENAC"]
    assert enac[0] is None and "TESTING" in enac[1:]
