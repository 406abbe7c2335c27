"""Abuse limits, checked in the same validation pass as the rest of GraphQL validation (and cached with the
validated document): selection depth, aliases, and a query cost in which list sizes are multipliers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, ValidationRule
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    ListTypeNode,
    ListValueNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

from .input_lists import BATCH_ARGUMENT, BATCH_FIELD
from .pagination import DEFAULT_PAGE, MAX_PAGE
from .reverse import DEFAULT_ACCEPTED, MAX_ACCEPTED


@dataclass(frozen=True)
class Limits:
    max_depth: int = 15
    max_aliases: int = 30
    max_cost: int = 50_000
    max_batch: int = 1000
    max_work: int = 200_000  # see MAX_WORK


@dataclass
class Analysis:
    depth: int = 0
    aliases: int = 0
    cost: int = 0
    # Selections visited: each node of the document at most twice (once to find a fragment's spreads, once to
    # measure it), however often it is spread. Over `max_work` the analysis stops and the document is refused.
    work: int = 0
    too_complex: bool = False


# The counts stop growing here: enough to refuse, and numbers stay small however a document multiplies them.
COUNT_CAP = 2 ** 31
# Selections one document may make the analysis visit. Memoised, the analysis visits each node of the document
# at most twice, so a document within MRA_MAX_QUERY_TOKENS (20,000) stays far below it; the ceiling is the
# guarantee that no document, however it is built, holds a worker longer.
MAX_WORK = Limits.max_work


class TooComplex(Exception):
    """The analysis reached its ceiling of work for one document."""


@dataclass(frozen=True)
class _Measure:
    """What a selection set adds where it is used: levels below its own, aliases, cost (every count as its
    fragments expand, capped)."""
    depth: int = 0
    aliases: int = 0
    cost: int = 0


class Analyser:
    """Measures the operations of one document. Each fragment is measured once, bottom-up, and its measure
    reused wherever it is spread (depth relative to the spread, aliases and cost as they expand): the work is
    linear in the document, where walking every expansion was exponential in the nesting of spreads
    (`fragment F1 on Query { ...F2 ...F2 }` ... 30 levels)."""

    def __init__(self, fragments: dict, limits: Limits, variables: dict[str, Any] | None = None,
                 max_work: int | None = None):
        self.fragments = {name: f for name, f in fragments.items() if f is not None}
        self.limits = limits
        self.variables = variables
        self.max_work = limits.max_work if max_work is None else max_work
        self.work = 0
        self._measures: dict[str, _Measure] = {}
        self._spreads: dict[str, list[str]] = {}
        self._open: set[str] = set()  # fragments whose measure is being computed

    def _step(self) -> None:
        self.work += 1
        if self.work > self.max_work:
            raise TooComplex

    def operation(self, operation: OperationDefinitionNode) -> Analysis:
        try:
            measure = self._selection_set(operation.selection_set)
        except TooComplex:
            return Analysis(work=self.work, too_complex=True)
        return Analysis(depth=1 + measure.depth, aliases=measure.aliases, cost=measure.cost, work=self.work)

    def _fragment(self, name: str) -> _Measure | None:
        """The fragment's measure, computing it and every fragment it spreads first, with an explicit stack (a
        long chain of spreads never meets the recursion limit). A spread that closes a cycle adds nothing:
        NoFragmentCycles refuses such a document in the same validation pass."""
        if name in self._measures or name in self._open or name not in self.fragments:
            return self._measures.get(name)
        stack = [(name, iter(self._spreads_of(name)))]
        self._open.add(name)
        while stack:
            current, spreads = stack[-1]
            for spread in spreads:
                if spread in self._measures or spread in self._open or spread not in self.fragments:
                    continue
                stack.append((spread, iter(self._spreads_of(spread))))
                self._open.add(spread)
                break
            else:
                # every fragment it spreads is measured (or open: a cycle), so this never recurses into another
                self._measures[current] = self._selection_set(self.fragments[current].selection_set)
                stack.pop()
                self._open.discard(current)
        return self._measures[name]

    def _spreads_of(self, name: str) -> list[str]:
        if name not in self._spreads:
            found: list[str] = []
            pending = [self.fragments[name].selection_set]
            while pending:
                selection_set = pending.pop()
                for selection in selection_set.selections:
                    self._step()
                    if isinstance(selection, FragmentSpreadNode):
                        found.append(selection.name.value)
                    elif selection.selection_set is not None:
                        pending.append(selection.selection_set)
            self._spreads[name] = found
        return self._spreads[name]

    def _selection_set(self, selection_set: SelectionSetNode | None) -> _Measure:
        if selection_set is None:
            return _Measure()
        depth = aliases = cost = 0
        for selection in selection_set.selections:
            self._step()
            if isinstance(selection, FieldNode):
                if selection.alias is not None:
                    aliases += 1
                if selection.name.value.startswith("__"):
                    continue  # introspection is bounded by the schema itself
                if selection.selection_set is None:
                    cost += 1
                    continue
                children = self._selection_set(selection.selection_set)
                depth = max(depth, 1 + children.depth)
                aliases += children.aliases
                cost += 1 + _multiplier(selection, self.limits, self.variables) * children.cost
            else:
                if isinstance(selection, InlineFragmentNode):
                    inner = self._selection_set(selection.selection_set)
                else:  # a fragment spread: measured once, wherever it is spread
                    inner = self._fragment(selection.name.value)
                    if inner is None:  # unknown (KnownFragmentNames reports it) or closing a cycle
                        continue
                depth = max(depth, inner.depth)
                aliases += inner.aliases
                cost += inner.cost
            aliases, cost = min(aliases, COUNT_CAP), min(cost, COUNT_CAP)
        return _Measure(depth, min(aliases, COUNT_CAP), min(cost, COUNT_CAP))


def analyse(operation: OperationDefinitionNode, fragments: dict, limits: Limits,
            variables: dict[str, Any] | None = None, analyser: Analyser | None = None) -> Analysis:
    """Depth, aliases and cost of one operation. Pass one `analyser` for every operation of a document to
    measure its fragments once for all of them."""
    return (analyser or Analyser(fragments, limits, variables)).operation(operation)


def _multiplier(field: FieldNode, limits: Limits, variables: dict[str, Any] | None) -> int:
    """How many times a field's children may be resolved: `first` (or `last`) of a connection (root or nested;
    without it, the default page), the lines of `clearances`."""
    for argument in field.arguments or ():
        name = argument.name.value
        if name in ("first", "last"):
            largest = _PAGES.get(field.name.value, (DEFAULT_PAGE, MAX_PAGE))[1]
            value = argument.value
            if isinstance(value, IntValueNode) and 0 <= int(value.value) <= largest:
                return int(value.value)
            # a variable, or a size the resolver will refuse: never let it lower the cost of what runs beside it
            return largest
        if name == BATCH_ARGUMENT and field.name.value == BATCH_FIELD:
            value = argument.value
            if isinstance(value, ListValueNode):
                return max(len(value.values), 1)
            if isinstance(value, VariableNode) and variables is not None:
                lines = variables.get(value.name.value)
                return max(len(lines), 1) if isinstance(lines, list) else 1
            # A batch in a variable is costed as one line when the document is validated (its verdict is cached
            # for every request), then at its real size per request (request_cost): a declaration's cost is
            # what it asks for, not the largest batch allowed.
            return 1
    if field.name.value in _PAGES:
        return _PAGES[field.name.value][0]
    if field.name.value in CONNECTION_FIELDS:
        return DEFAULT_PAGE
    return 1


# Lists paged by `first` with their own default and largest sizes: (default, largest).
_PAGES = {"acceptedBodies": (DEFAULT_ACCEPTED, MAX_ACCEPTED)}


# Every field that answers a connection, by name: the root lists and the lists inside registry objects. Nested
# ones lead back to other registry objects (signatories -> accreditationBody -> statuses -> arrangement ->
# signatories ...), so a few levels of them multiply, each by its page size. A test checks this set against the
# schema. The decision's own lists (path, reasons, warnings) are bounded by the rules and count once.
CONNECTION_FIELDS = frozenset({
    "economies", "unions", "arrangements", "accreditationBodies", "conformityAssessmentBodies", "importPolicies",
    "changes",
    "unionMemberships", "memberships", "sectors", "operations", "signatories", "statuses", "accreditations",
    "suspensions", "scope", "designations", "activityStarts", "lookalikeBodies", "completenessDeclarations",
    "competences", "acceptanceLists", "entries",
    "verificationKeys", "statusLists",
})


def limit_rules(limits: Limits) -> list[type[ValidationRule]]:
    class QueryLimits(ValidationRule):
        analyser: Analyser | None = None  # one per document validated: its fragments are measured once

        def enter_operation_definition(self, node: OperationDefinitionNode, *_):
            if self.analyser is None:
                fragments = {name: self.context.get_fragment(name)
                             for name in _fragment_names(self.context.document)}
                self.analyser = Analyser(fragments, limits)
            result = self.analyser.operation(node)
            if result.too_complex:
                self.report_error(GraphQLError(
                    f"the document is too complex to analyse (more than {self.analyser.max_work} selections "
                    "visited); write it with fewer fragments and selections", node,
                    extensions={"code": "QUERY_TOO_COMPLEX", "limit": self.analyser.max_work}))
                return
            if result.depth > limits.max_depth:
                self.report_error(GraphQLError(
                    f"the query is {result.depth} levels deep; the limit is {limits.max_depth}", node,
                    extensions={"code": "QUERY_TOO_DEEP", "limit": limits.max_depth}))
            if result.aliases > limits.max_aliases:
                self.report_error(GraphQLError(
                    f"the query uses {result.aliases} aliases; the limit is {limits.max_aliases}", node,
                    extensions={"code": "TOO_MANY_ALIASES", "limit": limits.max_aliases}))
            if result.cost > limits.max_cost:
                self.report_error(too_costly(result.cost, limits, node))

    return [QueryLimits]


def _fragment_names(document) -> list[str]:
    return [d.name.value for d in document.definitions if d.kind == "fragment_definition"]


def sized_by_variables(operation: OperationDefinitionNode) -> bool:
    """Whether a variable may hold a list (a batch whose size only the request knows)."""
    for definition in operation.variable_definitions or ():
        kind = definition.type
        if isinstance(kind, NonNullTypeNode):
            kind = kind.type
        if isinstance(kind, ListTypeNode):
            return True
    return False


def too_costly(cost: int, limits: Limits, node=None) -> GraphQLError:
    amount = f"more than {COUNT_CAP}" if cost >= COUNT_CAP else str(cost)
    return GraphQLError(
        f"the query would cost {amount}; the limit is {limits.max_cost} (list sizes multiply the cost of what they "
        "contain: ask for smaller pages, fewer fields or fewer lines)", node,
        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": limits.max_cost})


def request_cost(document: DocumentNode, operation: OperationDefinitionNode, variables: dict[str, Any] | None,
                 limits: Limits) -> int:
    """The cost of one request: the operation as validated, with its batches at the size the variables give."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return analyse(operation, fragments, limits, variables or {}).cost


def document_cost(document, limits: Limits) -> int:
    """The cost of a validated document's operations, for `extensions.cost` in responses."""
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    analyser = Analyser(fragments, limits)
    return max((analyser.operation(d).cost for d in document.definitions
                if isinstance(d, OperationDefinitionNode)), default=0)
