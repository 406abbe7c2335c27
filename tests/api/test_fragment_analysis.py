"""The cost/depth analysis is linear in the document (issue 11, item 1): each fragment is measured once and its
measure reused wherever it is spread, and a hard ceiling on work per document is checked as it goes. The
fragment-spread bomb (`fragment F1 on Query { ...F2 ...F2 }` ... 30 levels) is answered or refused at once, and
the server keeps answering `/healthz` while it is sent."""
from __future__ import annotations

import json
import threading
import urllib.request

import pytest
from graphql import parse, validate, visit
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode, Visitor
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mra_registry.api.limits import COUNT_CAP, MAX_WORK, Analyser, Limits, _multiplier, analyse
from mra_registry.settings import Settings
from mra_registry.web.app import create_app
from tests.conftest_server import live_server  # noqa: F401

DEFAULTS = Settings(database_url="sqlite://")


def spread_bomb(levels: int, leaf: str = "__typename") -> str:
    """Each fragment spreads the next twice: walking every expansion visits 2**levels leaves."""
    fragments = [f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}" for n in range(1, levels)]
    fragments.append(f"fragment F{levels} on Query {{ {leaf} }}")
    return "query { ...F1 }\n" + "\n".join(fragments)


def selections_in(document) -> int:
    count = 0

    class Counter(Visitor):
        def enter(self, node, *_):
            nonlocal count
            if isinstance(node, (FieldNode, FragmentSpreadNode, InlineFragmentNode)):
                count += 1

    visit(document, Counter())
    return count


def analysis_of(query: str, limits: Limits = Limits()):
    document = parse(query)
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    [operation] = [d for d in document.definitions if d.kind == "operation_definition"]
    return analyse(operation, fragments, limits), selections_in(document)


# -- the issue's document ---------------------------------------------------------------------------------------
def test_thirty_levels_of_spreads_cost_work_linear_in_the_document():
    # "under a second", expressed as work: each selection of the document is visited at most twice
    analysis, selections = analysis_of(spread_bomb(30))
    assert not analysis.too_complex
    assert analysis.work <= 2 * selections  # 2 ** 30 with every expansion walked
    assert (analysis.depth, analysis.aliases, analysis.cost) == (1, 0, 0)  # __typename costs nothing


def test_a_costed_leaf_multiplies_as_the_expansion_would_and_is_refused(api):
    analysis, selections = analysis_of(spread_bomb(30, leaf="registryVersion"))
    assert analysis.work <= 2 * selections
    assert analysis.cost == 2 ** 29  # what walking every expansion would have counted, without walking it

    result = api(spread_bomb(30, leaf="registryVersion"))
    assert result.data is None
    assert [e["extensions"]["code"] for e in result.errors] == ["QUERY_TOO_COSTLY"]


def test_aliases_multiply_through_spreads_and_are_refused(api):
    result = api(spread_bomb(30, leaf="a: __typename"))
    assert result.data is None
    assert [e["extensions"]["code"] for e in result.errors] == ["TOO_MANY_ALIASES"]


def test_the_typename_bomb_is_answered(api):
    result = api(spread_bomb(30))
    assert not result.errors, result.errors
    assert result.data == {"__typename": "Query"}


def test_a_long_chain_of_spreads_is_measured_without_recursion():
    # 3,000 fragments each spreading the next: no RecursionError, depth through spreads is still counted
    chain = 3000
    fragments = [f"fragment F{n} on Query {{ ...F{n + 1} }}" for n in range(1, chain)]
    fragments.append(f"fragment F{chain} on Query {{ arrangement(code: \"X\") {{ code }} }}")
    analysis, selections = analysis_of("query { ...F1 }\n" + "\n".join(fragments))
    assert analysis.depth == 2 and analysis.cost == 2
    assert analysis.work <= 2 * selections


def test_work_over_the_ceiling_is_refused_as_it_goes():
    document = parse(spread_bomb(30))
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    analyser = Analyser(fragments, Limits(), max_work=20)
    analysis = analyser.operation(document.definitions[0])
    assert analysis.too_complex
    assert analyser.work == 21  # it stopped at the first step over the ceiling


def test_a_document_over_the_ceiling_is_refused_with_query_too_complex():
    from mra_registry.api.limits import limit_rules
    from mra_registry.api.schema import schema

    errors = validate(schema.graphql_schema, parse(spread_bomb(30)), limit_rules(Limits(max_work=50)))
    assert [e.extensions["code"] for e in errors] == ["QUERY_TOO_COMPLEX"]
    assert errors[0].extensions["limit"] == 50


def test_the_ceiling_leaves_room_for_the_largest_document_the_parser_accepts():
    # every selection costs at least one token, and each is visited at most twice
    assert MAX_WORK >= 2 * Settings(database_url="sqlite://").max_query_tokens


def test_a_cycle_of_spreads_is_refused_by_graphql_and_measured_without_looping(api):
    result = api("query { ...A } fragment A on Query { registryVersion ...B } fragment B on Query { ...A }")
    assert result.data is None
    assert "NoFragmentCycles" not in str(result.errors)
    assert any("cannot spread fragment" in e["message"].lower() for e in result.errors), result.errors


# -- over HTTP ---------------------------------------------------------------------------------------------------
def test_the_bomb_over_http_is_answered_and_health_answers_after(scenario_engine, db_url):
    with TestClient(create_app(Settings.from_env({"MRA_DATABASE_URL": db_url}))) as client:
        answered = client.post("/graphql", json={"query": spread_bomb(30)})
        refused = client.post("/graphql", json={"query": spread_bomb(30, leaf="registryVersion")})
        health = client.get("/healthz")
    assert answered.status_code == 200 and answered.json()["data"] == {"__typename": "Query"}
    assert [e["extensions"]["code"] for e in refused.json()["errors"]] == ["QUERY_TOO_COSTLY"]
    assert health.status_code == 200


def test_health_answers_while_bombs_are_being_sent(live_server, scenario_engine, db_url):
    # given: one worker, kept busy with spread bombs from four threads
    base_url = live_server(db_url)
    bodies = [json.dumps({"query": spread_bomb(30 + n % 3, leaf=leaf)}).encode()
              for n, leaf in enumerate(("__typename", "registryVersion", "a: __typename", "__typename"))]
    answers: list[int] = []
    stop = threading.Event()

    def send(body: bytes) -> None:
        while not stop.is_set():
            request = urllib.request.Request(f"{base_url}/graphql", data=body,
                                             headers={"content-type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    answers.append(response.status)
            except urllib.error.HTTPError as error:
                answers.append(error.code)

    senders = [threading.Thread(target=send, args=(body,), daemon=True) for body in bodies]
    for sender in senders:
        sender.start()
    try:
        # then: /healthz answers each time (the timeout is a guard, not a measurement: a stalled worker took
        # minutes before the analysis was linear)
        for _ in range(20):
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=10) as response:
                assert response.status == 200
    finally:
        stop.set()
        for sender in senders:
            sender.join(30)
    assert answers and set(answers) <= {200}


# -- property: linear in the document, and the same measure as walking every expansion -------------------------
CONNECTIONS = ("economies", "statuses", "signatories")


@st.composite
def documents(draw, most_fragments=8, most_items=4, most_repeats=3):
    """A query and its fragments; each fragment holds fields (some aliased, some connections with a `first`,
    some with sub-selections), inline fragments, and spreads of later fragments (any number of times): a DAG."""
    count = draw(st.integers(1, most_fragments))
    sizes = (most_items, most_repeats)
    bodies = [draw(selection_set(n, count, 0, sizes)) for n in range(count)]
    operation = draw(selection_set(-1, count, 0, sizes))
    return "query " + operation + "\n" + "\n".join(f"fragment F{n} on Query {b}" for n, b in enumerate(bodies))


@st.composite
def selection_set(draw, index, count, depth, sizes):
    most_items, most_repeats = sizes
    items = []
    for _ in range(draw(st.integers(1, most_items))):
        later = list(range(index + 1, count))
        kind = draw(st.sampled_from(["field", "spread", "inline"] if later else ["field", "inline"]))
        if kind == "spread":
            target = draw(st.sampled_from(later))
            items.extend([f"...F{target}"] * draw(st.integers(1, most_repeats)))
        elif kind == "inline" and depth < 3:
            items.append("... on Query " + draw(selection_set(index, count, depth + 1, sizes)))
        else:
            alias = draw(st.sampled_from(["", "a: ", "b: "]))
            name = draw(st.sampled_from(("code",) + CONNECTIONS))
            if name == "code" or depth >= 3:
                items.append(f"{alias}code")
            else:
                first = draw(st.sampled_from(["", "(first: 2)", "(first: 3)"]))
                items.append(f"{alias}{name}{first} " + draw(selection_set(index, count, depth + 1, sizes)))
    return "{ " + " ".join(items) + " }"


class TooLarge(Exception):
    pass


def expanded(selection_set, fragments, limits, budget, depth=1):
    """The reference: walk every expansion (exponential: gives up past `budget` steps)."""
    deepest, aliases, cost = depth, 0, 0
    for selection in selection_set.selections:
        budget[0] -= 1
        if budget[0] < 0:
            raise TooLarge
        if isinstance(selection, FieldNode):
            aliases += selection.alias is not None
            if selection.selection_set is None:
                cost += 1
                continue
            d, a, c = expanded(selection.selection_set, fragments, limits, budget, depth + 1)
            deepest, aliases = max(deepest, d), aliases + a
            cost += 1 + _multiplier(selection, limits, None) * c
        else:
            inner = (selection.selection_set if isinstance(selection, InlineFragmentNode)
                     else fragments[selection.name.value].selection_set)
            d, a, c = expanded(inner, fragments, limits, budget, depth)
            deepest, aliases, cost = max(deepest, d), aliases + a, cost + c
    return deepest, aliases, cost


def measured(text):
    document = parse(text)
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    operation = document.definitions[0]
    return document, fragments, operation, analyse(operation, fragments, Limits())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents(most_fragments=12, most_items=4, most_repeats=4))
def test_analysis_work_is_linear_in_the_document(text):
    document, _, _, analysis = measured(text)
    # at most two visits per selection of the document, however often (and however deep) fragments are spread
    assert not analysis.too_complex
    assert analysis.work <= 2 * selections_in(document)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(most_fragments=6, most_items=3, most_repeats=2))
def test_the_memoised_measure_is_the_measure_of_every_expansion(text):
    _, fragments, operation, analysis = measured(text)
    try:
        depth, aliases, cost = expanded(operation.selection_set, fragments, Limits(), [20_000])
    except TooLarge:
        assume(False)
    assert (analysis.depth, analysis.aliases, analysis.cost) == (depth, min(aliases, COUNT_CAP), min(cost, COUNT_CAP))


@pytest.mark.parametrize("levels", [10, 20, 30, 60])
def test_work_grows_with_the_document_not_its_expansion(levels):
    analysis, selections = analysis_of(spread_bomb(levels, leaf="registryVersion"))
    assert analysis.work <= 2 * selections
    assert analysis.cost == min(2 ** (levels - 1), COUNT_CAP)
