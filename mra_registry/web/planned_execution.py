"""A compiled execution plan for a cached query document: the hot path of `clearance` without graphql-core's
per-field machinery.

graphql-core's executor spends most of a small query's time on bookkeeping that a cached, validated
document makes repeatable: collecting and merging fields, looking up field definitions, building a
`ResolveInfo` and a path per field and per list item, checking every value for awaitability through
several layers. A plan does the collecting and looking up once per document, then runs the resolvers and
the leaf serialisers directly.

It is an optimisation, never a second semantics: a plan runs only where the answer is certain to be the
one graphql-core would give, and hands the request back (`None`) otherwise, before anything has been
written (only queries are planned, and resolvers of queries have no effects):
- at compile time, a document with directives (`@skip`, `@include`), abstract types (interfaces, unions),
  introspection fields other than `__typename`, or fragments on other types is not planned at all;
- at run time, variables that need an error message, a resolver that raises, a null where the schema says
  non-null, or a value a serialiser refuses, all go to graphql-core, which reports them as the spec says;
- a resolver that returns an awaitable (a dataloader) also goes to graphql-core, which
  batches; the plan then turns itself off for that document, so such a query pays for the attempt once.

What a resolver sees differs in two respects: `info.path` names the field without list indices (no resolver
of this project reads it), and a plain function whose code never names its `info` parameter is passed None
(it cannot tell; building a ResolveInfo per field per request was a tenth of a decision's answer).
"""
from __future__ import annotations

import dis
import inspect
from dataclasses import dataclass
from functools import partial
from types import FunctionType, GeneratorType, MethodType
from typing import Any, Callable

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLString,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    Undefined,
    VariableNode,
    default_field_resolver,
    is_leaf_type,
)
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.language import Visitor, visit
from graphql.pyutils import Path, is_awaitable
from graphene.types.resolver import dict_or_attr_resolver

from .field_execution import INT_MAX, INT_MIN, Executor, compile_executor
from .variable_coercion import Uncompilable, compile_variables

Completer = Callable[[Any, "_Run"], Any]


class _HandBack(Exception):
    """The plan cannot give graphql-core's answer for this request: let graphql-core execute it."""


class _Unplannable(Exception):
    """The document uses something a plan does not support."""


@dataclass(eq=False, slots=True)
class _FieldPlan:
    key: str  # the response key: the alias, else the field name
    parent_type: GraphQLObjectType
    nodes: tuple[FieldNode, ...]
    field_def: GraphQLField | None  # None for __typename
    index: int = 0  # where the run keeps this field's ResolveInfo
    resolve: Callable[..., Any] | None = None
    attribute: str | None = None  # set for graphene's default resolver: read it directly, no info needed
    default: Any = None
    constant_args: dict[str, Any] | None = None  # set when the arguments use no variable
    complete: Completer | None = None
    path: Path | None = None
    info_head: tuple = ()  # what a ResolveInfo of this field holds before the request's variables and context
    as_is: type | None = None  # a leaf whose values of this Python type are their own serialisation
    int_leaf: bool = False  # an Int: an int within 32 bits is its own serialisation
    reads_info: bool = True  # False: the resolver never reads its `info`, so none is built for it
    nullable_leaf: bool = False  # a leaf that may be null: a None value is its own completion
    leaf_memo: dict | None = None  # an enum's or by-value scalar's serialisations by (type, value), read inline
    # Set when every argument given is a bare variable and every argument left out has no default: each as
    # (argument's out_name, variable name); a request whose variables give each a value (not null) passes them as
    # they are, as graphql-core's get_argument_values would (anything else is left to it).
    variable_args: tuple[tuple[str, str], ...] | None = None


# Types whose values are never awaitable: the common case skips the probe. Learnt as values are met: a type that
# defines neither `__await__` nor `__getattr__` (in its own MRO, not its metaclass's) cannot make its instances
# awaitable; a generator can be, one code object at a time, so it is probed every time.
_NEVER_AWAITABLE = {str, int, float, bool, type(None), list, tuple, dict}
_PROBED: set[type] = {GeneratorType}
_LEARNT_LIMIT = 4096


def _defines(kind: type, name: str) -> bool:
    return any(name in vars(klass) for klass in kind.__mro__)


def _awaitable(value: Any) -> bool:
    kind = type(value)
    if kind in _NEVER_AWAITABLE:
        return False
    if is_awaitable(value):
        return True
    if kind not in _PROBED and len(_NEVER_AWAITABLE) + len(_PROBED) < _LEARNT_LIMIT:
        if _defines(kind, "__await__") or _defines(kind, "__getattr__"):
            _PROBED.add(kind)
        else:
            _NEVER_AWAITABLE.add(kind)
    return False


class _Run:
    """One request's state: the context and variables, and the infos built so far (one per field plan)."""

    __slots__ = ("plan", "context", "variables", "infos")

    def __init__(self, plan: "QueryPlan", context: Any, variables: dict[str, Any]):
        self.plan = plan
        self.context = context
        self.variables = variables
        self.infos: list[GraphQLResolveInfo | None] = [None] * plan.field_count

    def info(self, field_plan: _FieldPlan) -> GraphQLResolveInfo:
        info = self.infos[field_plan.index]
        if info is None:
            info = self.infos[field_plan.index] = GraphQLResolveInfo(
                *field_plan.info_head, self.variables, self.context, is_awaitable)
        return info


def _hand_back_if_awaitable(value: Any, run: _Run) -> None:
    """A resolver gave an awaitable (a dataloader): graphql-core batches; the plan turns itself off for good."""
    if _awaitable(value):
        if hasattr(value, "close"):  # a coroutine: never awaited, so close it quietly
            value.close()
        run.plan.enabled = False
        raise _HandBack


class QueryPlan:
    """The plan of one query operation of a validated document; `run` gives its ExecutionResult, or None
    when graphql-core must execute the request instead."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode):
        self.schema = schema
        self.operation = operation
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.enabled = True
        self.field_count = 0
        root = schema.query_type
        if operation.operation is not OperationType.QUERY or root is None:
            raise _Unplannable("only queries are planned")
        if _has_directives(operation) or any(_has_directives(f) for f in self.fragments.values()):
            raise _Unplannable("directives")
        self.root_fields = self._fields(root, [operation.selection_set], None)
        self.execute_root = self._executor(self.root_fields)
        try:
            self.coerce_variables = compile_variables(schema, operation.variable_definitions or ())
        except Uncompilable:
            self.coerce_variables = None

    @classmethod
    def compile(cls, schema: GraphQLSchema, document: DocumentNode,
                operation: OperationDefinitionNode) -> "QueryPlan | None":
        try:
            return cls(schema, document, operation)
        except _Unplannable:
            return None

    def run(self, context: Any, raw_variables: dict[str, Any] | None) -> ExecutionResult | None:
        if not self.enabled:
            return None
        raw_variables = raw_variables or {}
        variables = self.coerce_variables(raw_variables) if self.coerce_variables is not None else None
        if variables is None:  # not plainly right, or not compiled: as graphql-core coerces it
            variables = get_variable_values(self.schema, self.operation.variable_definitions or (), raw_variables)
            if isinstance(variables, list):  # errors: graphql-core words them
                return None
        try:
            data = self.execute_root(None, _Run(self, context, variables))
        except _HandBack:
            return None
        return ExecutionResult(data, None)

    # -- compiling -------------------------------------------------------------------------------------------
    def _fields(self, parent_type: GraphQLObjectType, selection_sets: list[SelectionSetNode],
                path: Path | None) -> tuple[_FieldPlan, ...]:
        grouped: dict[str, list[FieldNode]] = {}
        spread: set[str] = set()  # as graphql-core does: a fragment is collected once per merged selection
        for selection_set in selection_sets:
            self._collect(parent_type, selection_set, grouped, spread)
        plans = []
        for key, nodes in grouped.items():
            name = nodes[0].name.value
            if name == "__typename":
                plans.append(_FieldPlan(key, parent_type, tuple(nodes), None))
                continue
            if name.startswith("__"):
                raise _Unplannable("introspection")
            field_def = parent_type.fields[name]
            field_path = Path(path, key, parent_type.name)
            plan = _FieldPlan(key, parent_type, tuple(nodes), field_def, self.field_count,
                              field_def.resolve or default_field_resolver, path=field_path)
            self.field_count += 1
            plan.info_head = (name, list(nodes), field_def.type, parent_type, field_path, self.schema,
                              self.fragments, None, self.operation)
            resolve = plan.resolve
            if (isinstance(resolve, partial) and resolve.func is dict_or_attr_resolver and len(resolve.args) == 2
                    and not resolve.keywords):
                plan.attribute, plan.default = resolve.args
            plan.reads_info = plan.attribute is not None or _reads_parameter(resolve, 1)
            if not _uses_variables(nodes[0]):
                try:
                    plan.constant_args = get_argument_values(field_def, nodes[0], {})
                except GraphQLError:
                    raise _Unplannable("arguments graphql-core would refuse") from None
            else:
                plan.variable_args = _bare_variable_arguments(field_def, nodes[0])
            sub_selections = [n.selection_set for n in nodes if n.selection_set is not None]
            plan.complete = self._completer(field_def.type, sub_selections, field_path, plan)
            leaf = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
            plan.as_is = _SERIALISED_AS_IS.get(leaf)
            plan.int_leaf = leaf is GraphQLInt
            plan.nullable_leaf = is_leaf_type(leaf) and leaf is field_def.type
            plan.leaf_memo = getattr(plan.complete, "memo", None)
            plans.append(plan)
        return tuple(plans)

    @staticmethod
    def _executor(fields: tuple[_FieldPlan, ...]) -> Executor:
        return compile_executor(fields, hand_back=_HandBack, never_awaitable=_NEVER_AWAITABLE,
                                awaitable=_hand_back_if_awaitable)

    def _collect(self, parent_type: GraphQLObjectType, selection_set: SelectionSetNode,
                 grouped: dict[str, list[FieldNode]], spread: set[str]) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if selection.type_condition is not None and selection.type_condition.name.value != parent_type.name:
                    raise _Unplannable("a fragment on another type")
                self._collect(parent_type, selection.selection_set, grouped, spread)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in spread:  # spread twice in one selection: graphql-core collects it once
                    continue
                spread.add(name)
                fragment = self.fragments[name]
                if fragment.type_condition.name.value != parent_type.name:
                    raise _Unplannable("a fragment on another type")
                self._collect(parent_type, fragment.selection_set, grouped, spread)

    def _completer(self, return_type: GraphQLOutputType, selection_sets: list[SelectionSetNode], path: Path,
                   plan: _FieldPlan, non_null: bool = False) -> Completer:
        """The function completing a resolved value of `return_type`; a non-null type's check is fused into its
        inner type's completer (one call per value, not two)."""
        if isinstance(return_type, GraphQLNonNull):
            return self._completer(return_type.of_type, selection_sets, path, plan, non_null=True)
        if isinstance(return_type, GraphQLList):
            item = self._completer(return_type.of_type, selection_sets, path, plan)
            item_type = return_type.of_type
            # Items of a built-in scalar that are already their own serialisation (a list of strings) are taken as
            # they are, without a call per item.
            as_is = _SERIALISED_AS_IS.get(item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type)

            def complete_list(value: Any, run: _Run) -> Any:
                if value is None:
                    if non_null:
                        raise _HandBack  # graphql-core reports the null and propagates it
                    return None
                kind = type(value)
                if kind is not list and kind is not tuple and (
                        isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__")):
                    raise _HandBack
                if as_is is not None:
                    return [element if type(element) is as_is else item(element, run) for element in value]
                return [item(element, run) for element in value]
            # generated executors inline a list of objects, or of leaves that are their own serialisation
            complete_list.items, complete_list.items_as_is = item, as_is  # type: ignore[attr-defined]
            complete_list.non_null = non_null  # type: ignore[attr-defined]
            return complete_list
        if is_leaf_type(return_type):
            return _leaf_completer(return_type, non_null)
        if isinstance(return_type, GraphQLObjectType):
            execute = self._executor(self._fields(return_type, selection_sets, path))
            is_type_of = return_type.is_type_of
            type_check_reads_info = is_type_of is not None and _reads_parameter(is_type_of, 1)

            def complete_object(value: Any, run: _Run) -> Any:
                if value is None:
                    if non_null:
                        raise _HandBack
                    return None
                if is_type_of is not None:
                    verdict = is_type_of(value, run.info(plan) if type_check_reads_info else None)
                    if verdict is not True:
                        raise _HandBack
                return execute(value, run)
            if is_type_of is None:  # generated executors call the object's executor inline (field_execution)
                complete_object.executor = execute  # type: ignore[attr-defined]
                complete_object.non_null = non_null  # type: ignore[attr-defined]
            return complete_object
        raise _Unplannable(f"abstract type {return_type}")


# Built-in scalars whose serialiser returns a value of exactly this Python type unchanged (an Int's, within 32 bits:
# `int_leaf`).
_SERIALISED_AS_IS = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}
_REMEMBERED_ENUM_VALUES, _REMEMBERED_SCALARS = 1024, 4096
_BY_VALUE_MEMOS: dict[Any, dict] = {}  # a `serialized_by_value` serialiser -> its memo (dict steps hold the GIL)


def _leaf_completer(return_type: Any, non_null: bool) -> Completer:
    serialize = return_type.serialize
    as_is = _SERIALISED_AS_IS.get(return_type)
    is_int = return_type is GraphQLInt
    # An enum's serialisation depends on the value alone: remembered per (type of value, value), as the enum's
    # values are few. So is a scalar's whose serialiser says so for values of exactly the types it names
    # (`serialized_by_value`: a date's, never a datetime's), up to _REMEMBERED_SCALARS values at a time in one memo
    # per serialiser, shared by every field and document that serialises through it. Other scalars are serialised
    # each time.
    by_value = getattr(serialize, "serialized_by_value", ())
    if not isinstance(by_value, tuple):
        by_value = ()
    if by_value:
        memo: dict[tuple[type, Any], Any] | None = _BY_VALUE_MEMOS.setdefault(serialize, {})
    else:
        memo = {} if isinstance(return_type, GraphQLEnumType) else None

    def complete_leaf(value: Any, run: _Run) -> Any:
        if value is None:
            if non_null:
                raise _HandBack
            return None
        kind = type(value)
        if kind is as_is or (is_int and kind is int and INT_MIN <= value <= INT_MAX):
            return value
        if memo is not None:
            try:
                return memo[kind, value]
            except Exception:  # not remembered, or unhashable (a __hash__ may raise anything): serialised below
                pass
        try:
            serialized = serialize(value)
        except Exception:
            raise _HandBack from None
        if serialized is None or serialized is Undefined:
            raise _HandBack
        if memo is not None:
            if by_value:
                if kind not in by_value:  # (a subclass: a datetime given to a date's serialiser)
                    return serialized
                if len(memo) >= _REMEMBERED_SCALARS:
                    memo.clear()  # the values of the moment
            elif len(memo) >= _REMEMBERED_ENUM_VALUES:  # an enum's values are few: a full memo holds them all
                return serialized
            try:
                memo[kind, value] = serialized
            except Exception:  # an unhashable value: serialised each time
                pass
        return serialized
    complete_leaf.memo = memo  # type: ignore[attr-defined]  # generated executors read it inline (field_execution)
    return complete_leaf


class _Finder(Visitor):
    """Stops at the first node of one kind (`enter_<kind>`)."""

    def __init__(self, kind: str) -> None:
        self.found = False
        setattr(self, f"enter_{kind}", self._found)  # before super().__init__, which looks the handlers up
        super().__init__()

    def _found(self, *_: Any) -> Any:
        self.found = True
        return self.BREAK


def _contains(kind: str, *nodes: Any) -> bool:
    finder = _Finder(kind)
    for node in nodes:
        visit(node, finder)
        if finder.found:
            return True
    return False


def _has_directives(node: Any) -> bool:
    return _contains("directive", node)


def _uses_variables(node: FieldNode) -> bool:
    return _contains("variable", *(node.arguments or ()))


def _bare_variable_arguments(field_def: GraphQLField, node: FieldNode) -> tuple[tuple[str, str], ...] | None:
    given = {argument.name.value: argument.value for argument in node.arguments or ()}
    pairs = []
    for name, argument in field_def.args.items():
        value = given.get(name)
        if value is None:
            if argument.default_value is not Undefined:
                return None  # graphql-core fills the default in
            continue
        if not isinstance(value, VariableNode):
            return None
        pairs.append((argument.out_name or name, value.name.value))
    return tuple(pairs)


_INTROSPECTIVE_NAMES = frozenset({"locals", "vars", "eval", "exec", "sys"})


def _reads_parameter(function: Any, position: int) -> bool:
    """Whether `function` may read its parameter at `position` (a resolver's `info`): False only for a plain
    function whose code never names it (no local read or write, no closure capturing it, no frame introspection).
    Whatever is not certain counts as read. A bound method (graphene's `is_type_of` classmethods) is its function
    with the bound object first."""
    if isinstance(function, MethodType):
        function, position = function.__func__, position + 1
    if not isinstance(function, FunctionType):
        return True
    code = function.__code__
    if code.co_argcount <= position or code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        return True
    name = code.co_varnames[position]
    if name in code.co_cellvars or _INTROSPECTIVE_NAMES & set(code.co_names):
        return True
    for instruction in dis.get_instructions(code):
        argument = instruction.argval
        if argument == name or (isinstance(argument, tuple) and name in argument):
            return True
    return False
