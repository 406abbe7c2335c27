"""One pass over a request's variables that tells whether any of the three per-request walks (lists too long,
api/input_lists.py; control characters, api/text_input.py; bad domain values, api/input_values.py) would refuse
anything. Nearly every request is fine, and those walks build a path for every value they visit: they run only
when this pass answers False, and they alone word the refusals.

The pass is compiled once per operation (a function per variable, from its declared type) and answers exactly
what the three walks would find together, not "maybe": a key outside the declared type, a number where a string
goes, a list where an object goes are walked as those walks walk them."""
from __future__ import annotations

from typing import Any, Callable

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
)
from graphql.language import OperationDefinitionNode

from ..store.lengths import FREE_TEXT, control_character
from .errors import BadInputValue
from .input_lists import batch_variables, variable_list_refusals
from .input_values import (
    BUILT_IN_SCALARS,
    CHECKED_FIELDS,
    any_value_refused,
    declared_type,
    variable_value_refusals,
)
from .text_input import UNCHECKED, variable_text_refusals

Fine = Callable[[Any], bool]  # called with a value that is not None: True when nothing in it is refused

# How the strings under a key are read (api/text_input.py): control characters refused, tab and newline allowed
# (free text), or not read at all (JSON text, checked by the loader), which holds for everything under the key.
STRICT, FREE_TEXT_MODE, UNREAD = 0, 1, 2
_CACHED_OPERATIONS = 1024
_DEEPEST_COMPILED = 16
_ACCEPTED_TEXTS, _ACCEPTED_LENGTH = 4096, 40  # per scalar and text mode: codes and dates, not documents


def text_mode(key: str, outer: int = STRICT) -> int:
    if outer == UNREAD or key in UNCHECKED:
        return UNREAD
    return FREE_TEXT_MODE if key in FREE_TEXT else STRICT


def _text_fine(text: str, mode: int) -> bool:
    # a printable text holds no control character (Cc is never printable): the regular expression is for the rest
    return (mode == UNREAD or text.isprintable()
            or control_character(text, free_text=mode == FREE_TEXT_MODE) is None)


class VariableChecks:
    """The compiled passes of one schema and one list limit, one per operation seen (a bounded cache: documents
    are cached by the transport, so the same operation node comes back request after request)."""

    def __init__(self, schema: GraphQLSchema, list_limit: int) -> None:
        self.schema = schema
        self.limit = list_limit
        self._generic = _generic_walk(list_limit)
        self._named: dict[tuple[int, int], tuple[Any, Fine]] = {}  # (id(named type), mode) -> (it, kept alive; fine)
        self._operations: dict[int, tuple[OperationDefinitionNode, Callable[[Any, dict], bool]]] = {}

    def all_fine(self, document, operation: OperationDefinitionNode, variables: dict[str, Any] | None) -> bool:
        """Whether the three walks would refuse nothing in ``variables``."""
        if not variables:
            return True
        known = self._operations.get(id(operation))
        if known is None or known[0] is not operation:
            if len(self._operations) >= _CACHED_OPERATIONS:
                self._operations.clear()
            known = (operation, self._compile_operation(operation))
            self._operations[id(operation)] = known
        return known[1](document, variables)

    def _compile_operation(self, operation: OperationDefinitionNode) -> Callable[[Any, dict], bool]:
        declared: dict[str, Fine] = {}
        batch_lines: dict[str, Fine] = {}  # a batch's own list may be longer than the limit: its lines are checked
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            type_ = declared_type(self.schema, definition)
            fine = self.compile(type_, text_mode(name))
            if name in declared:  # declared twice (never valid): both types are walked, as the values walk does
                declared[name] = _both(declared[name], fine)
                batch_lines.pop(name, None)
                continue
            declared[name] = fine
            listed = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
            if isinstance(listed, GraphQLList):
                batch_lines[name] = self.compile(listed.of_type, text_mode(name))
        generic, limit = self._generic, self.limit
        batches: list[set[str]] = []  # found on the first long list: a document walk most requests never need

        def all_fine(document, variables: dict) -> bool:
            for name, value in variables.items():
                if value is None:
                    continue
                if isinstance(value, list) and len(value) > limit:
                    if not batches:
                        batches.append(batch_variables(operation))
                    if name not in batches[0]:
                        return False
                    lines = batch_lines.get(name)
                    if lines is None:  # a batch not declared as a list (never valid): the walks themselves answer
                        return self._walks_fine(document, operation, variables)
                    if not all(line is None or lines(line) for line in value):
                        return False
                    continue
                fine = declared.get(name)
                if not (generic(value, text_mode(name)) if fine is None else fine(value)):
                    return False
            return True
        return all_fine

    def _walks_fine(self, document, operation: OperationDefinitionNode, variables: dict[str, Any]) -> bool:
        return not (variable_list_refusals(operation, variables, self.limit)
                    or variable_text_refusals(operation, variables)
                    or variable_value_refusals(self.schema, document, operation, variables))

    def compile(self, type_, mode: int, check: Callable[[Any], Any] | None = None, depth: int = 0) -> Fine:
        """Whether a (non-null) value sent where ``type_`` goes, under a key read with ``mode``, is fine."""
        generic = self._generic
        if check is not None:
            return _scalar(check, mode, generic)
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if type_ is None:
            return _text(mode, generic)
        if isinstance(type_, GraphQLList):
            return _list(self.compile(type_.of_type, mode, None, depth + 1), self.limit)
        known = self._named.get((id(type_), mode))
        if known is not None and known[0] is type_:
            return known[1]
        if depth > _DEEPEST_COMPILED:  # an input type nested this deep (or referring to itself): walked, not compiled
            return lambda value: generic(value, mode) and not any_value_refused(value, type_)
        if isinstance(type_, GraphQLInputObjectType):
            fields = {name: self.compile(field.type, text_mode(name, mode), CHECKED_FIELDS.get((type_.name, name)),
                                         depth + 1)
                      for name, field in type_.fields.items()}
            fine = _object(fields, mode, generic)
        elif isinstance(type_, GraphQLEnumType):
            names = type_.values  # enum names are printable: no text to check in one
            fine = lambda value: isinstance(value, str) and value in names  # noqa: E731
            fine.fast = ("type({v}) is str and {v} in names_{i}", {"names": names})  # type: ignore[attr-defined]
        elif isinstance(type_, GraphQLScalarType) and type_.name not in BUILT_IN_SCALARS:
            fine = _scalar(type_.parse_value, mode, generic)
        else:  # a built-in scalar never refuses with a reason: graphql-core words its own refusals
            fine = _text(mode, generic)
        self._named[(id(type_), mode)] = (type_, fine)
        return fine


def _generic_walk(limit: int) -> Callable[[Any, int], bool]:
    """Lists and texts, whatever the type (what is not declared is walked by the list and text walks alone)."""
    def generic(value: Any, mode: int) -> bool:
        if isinstance(value, str):
            return _text_fine(value, mode)
        if isinstance(value, list):
            if len(value) > limit:
                return False
            for item in value:
                if item is not None and not generic(item, mode):
                    return False
        elif isinstance(value, dict):
            for key, item in value.items():
                if item is not None and not generic(item, text_mode(str(key), mode)):
                    return False
        return True
    return generic


def _text(mode: int, generic: Callable[[Any, int], bool]) -> Fine:
    """A built-in scalar (or an undeclared type): nothing but its text, or whatever was sent in its place."""
    read, free_text = mode != UNREAD, mode == FREE_TEXT_MODE

    def fine(value: Any) -> bool:
        if isinstance(value, str):
            return not read or value.isprintable() or control_character(value, free_text=free_text) is None
        return generic(value, mode)
    # what makes a value fine at once, for an input type's check to test inline (`_object`): a plain text, or a
    # number or a boolean (the walks read neither)
    fine.fast = (("type({v}) is str and {v}.isprintable()" if read else "type({v}) is str")  # type: ignore[attr-defined]
                 + " or type({v}) in PLAIN_SCALARS", {})
    return fine


def _scalar(parse: Callable[[Any], Any], mode: int, generic: Callable[[Any, int], bool]) -> Fine:
    """A domain scalar, or a String checked as one (hsCode): its text, then its parser."""
    read, free_text = mode != UNREAD, mode == FREE_TEXT_MODE
    # The same few codes and dates come request after request: a set look-up is cheaper than parsing them again
    # (the domain scalars' parsers depend on nothing but the text)
    accepted: set[str] = set()

    def fine(value: Any) -> bool:
        if isinstance(value, str):
            if value in accepted:
                return True
            if read and not value.isprintable() and control_character(value, free_text=free_text) is not None:
                return False
        elif not generic(value, mode):
            return False
        try:
            parse(value)
        except BadInputValue:
            return False
        except (GraphQLError, TypeError, ValueError):
            return True  # graphql-core's coercion words this refusal, not the values walk
        if isinstance(value, str) and len(value) <= _ACCEPTED_LENGTH:
            if len(accepted) >= _ACCEPTED_TEXTS:
                accepted.clear()
            accepted.add(value)
        return True
    fine.accepted = accepted  # type: ignore[attr-defined]  # input types' checks read it inline (_object)
    return fine


def _list(item: Fine, limit: int) -> Fine:
    def fine(value: Any) -> bool:
        if not isinstance(value, list):
            return item(value)  # one item given where a list goes: it is read as the list of it
        if len(value) > limit:
            return False
        for element in value:
            if element is not None and not item(element):
                return False
        return True
    fine.items, fine.limit = item, limit  # type: ignore[attr-defined]  # an input type's check walks it inline
    return fine


def _object(fields: dict[str, Fine], mode: int, generic: Callable[[Any, int], bool]) -> Fine:
    """One generated function per input type and mode: each declared field's check written out in turn, in place of a
    loop over the value's keys; what accepts a field's value at once is tested inline before its check is called (a
    domain scalar's accepted texts, a plain text, a number or boolean, an enum's name; a list of such items walked
    item by item, as `_list` walks it). A value with a key the type does not declare is walked by that loop
    (`_object_walk`)."""
    namespace: dict[str, Any] = {"generic": generic, "mode": mode, "isinstance": isinstance, "dict": dict,
                                 "type": type, "str": str, "list": list, "len": len, "known": frozenset(fields),
                                 "walk": _object_walk(fields, mode, generic), "PLAIN_SCALARS": _PLAIN_SCALARS}
    lines = ["def fine(value):",
             "    if not isinstance(value, dict):",
             "        return generic(value, mode)",
             "    if not known.issuperset(value):",
             "        return walk(value)"]
    for index, (name, field) in enumerate(fields.items()):
        namespace[f"name_{index}"], namespace[f"field_{index}"] = name, field
        lines.append(f"    item = value.get(name_{index})")
        items = getattr(field, "items", None)
        item_fast = _fast_accept(items, "element", f"{index}_item", namespace) if items is not None else None
        if item_fast is not None:  # a list of texts, say: its items tested inline, each as `_list` tests it
            namespace[f"items_{index}"], namespace[f"limit_{index}"] = items, field.limit
            lines += ["    if item is not None:",
                      f"        if type(item) is list and len(item) <= limit_{index}:",
                      "            for element in item:",
                      f"                if element is not None and not ({item_fast}) and not items_{index}(element):",
                      "                    return False",
                      f"        elif not field_{index}(item):",
                      "            return False"]
            continue
        fast = _fast_accept(field, "item", str(index), namespace)
        if fast is not None:
            lines.append(f"    if item is not None and not ({fast}) and not field_{index}(item):")
        else:
            lines.append(f"    if item is not None and not field_{index}(item):")
        lines.append("        return False")
    lines.append("    return True")
    exec(compile("\n".join(lines), "<variable checks of an input type>", "exec"), namespace)
    return namespace["fine"]


_PLAIN_SCALARS = frozenset({bool, int, float})  # what the text and list walks never refuse


def _fast_accept(field: Fine, value: str, suffix: str, namespace: dict[str, Any]) -> str | None:
    """The expression, in terms of `value`, that accepts at once what `field` accepts (a domain scalar's accepted
    texts, a plain text, an enum's name), its names put in `namespace`; None when the check has no such expression.
    It may say False of a fine value: `field` itself is asked then."""
    accepted = getattr(field, "accepted", None)
    if accepted is not None:
        namespace[f"accepted_{suffix}"] = accepted
        return f"type({value}) is str and {value} in accepted_{suffix}"
    fast = getattr(field, "fast", None)
    if fast is None:
        return None
    template, names = fast
    for name, bound in names.items():
        namespace[f"{name}_{suffix}"] = bound
    return "(" + template.format(v=value, i=suffix) + ")"


def _object_walk(fields: dict[str, Fine], mode: int, generic: Callable[[Any, int], bool]) -> Fine:
    def fine(value: Any) -> bool:
        if not isinstance(value, dict):
            return generic(value, mode)
        for key, item in value.items():
            if item is None:
                continue
            field = fields.get(key)
            if field is None:
                if not generic(item, text_mode(str(key), mode)):
                    return False
            elif not field(item):
                return False
        return True
    return fine


def _both(first: Fine, second: Fine) -> Fine:
    return lambda value: first(value) and second(value)
