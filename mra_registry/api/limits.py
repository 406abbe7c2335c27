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

from .pagination import DEFAULT_PAGE, MAX_PAGE
from .reverse import DEFAULT_ACCEPTED, MAX_ACCEPTED


@dataclass(frozen=True)
class Limits:
    max_depth: int = 15
    max_aliases: int = 30
    max_cost: int = 50_000
    max_batch: int = 1000


@dataclass
class Analysis:
    depth: int = 0
    aliases: int = 0
    cost: int = 0


def _multiplier(field: FieldNode, limits: Limits, variables: dict[str, Any] | None) -> int:
    """How many times a field's children may be resolved: `first` of a connection (root or nested; without
    it, the default page), the lines of `clearances`."""
    for argument in field.arguments or ():
        name = argument.name.value
        if name == "first":
            largest = _PAGES.get(field.name.value, (DEFAULT_PAGE, MAX_PAGE))[1]
            value = argument.value
            if isinstance(value, IntValueNode) and 0 <= int(value.value) <= largest:
                return int(value.value)
            # a variable, or a size the resolver will refuse: never let it lower the cost of what runs beside it
            return largest
        if name == "inputs":
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
    "suspensions", "scope", "designations",
})


def analyse(operation: OperationDefinitionNode, fragments: dict, limits: Limits,
            variables: dict[str, Any] | None = None) -> Analysis:
    analysis = Analysis()

    def walk(selection_set: SelectionSetNode | None, depth: int, visiting: frozenset[str]) -> int:
        """Returns the cost of the selection set; records depth and aliases on the way."""
        if selection_set is None:
            return 0
        analysis.depth = max(analysis.depth, depth)
        cost = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.alias is not None:
                    analysis.aliases += 1
                if selection.name.value.startswith("__"):
                    continue  # introspection is bounded by the schema itself
                children = walk(selection.selection_set, depth + 1, visiting)
                cost += 1 + _multiplier(selection, limits, variables) * children
            elif isinstance(selection, InlineFragmentNode):
                cost += walk(selection.selection_set, depth, visiting)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in visiting:  # cycles are reported by NoFragmentCycles
                    cost += walk(fragment.selection_set, depth, visiting | {name})
            if cost > 10 * limits.max_cost:  # enough to refuse; stop counting an exploding query
                break
        return cost

    analysis.cost = walk(operation.selection_set, 1, frozenset())
    return analysis


def limit_rules(limits: Limits) -> list[type[ValidationRule]]:
    class QueryLimits(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_):
            fragments = {name: self.context.get_fragment(name) for name in _fragment_names(self.context.document)}
            result = analyse(node, fragments, limits)
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
    return GraphQLError(
        f"the query would cost {cost}; the limit is {limits.max_cost} (list sizes multiply the cost of what they "
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
    return max((analyse(d, fragments, limits).cost for d in document.definitions
                if isinstance(d, OperationDefinitionNode)), default=0)
