"""A compiled plan answers exactly as graphql-core's executor does, or hands the request back to it.

Every case runs the same document both ways, on a schema invented for these tests (labelled fixture data),
and compares the whole result: data, errors, and the order of the keys."""
from __future__ import annotations

import asyncio
import datetime
import enum
import json
from typing import Any

import graphene
import pytest
from graphql import execute, get_operation_ast, parse, validate

from mra_registry.web.planned_execution import QueryPlan

# -- the fixture schema ---------------------------------------------------------------------------------------


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


ColourType = graphene.Enum.from_enum(Colour)


class Named(graphene.Interface):
    name = graphene.String()


class Part(graphene.ObjectType):
    """A plain object read through graphene's default resolver."""

    code = graphene.String(required=True)
    weight = graphene.Float()
    colour = graphene.Field(ColourType)
    tags = graphene.List(graphene.NonNull(graphene.String))


def _day_serialised(value: datetime.date) -> str:
    return value.isoformat()


_day_serialised.serialized_by_value = (datetime.date,)  # the marker the plan reads (api/scalars.py serialized_by_value)


class Day(graphene.Scalar):
    """A date serialised by value alone: the plan remembers its recent serialisations."""

    serialize = staticmethod(_day_serialised)

    @staticmethod
    def parse_value(value):
        return datetime.date.fromisoformat(value)


class Stamped(graphene.ObjectType):
    """Read from objects through graphene's default resolver: several attributes per object."""

    code = graphene.String()
    colour = graphene.Field(ColourType)
    day = graphene.Field(Day)
    days = graphene.List(Day)
    loud = graphene.String()

    @staticmethod
    def resolve_loud(parent, info):
        return str(getattr(parent, "code", None)).upper()


class Full:
    __slots__ = ("code", "colour", "day", "days")

    def __init__(self, code, colour, day, days):
        self.code, self.colour, self.day, self.days = code, colour, day, days


class Partial:
    """Lacks `day` and `days`: graphene reads them as null."""

    __slots__ = ("code", "colour")

    def __init__(self, code, colour):
        self.code, self.colour = code, colour


class Faulty:
    """A property failing with AttributeError inside: graphene's default resolver reads it as null."""

    __slots__ = ("code", "day", "days")

    def __init__(self, code, day, days):
        self.code, self.day, self.days = code, day, days

    @property
    def colour(self):
        raise AttributeError("inside the property")


class Broken:
    """A property failing with another error: graphql-core reports it as the field's error."""

    __slots__ = ("code", "day", "days")

    def __init__(self, code):
        self.code, self.day, self.days = code, None, None

    @property
    def colour(self):
        raise ValueError("a property that fails")


STAMPED = [Full("F1", Colour.RED, datetime.date(2026, 1, 2), [datetime.date(2026, 1, 2), datetime.date(2025, 12, 31)]),
           Partial("P1", Colour.GREEN),
           {"code": "D1", "day": datetime.date(2024, 2, 29)},
           Full("F2", None, None, None),
           Faulty("X1", datetime.date(2026, 1, 2), []),
           Full("F3", Colour.GREEN, datetime.date(2026, 1, 2), [])]


class Gadget(graphene.ObjectType):
    class Meta:
        interfaces = (Named,)

    serial = graphene.Int()


class Tree(graphene.ObjectType):
    label = graphene.String(required=True)
    children = graphene.List(graphene.NonNull(lambda: Tree), required=True)
    parts = graphene.List(Part, limit=graphene.Int(default_value=10))
    shout = graphene.String(word=graphene.String(required=True))
    must = graphene.String(required=True)
    typed = graphene.Field(lambda: Typed)

    @staticmethod
    def resolve_children(parent, info):
        return parent["children"]

    @staticmethod
    def resolve_parts(parent, info, limit):
        return parent["parts"][:limit]

    @staticmethod
    def resolve_shout(parent, info, word):
        return f"{word.upper()} from {parent['label']}"

    @staticmethod
    def resolve_must(parent, info):
        return parent.get("must")


class Typed(graphene.ObjectType):
    """Has is_type_of: only dicts marked typed are Typed."""

    value = graphene.Int()

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, dict) and root.get("typed") is True


class TreeInput(graphene.InputObjectType):
    label = graphene.String(required=True)
    depth = graphene.Int(default_value=1)


class Unhashable:
    """A value whose hash fails with something other than TypeError."""

    def __hash__(self):
        raise ValueError("no hash")


# Ints: within 32 bits an int is its own serialisation; a bool is serialised (True -> 1); beyond 32 bits it is refused
COUNTS = {"small": 5, "lowest": -(2 ** 31), "highest": 2 ** 31 - 1, "flag": True, "none": None, "big": 2 ** 31,
          "text": "7"}

PARTS = [{"code": "P1", "weight": 1.5, "colour": Colour.RED, "tags": ["a", "b"]},
         {"code": "P2", "weight": None, "colour": Colour.GREEN, "tags": []},
         {"code": "P3", "weight": 3.0, "colour": None, "tags": None}]


def tree(label: str, depth: int, must: str | None = "yes") -> dict:
    children = [tree(f"{label}.{n}", depth - 1) for n in range(2)] if depth > 0 else []
    return {"label": label, "children": children, "parts": PARTS, "must": must,
            "typed": {"typed": True, "value": depth}}


class Query(graphene.ObjectType):
    tree = graphene.Field(Tree, input=TreeInput(required=True))
    trees = graphene.List(graphene.NonNull(Tree), labels=graphene.List(graphene.NonNull(graphene.String), required=True))
    broken = graphene.Field(Tree)
    mistyped = graphene.Field(Typed)
    gadget = graphene.Field(Named)
    later = graphene.String()
    total = graphene.Int(numbers=graphene.List(graphene.Int))
    count = graphene.Int(of=graphene.String(required=True))
    counts = graphene.List(graphene.NonNull(graphene.Int), required=True)

    parts_with_gap = graphene.List(Part)
    strict_parts_with_gap = graphene.List(graphene.NonNull(Part))
    parts_from_generator = graphene.List(graphene.NonNull(Part))
    parts_as_tuple = graphene.List(graphene.NonNull(Part))
    required_part = graphene.Field(graphene.NonNull(Part), missing=graphene.Boolean())

    labels = graphene.List(graphene.NonNull(graphene.String))
    loose_labels = graphene.List(graphene.String)
    strict_labels = graphene.List(graphene.NonNull(graphene.String))

    optional_part = graphene.Field(Part)
    labels_from_generator = graphene.List(graphene.NonNull(graphene.String))
    odd_colour = graphene.Field(ColourType)

    @staticmethod
    def resolve_optional_part(root, info):
        return None

    @staticmethod
    def resolve_labels_from_generator(root, info):
        return (label for label in ("x", "y"))

    @staticmethod
    def resolve_odd_colour(root, info):
        return Unhashable()

    @staticmethod
    def resolve_labels(root, info):
        return ("a", 7, "b")  # a tuple, and an int serialised as a text

    @staticmethod
    def resolve_loose_labels(root, info):
        return ["a", None, 2.5]

    @staticmethod
    def resolve_strict_labels(root, info):
        return ["a", None]

    @staticmethod
    def resolve_parts_with_gap(root, info):
        return [PARTS[0], None, PARTS[1]]

    resolve_strict_parts_with_gap = resolve_parts_with_gap

    @staticmethod
    def resolve_parts_from_generator(root, info):
        return (part for part in PARTS)

    @staticmethod
    def resolve_parts_as_tuple(root, info):
        return tuple(PARTS)

    @staticmethod
    def resolve_required_part(root, info, missing=False):
        return None if missing else PARTS[0]

    @staticmethod
    def resolve_count(root, info, of):
        return COUNTS[of]

    @staticmethod
    def resolve_counts(root, info):
        return [5, True, -(2 ** 31)]
    stamped = graphene.List(Stamped, first=graphene.Int())
    full_only = graphene.List(Stamped)

    @staticmethod
    def resolve_stamped(root, info, first=None):
        return STAMPED[:first] if first is not None else STAMPED

    faulty_first = graphene.List(Stamped)
    broken_stamped = graphene.List(Stamped)

    @staticmethod
    def resolve_full_only(root, info):
        return [item for item in STAMPED if type(item) is Full]

    @staticmethod
    def resolve_faulty_first(root, info):
        return [Faulty("X2", datetime.date(2026, 1, 3), []), STAMPED[0]]

    @staticmethod
    def resolve_broken_stamped(root, info):
        return [STAMPED[0], Broken("B1")]

    @staticmethod
    def resolve_tree(root, info, input):
        return tree(input.label, input.depth, must=None if input.label == "hollow" else "yes")

    @staticmethod
    def resolve_trees(root, info, labels):
        return [tree(label, 0) for label in labels]

    @staticmethod
    def resolve_broken(root, info):
        raise ValueError("this resolver always fails")

    @staticmethod
    def resolve_mistyped(root, info):
        return {"typed": False, "value": 1}

    @staticmethod
    def resolve_gadget(root, info):
        return Gadget(name="g", serial=7)

    @staticmethod
    async def resolve_later(root, info):
        return "later"

    @staticmethod
    def resolve_total(root, info, numbers=None):
        return sum(numbers or ())


class Mutation(graphene.ObjectType):
    noop = graphene.Int()

    @staticmethod
    def resolve_noop(root, info):
        return 1


SCHEMA = graphene.Schema(query=Query, mutation=Mutation, types=[Gadget]).graphql_schema


def both_ways(query: str, variables: dict | None = None, operation_name: str | None = None):
    document = parse(query)
    assert validate(SCHEMA, document) == []
    operation = get_operation_ast(document, operation_name)
    plan = QueryPlan.compile(SCHEMA, document, operation)
    planned = plan.run({"who": "test"}, variables) if plan is not None else None
    expected = execute(SCHEMA, document, context_value={"who": "test"}, variable_values=variables,
                       operation_name=operation_name)
    if asyncio.iscoroutine(expected) or hasattr(expected, "__await__"):
        expected = asyncio.run(_awaited(expected))
    return plan, planned, expected


async def _awaited(value: Any) -> Any:
    return await value


def as_json(result) -> str:
    return json.dumps({"data": result.data, "errors": [e.formatted for e in result.errors or ()]})


# -- answered by the plan, exactly as graphql-core answers ---------------------------------------------------
ANSWERED = {
    "scalars, enums and lists": ('{ tree(input: {label: "t"}) { label parts { code weight colour tags } } }', None),
    "nested lists of objects": ('{ tree(input: {label: "t", depth: 2}) { label children { label children { label } } } }',
                                None),
    "aliases and typename": ('{ a: tree(input: {label: "x"}) { __typename l: label } __typename }', None),
    "one field asked twice is merged": (
        '{ tree(input: {label: "m"}) { parts { code } label parts { weight } } }', None),
    "fragments and inline fragments": (
        'query { tree(input: {label: "f"}) { ...T ... on Tree { parts { ...P } } ... { label } } } '
        'fragment T on Tree { label children { label } } fragment P on Part { code colour }', None),
    "variables, defaults and arguments": (
        'query($in: TreeInput!, $w: String!, $n: Int) { tree(input: $in) { shout(word: $w) parts(limit: $n) { code } '
        'all: parts { code } } }', {"in": {"label": "v"}, "w": "hey", "n": 1}),
    "a list argument from a variable": ('query($n: [Int]) { total(numbers: $n) }', {"n": [1, 2, 3]}),
    # bare variables are passed straight through only when each has a value; these take graphql-core's way
    "a nullable argument's variable left out": ('query($n: [Int]) { total(numbers: $n) }', {}),
    "a nullable argument's variable null": ('query($n: [Int]) { total(numbers: $n) }', {"n": None}),
    "a variable's own default": ('query($n: [Int] = [4, 5]) { total(numbers: $n) }', {}),
    "the same field from variables and literals": (
        'query($in: TreeInput!) { a: tree(input: $in) { label } b: tree(input: {label: "lit"}) { label } }',
        {"in": {"label": "var"}}),
    "is_type_of that holds": ('{ tree(input: {label: "t"}) { typed { value } } }', None),
    "a nullable list that is null": ('{ tree(input: {label: "t"}) { parts { tags } } }', None),
    "several root fields in order": ('{ trees(labels: ["b", "a"]) { label } tree(input: {label: "c"}) { label } }',
                                     None),
    "attributes of objects, one lacking some, a dict, a failing property": (
        '{ stamped { code colour day days loud } }', None),
    "attributes of objects read at once": ('{ fullOnly { day code colour days } }', None),
    "one attribute beside a resolver": ('{ stamped { loud code } }', None),
    "a property failing with AttributeError while all are read at once": (
        '{ faultyFirst { code colour day } }', None),
    "Ints within 32 bits, a bool, a null and a numeric text": (
        '{ a: count(of: "small") b: count(of: "lowest") c: count(of: "highest") d: count(of: "flag") '
        'e: count(of: "none") f: count(of: "text") counts }', None),
    "lists of objects: a null item where null may go, a generator, a tuple; a non-null object": (
        '{ partsWithGap { code } partsFromGenerator { code } partsAsTuple { code colour } requiredPart { code } }',
        None),
    "lists of texts: a tuple, a number serialised, a null where null may go, a generator": (
        '{ labels looseLabels labelsFromGenerator }', None),
    "a null where an object may be null": ('{ optionalPart { code } requiredPart { code } }', None),
    "the operation named": ('query A { trees(labels: ["a"]) { label } } query B { tree(input: {label: "b"}) { label } }',
                            None),
}


@pytest.mark.parametrize("name", sorted(ANSWERED))
def test_the_plan_answers_as_graphql_core_does(name):
    query, variables = ANSWERED[name]
    plan, planned, expected = both_ways(query, variables, "B" if name == "the operation named" else None)
    assert plan is not None and planned is not None, "the plan should have answered"
    assert as_json(planned) == as_json(expected)
    assert not expected.errors


# -- handed back to graphql-core at run time -------------------------------------------------------------------
HANDED_BACK = {
    "a resolver that raises": '{ broken { label } }',
    "null for a non-null field": '{ tree(input: {label: "hollow"}) { must } }',
    "is_type_of that fails": '{ mistyped { value } }',
    "an async resolver": '{ later }',
    "a property that raises, read at once": '{ brokenStamped { code colour } }',
    "an Int beyond 32 bits": '{ count(of: "big") }',
    "a null item in a list of non-null objects": '{ strictPartsWithGap { code } }',
    "a null item in a list of non-null texts": '{ strictLabels }',
    "a value whose hash fails where an enum goes": '{ oddColour }',
    "a null for a non-null object": '{ requiredPart(missing: true) { code } }',
    "a property that raises, read alone": '{ brokenStamped { colour loud } }',
    "variables that cannot be coerced": ('query($in: TreeInput!) { tree(input: $in) { label } }', {"in": {"depth": 1}}),
}


@pytest.mark.parametrize("name", sorted(HANDED_BACK))
def test_what_the_plan_cannot_answer_exactly_goes_to_graphql_core(name):
    case = HANDED_BACK[name]
    query, variables = case if isinstance(case, tuple) else (case, None)
    plan, planned, expected = both_ways(query, variables)
    assert plan is not None
    assert planned is None
    if name != "an async resolver":
        assert expected.errors  # graphql-core words the error; the plan never does


def test_bare_variable_arguments_are_recognised_and_defaults_left_to_graphql_core():
    from mra_registry.web.planned_execution import _bare_variable_arguments

    def field_and_node(query):
        operation = get_operation_ast(parse(query))
        node = operation.selection_set.selections[0]
        return SCHEMA.query_type.fields[node.name.value], node

    assert _bare_variable_arguments(*field_and_node('query($n: [Int]) { total(numbers: $n) }')) == (
        ("numbers", "n"),)
    assert _bare_variable_arguments(*field_and_node('query($in: TreeInput!) { tree(input: $in) { label } }')) == (
        ("input", "in"),)
    assert _bare_variable_arguments(*field_and_node('{ trees(labels: ["a"]) { label } }')) is None  # a literal


def test_an_awaitable_turns_the_plan_off_for_its_document():
    plan, planned, _ = both_ways('{ later }')
    assert planned is None and plan.enabled is False
    assert plan.run({}, None) is None  # no second attempt


def test_a_failed_run_leaves_the_plan_on_for_the_next_request():
    document = parse('query($in: TreeInput!) { tree(input: $in) { must } }')
    plan = QueryPlan.compile(SCHEMA, document, get_operation_ast(document))
    assert plan.run({}, {"in": {"label": "hollow"}}) is None
    assert plan.run({}, {"in": {"label": "full"}}).data == {"tree": {"must": "yes"}}


# -- not planned at all ----------------------------------------------------------------------------------------
NOT_PLANNED = {
    "a mutation": 'mutation { noop }',
    "a directive": '{ tree(input: {label: "t"}) { label @skip(if: true) } }',
    "a directive in a fragment": '{ tree(input: {label: "t"}) { ...F } } fragment F on Tree { label @include(if: false) }',
    "an interface": '{ gadget { name } }',
    "introspection": '{ __schema { queryType { name } } }',
}


@pytest.mark.parametrize("name", sorted(NOT_PLANNED))
def test_documents_using_what_the_plan_does_not_support_are_not_planned(name):
    document = parse(NOT_PLANNED[name])
    assert validate(SCHEMA, document) == []
    assert QueryPlan.compile(SCHEMA, document, get_operation_ast(document)) is None


def test_the_same_plan_serves_many_requests_with_their_own_variables():
    document = parse('query($in: TreeInput!, $w: String!) { tree(input: $in) { label shout(word: $w) } }')
    plan = QueryPlan.compile(SCHEMA, document, get_operation_ast(document))
    answers = [plan.run({}, {"in": {"label": label}, "w": word}).data for label, word in (("a", "x"), ("b", "y"))]
    assert answers == [{"tree": {"label": "a", "shout": "X from a"}}, {"tree": {"label": "b", "shout": "Y from b"}}]


def test_the_types_learnt_never_awaitable_exclude_those_that_can_be():
    from mra_registry.web import planned_execution as planned

    class Plain:
        pass

    class Awaits:
        def __await__(self):
            yield from ()

    class Dynamic:
        def __getattr__(self, name):
            raise AttributeError(name)

    assert not planned._awaitable(Plain()) and Plain in planned._NEVER_AWAITABLE
    assert not planned._awaitable(Colour.RED) and Colour in planned._NEVER_AWAITABLE  # its metaclass's __getattr__
    assert planned._awaitable(Awaits()) and Awaits not in planned._NEVER_AWAITABLE
    assert not planned._awaitable(Dynamic()) and Dynamic not in planned._NEVER_AWAITABLE
    instance = Dynamic()
    instance.__class__ = type("NowAwaits", (Dynamic,), {"__await__": Awaits.__await__})
    assert planned._awaitable(instance)  # a type probed each time is still probed



def _ignores(parent, info):
    return parent


def _reads(parent, info):
    return info.context


def _captures(parent, info):
    return lambda: info


def _introspects(parent, info):
    return locals()["parent"]


def _passes_on(parent, info, **arguments):
    return _reads(parent, info)


class _TypeChecks:
    @classmethod
    def ignores(cls, root, info):
        return isinstance(root, cls)

    @classmethod
    def reads(cls, root, info):
        return info is not None


@pytest.mark.parametrize("resolver, reads", [
    (_ignores, False), (_reads, True), (_captures, True), (_introspects, True), (_passes_on, True),
    (lambda parent, info: parent, False), (lambda *args: args[1], True), (len, True),
    (__import__("functools").partial(_ignores), True),
    (_TypeChecks.ignores, False), (_TypeChecks.reads, True),  # bound: graphene's is_type_of classmethods
])
def test_only_a_resolver_certain_never_to_read_its_info_is_given_none(resolver, reads):
    from mra_registry.web.planned_execution import _reads_parameter

    assert _reads_parameter(resolver, 1) is reads


def test_attributes_are_read_one_by_one_after_an_object_lacks_one():
    """Objects of a selection set have their attribute fields read with one call each, until one lacks an attribute:
    every later object is then read field by field (a miss costs an exception), with the same answers."""
    document = parse('query($n: Int) { stamped(first: $n) { code day } }')
    plan = QueryPlan.compile(SCHEMA, document, get_operation_ast(document))
    assert plan.run({}, {"n": 1}).data == {"stamped": [{"code": "F1", "day": "2026-01-02"}]}
    flags = _at_once_flags(plan.execute_root)
    assert flags == [[True]]  # the root's one field has no attribute to read: only Stamped's executor has one
    assert plan.run({}, {}).data["stamped"][1] == {"code": "P1", "day": None}
    assert flags == [[]]
    assert plan.run({}, {}).data == execute(SCHEMA, document, context_value={}, variable_values={}).data


def _at_once_flags(function, seen=None) -> list:
    """The `at_once` flags of the generated executors reachable from `function` (through closures and the names of
    the executors' namespaces)."""
    seen = set() if seen is None else seen
    if id(function) in seen:
        return []
    seen.add(id(function))
    flags = []
    namespace = function.__globals__
    reachable = [cell.cell_contents for cell in function.__closure__ or ()]
    if "HandBack" in namespace:  # a generated executor's own namespace
        if "at_once" in namespace:
            flags.append(namespace["at_once"])
        reachable += [value for name, value in namespace.items() if name.startswith("complete_")]
    for value in reachable:
        if callable(value) and hasattr(value, "__globals__"):
            flags += _at_once_flags(value, seen)
    return flags


def test_a_by_value_scalar_is_remembered_and_bounded_an_unmarked_one_is_not():
    from mra_registry.web import planned_execution as planned

    day_type = SCHEMA.get_type("Day")
    complete = planned._leaf_completer(day_type, non_null=False)
    complete.memo.clear()  # one memo per serialiser: the cases above may have filled it
    days = [datetime.date(2000, 1, 1) + datetime.timedelta(days=n) for n in range(planned._REMEMBERED_SCALARS + 5)]
    assert [complete(day, None) for day in days] == [day.isoformat() for day in days]
    assert 0 < len(complete.memo) <= planned._REMEMBERED_SCALARS  # cleared when full, then filled again
    assert complete.memo[datetime.date, days[-1]] == days[-1].isoformat()
    # a datetime is a date, but equal instants in two zones serialise differently: never remembered
    utc = datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.timezone.utc)
    paris = datetime.datetime(2026, 1, 1, 13, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    assert utc == paris
    assert [complete(utc, None), complete(paris, None)] == [utc.isoformat(), paris.isoformat()]
    assert not any(kind is datetime.datetime for kind, _ in complete.memo)
    again = planned._leaf_completer(day_type, non_null=True)
    assert again.memo is complete.memo  # one memo per serialiser, whatever field or document serialises through it
    unmarked = planned._leaf_completer(SCHEMA.get_type("Float"), non_null=False)
    assert unmarked.memo is None
    colour = planned._leaf_completer(SCHEMA.get_type("Colour"), non_null=False)
    assert colour(Colour.RED, None) == "RED" and colour.memo == {(Colour, Colour.RED): "RED"}
