"""Compiles the execution of one selection set of a query plan into a Python function, once per document.

The plan's generic loop paid, for every field of every object, a walk over the field's plan attributes and a
branch per kind of field; a decision's answer has a hundred fields or so, most of them read straight off an
attribute. Generated code does for each field exactly the steps that field needs, with its constants (the
response key, the attribute, the resolver, the arguments, the completer) bound as names of the function's
namespace, never written into the source: the source holds only generated identifiers.

Semantics are the loop's (web/planned_execution.py), field by field: graphene's default resolver read
directly (an object's attribute fields all at once, ahead of the other fields), a resolver called with the field's
ResolveInfo, arguments from the variables when they use any, the awaitable check (skipped for a leaf value that
is its own serialisation or was serialised before), then the completer; anything unexpected raises `hand_back` for
graphql-core. The object's answer is built at the end, with one dict display in the selection's order.
"""
from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable, Sequence

from graphql import GraphQLError, Undefined
from graphql.execution.values import get_argument_values

Executor = Callable[[Any, Any], dict]
INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1  # GraphQL's Int: 32 bits


def pass_variables(variables: dict, pairs: tuple[tuple[str, str], ...]) -> dict | None:
    """A field's arguments taken straight from the request's coerced variables ((argument, variable) pairs), or None
    when one of them is absent or null (graphql-core's get_argument_values then decides)."""
    arguments = {}
    for argument, variable in pairs:
        value = variables.get(variable)
        if value is None:
            return None
        arguments[argument] = value
    return arguments


def _read_attributes_at_once(read: Sequence[int], fields: Sequence[Any], namespace: dict[str, Any]) -> list[str]:
    """The lines reading every attribute field of a selection set (graphene's default resolver) into `read_<index>`:
    an object's with one `attrgetter` call, in place of a `getattr` per field; a dict's, or an object's once an
    object met by this executor lacked one of them (a miss costs an exception; the executor lives as long as its
    cached document), field by field with the field's default, as graphene reads them. A read failing otherwise
    (a property raising) hands the request back to graphql-core, which reports it as that field's error. Reading
    the attributes before the resolvers of earlier fields assumes, as graphene's own types do, that reading an
    attribute changes nothing."""
    namespace["read_all"] = attrgetter(*(fields[index].attribute for index in read))
    namespace["at_once"] = [True]  # emptied on the first object that lacks an attribute
    one_by_one = []
    for index in read:
        namespace[f"attribute_{index}"], namespace[f"default_{index}"] = fields[index].attribute, fields[index].default
        one_by_one.append(f"read_{index} = getattr(parent, attribute_{index}, default_{index})")
    targets = ", ".join(f"read_{index}" for index in read)
    return [
        "    try:",
        "        if isinstance(parent, dict):",
        *(f"            read_{index} = parent.get(attribute_{index}, default_{index})" for index in read),
        "        elif at_once:",
        "            try:",
        f"                {targets} = read_all(parent)",
        "            except AttributeError:",
        "                at_once.clear()",
        *(f"                {line}" for line in one_by_one),
        "        else:",
        *(f"            {line}" for line in one_by_one),
        "    except Exception:",
        "        raise HandBack from None",
    ]


def compile_executor(fields: Sequence[Any], *, hand_back: type[Exception], never_awaitable: set,
                     awaitable: Callable[[Any, Any], None]) -> Executor:
    """`fields`: the plan's field plans of one selection set; `awaitable(value, run)` raises `hand_back` after
    disabling the plan (a dataloader's awaitable), `never_awaitable` the types whose values skip that check."""
    namespace: dict[str, Any] = {
        "HandBack": hand_back, "NEVER_AWAITABLE": never_awaitable, "awaitable": awaitable,
        "GraphQLError": GraphQLError, "get_argument_values": get_argument_values, "isinstance": isinstance,
        "getattr": getattr, "type": type, "dict": dict, "pass_variables": pass_variables,
        "NOT_FOUND": Undefined,  # never a remembered serialisation: a completer refuses it
        "INT_MIN": INT_MIN, "INT_MAX": INT_MAX, "refuse_null": _refuser(hand_back),
    }
    lines = ["def execute(parent, run):"]
    read = [index for index, plan in enumerate(fields) if plan.field_def is not None and plan.attribute is not None]
    if len(read) > 1:
        lines += _read_attributes_at_once(read, fields, namespace)
    elif read:
        lines.append("    is_dict = isinstance(parent, dict)")
    for index, plan in enumerate(fields):
        key = f"key_{index}"
        namespace[key] = plan.key
        if plan.field_def is None:  # __typename
            namespace[f"typename_{index}"] = plan.parent_type.name
            lines.append(f"    out_{index} = typename_{index}")
            continue
        if plan.attribute is not None:
            if len(read) > 1:
                lines.append(f"    value = read_{index}")
            else:
                namespace[f"attribute_{index}"], namespace[f"default_{index}"] = plan.attribute, plan.default
                lines += ["    try:",
                          f"        value = parent.get(attribute_{index}, default_{index}) if is_dict "
                          f"else getattr(parent, attribute_{index}, default_{index})",
                          "    except Exception:",  # a property raising: graphql-core reports the field's error
                          "        raise HandBack from None"]
        else:
            namespace[f"resolve_{index}"], namespace[f"plan_{index}"] = plan.resolve, plan
            info = f"run.info(plan_{index})" if plan.reads_info else "None"  # a resolver that never reads it
            if plan.constant_args is None:
                namespace[f"field_{index}"], namespace[f"node_{index}"] = plan.field_def, plan.nodes[0]
                general = [
                    "try:",
                    f"    arguments = get_argument_values(field_{index}, node_{index}, run.variables)",
                    "except GraphQLError:",
                    "    raise HandBack from None",
                ]
                if plan.variable_args:  # bare variables: passed as they are when each has a value
                    namespace[f"variable_args_{index}"] = plan.variable_args
                    lines += [f"    arguments = pass_variables(run.variables, variable_args_{index})",
                              "    if arguments is None:", *(f"        {line}" for line in general)]
                else:
                    lines += [f"    {line}" for line in general]
                lines += ["    try:", f"        value = resolve_{index}(parent, {info}, **arguments)"]
            elif plan.constant_args:
                namespace[f"arguments_{index}"] = plan.constant_args
                lines += ["    try:", f"        value = resolve_{index}(parent, {info}, **arguments_{index})"]
            else:
                lines += ["    try:", f"        value = resolve_{index}(parent, {info})"]
            lines += ["    except Exception:", "        raise HandBack from None"]
        lines += _completion(index, plan, namespace)
    # one dict display, in the selection's order: cheaper than a store per field into a dict built empty
    lines.append("    return {" + ", ".join(f"key_{index}: out_{index}" for index in range(len(fields))) + "}")
    exec(compile("\n".join(lines), f"<plan of {fields[0].parent_type.name if fields else 'nothing'}>", "exec"),
         namespace)
    return namespace["execute"]


def _completion(index: int, plan: Any, namespace: dict[str, Any]) -> list[str]:
    """The lines completing `value` into `out_<index>`. A leaf value that is its own serialisation (a string, an Int
    within 32 bits, a null where null may go) or whose serialisation is remembered is taken before the awaitable
    check: values of those types are never awaitable, and a remembered one was checked when it was first met (a
    memo holds only an enum's values and exact dates)."""
    namespace[f"complete_{index}"] = plan.complete
    checked = ["if type(value) not in NEVER_AWAITABLE:", "    awaitable(value, run)"]
    none_is_done = " or value is None" if plan.nullable_leaf else ""  # a null leaf needs no completion
    taken_as_is = None
    if plan.as_is is not None:  # a leaf whose values of one Python type are their own serialisation
        namespace[f"as_is_{index}"] = plan.as_is
        taken_as_is = f"type(value) is as_is_{index}{none_is_done}"
    elif plan.int_leaf:
        taken_as_is = f"(type(value) is int and INT_MIN <= value <= INT_MAX){none_is_done}"
    if taken_as_is is not None:
        return [f"    if {taken_as_is}:", f"        out_{index} = value", "    else:",
                *(f"        {line}" for line in checked), f"        out_{index} = complete_{index}(value, run)"]
    objects = _objects_inline(index, plan.complete, checked, namespace)
    if objects is not None:
        return objects
    if plan.leaf_memo is not None:  # its serialisation as remembered, else the completer's
        namespace[f"memo_{index}"] = plan.leaf_memo
        remembered = ["try:",
                      f"    out_{index} = memo_{index}.get((type(value), value), NOT_FOUND)",
                      "except Exception:  # unhashable (a __hash__ may raise anything): the completer serialises it",
                      f"    out_{index} = NOT_FOUND",
                      f"if out_{index} is NOT_FOUND:",
                      *(f"    {line}" for line in checked), f"    out_{index} = complete_{index}(value, run)"]
        if plan.nullable_leaf:  # a null is never remembered: it is its own completion
            return ["    if value is None:", f"        out_{index} = None", "    else:",
                    *(f"        {line}" for line in remembered)]
        return [f"    {line}" for line in remembered]
    if none_is_done:
        return [*(f"    {line}" for line in checked),
                f"    out_{index} = None if value is None else complete_{index}(value, run)"]
    return [*(f"    {line}" for line in checked), f"    out_{index} = complete_{index}(value, run)"]


def _objects_inline(index: int, complete: Any, checked: list[str], namespace: dict[str, Any]) -> list[str] | None:
    """For an object (without a type check of its own), a list of them or a list of leaves that are their own
    serialisation: the lines completing it inline, as its completer would (a null where the schema says non-null
    hands back; a list that is not a list or a tuple goes to the completer): one call per object or list fewer.
    None for any other field."""
    executor = getattr(complete, "executor", None)
    if executor is not None:
        namespace[f"execute_{index}"] = executor
        return ["    if value is None:",
                "        raise HandBack" if complete.non_null else f"        out_{index} = None",
                "    else:", *(f"        {line}" for line in checked),
                f"        out_{index} = execute_{index}(value, run)"]
    items = getattr(complete, "items", None)
    executor = getattr(items, "executor", None)
    if executor is not None:
        namespace[f"execute_{index}"] = executor
        item = (f"execute_{index}(element, run) if element is not None else refuse_null()" if items.non_null
                else f"None if element is None else execute_{index}(element, run)")
    elif getattr(complete, "items_as_is", None) is not None:  # leaves that are their own serialisation (texts)
        namespace[f"item_as_is_{index}"], namespace[f"complete_item_{index}"] = complete.items_as_is, items
        item = f"element if type(element) is item_as_is_{index} else complete_item_{index}(element, run)"
    else:
        return None
    return ["    if type(value) is list or type(value) is tuple:",
            f"        out_{index} = [{item} for element in value]",
            "    else:", *(f"        {line}" for line in checked),
            f"        out_{index} = complete_{index}(value, run)"]


def _refuser(hand_back: type[Exception]) -> Callable[[], Any]:
    def refuse_null() -> Any:
        """A null where the schema says non-null: graphql-core reports it, and propagates it."""
        raise hand_back
    return refuse_null
