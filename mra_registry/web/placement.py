"""Where an operation runs: on the event loop (the fast path) or in a read thread.

A query runs on the loop when it selects only `loop_safe_fields` (answered from memory), costs at most
`max_loop_cost` (`max_light_loop_cost` when it selects only `light_fields`, cheap reads of a read model), and
decides at most `max_loop_lines` lines of batches; everything else (a read of the database, a long computation, a
write) runs in a read thread (web/graphql_http.py). What follows from the operation alone is worked out once
(`place`); what depends on a request, its cost and its batch sizes, per request (`on_loop`).
"""
from __future__ import annotations

from typing import Collection, NamedTuple

from graphql import OperationDefinitionNode, OperationType
from graphql.language import ListValueNode, SelectionSetNode, ValueNode, VariableNode

# The largest cost (api/limits.py) a loop-safe query may have and still run on the event loop: about a
# hundred clearances of the officer's query, a few milliseconds. Larger declarations run in a read thread.
MAX_LOOP_COST = 2_000
# The same bound for a query whose root fields are all `light_fields` (browsing an in-memory read model). The cost
# counts fields, not work: a decision line is 2 to 40 units for some 30-60 us (the officer's query of docs/api.md,
# 36 units: under 2 us a unit), where a browsed record is half a dozen units for 2-3 us, about 0.4 us a unit at
# worst (every list full; measured on the fixtures). 15,000 light units are then a few milliseconds, as 2,000
# decision units of the officer's query are, and a thread hop (about 0.2 ms) would cost more than most such reads.
MAX_LIGHT_LOOP_COST = 15_000
# The most lines of batch root fields (`batch_arguments`: a declaration's `clearances(inputs:)`) a query may decide on
# the event loop, whatever its cost: a line is a decision, some 30-60 us, while it may cost as little as 2 units.
MAX_LOOP_LINES = 100


class Place(NamedTuple):
    loop_safe: bool  # a query of loop-safe root fields only
    light: bool  # ... and of light ones only
    batches: tuple[ValueNode, ...]  # the batch arguments its root fields are given


NOWHERE = Place(False, False, ())  # no operation: nothing runs


class Placement:
    def __init__(self, loop_safe_fields: Collection[str] | None, *, light_fields: Collection[str] = (),
                 batch_arguments: dict[str, str] | None = None, max_loop_cost: int = MAX_LOOP_COST,
                 max_light_loop_cost: int = MAX_LIGHT_LOOP_COST, max_loop_lines: int = MAX_LOOP_LINES):
        # None: every operation runs on the event loop (a schema whose resolvers never block).
        self.loop_safe_fields = frozenset(loop_safe_fields) if loop_safe_fields is not None else None
        self.light_fields = frozenset(light_fields) & (self.loop_safe_fields or frozenset())
        self.batch_arguments = dict(batch_arguments or {})  # root field -> its argument holding a batch of lines
        self.max_loop_cost = max_loop_cost
        self.max_light_loop_cost = max_light_loop_cost
        self.max_loop_lines = max_loop_lines

    @property
    def uses_threads(self) -> bool:
        return self.loop_safe_fields is not None

    def place(self, operation: OperationDefinitionNode) -> Place:
        if self.loop_safe_fields is None:
            return Place(True, False, ())
        if operation.operation is not OperationType.QUERY:
            return NOWHERE
        selections = operation.selection_set
        if not root_fields_within(selections, self.loop_safe_fields):
            return NOWHERE
        light = bool(self.light_fields) and root_fields_within(selections, self.light_fields)
        return Place(True, light, tuple(_batches(selections, self.batch_arguments)))

    def on_loop(self, place: Place, extensions: dict | None, variables: dict | None) -> bool:
        if self.loop_safe_fields is None:
            return True
        if not place.loop_safe:
            return False
        if place.batches and _lines(place.batches, variables) > self.max_loop_lines:
            return False
        cost = (extensions or {}).get("cost")
        if isinstance(cost, int) and cost > self.max_loop_cost:
            return place.light and cost <= self.max_light_loop_cost
        return True


def root_fields_within(selection_set: SelectionSetNode, allowed: frozenset[str], depth: int = 0) -> bool:
    """Whether every root field an operation selects is in `allowed` (a spread of a named fragment at the
    root is not followed: such an operation runs off the loop)."""
    for selection in selection_set.selections:
        kind = selection.kind
        if kind == "field":
            if selection.name.value not in allowed:
                return False
        elif kind == "inline_fragment":
            if depth > 8 or not root_fields_within(selection.selection_set, allowed, depth + 1):
                return False
        else:  # a fragment spread: its fields are not at hand here; run it off the loop, to be safe
            return False
    return True


def _batches(selection_set: SelectionSetNode, batch_arguments: dict[str, str]):
    """The value nodes of the batch arguments of the root fields (inline fragments included, as the loop-safe check
    reads them)."""
    for selection in selection_set.selections:
        if selection.kind == "field":
            wanted = batch_arguments.get(selection.name.value)
            for argument in selection.arguments or ():
                if argument.name.value == wanted:
                    yield argument.value
        elif selection.kind == "inline_fragment":
            yield from _batches(selection.selection_set, batch_arguments)


def _lines(batches: tuple[ValueNode, ...], variables: dict | None) -> int:
    lines = 0
    for value in batches:
        if isinstance(value, ListValueNode):
            lines += len(value.values)
        elif isinstance(value, VariableNode):
            given = (variables or {}).get(value.name.value)
            lines += len(given) if isinstance(given, list) else 1
        else:
            lines += 1
    return lines
