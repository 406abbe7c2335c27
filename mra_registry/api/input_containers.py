"""Input objects built with two dict updates instead of graphene's field-by-field `setattr`.

graphene gives each input object type a container class (a dict whose fields are also attributes) and builds it
with one `setattr` per declared field; a clearance request builds two per request, a declaration two per line.
`install(schema)` gives such types a builder that makes the very same object (the same class, the same dict
items, the same attributes, unset fields at graphene's default) with two `dict.update` calls. A type whose
container graphene does not build plainly (its own `__init__`, a descriptor named like a field) keeps graphene's."""
from __future__ import annotations

from typing import Any, Callable

from graphene.types import inputobjecttype
from graphql import GraphQLInputObjectType, GraphQLSchema


def install(schema: GraphQLSchema) -> int:
    """Replaces the out_type of every plainly built graphene input type; returns how many it replaced."""
    replaced = 0
    for type_ in schema.type_map.values():
        if isinstance(type_, GraphQLInputObjectType):
            builder = _builder(type_.out_type)
            if builder is not None:
                type_.out_type = builder
                replaced += 1
    return replaced


def _builder(container: Any) -> Callable[[dict], Any] | None:
    plain = inputobjecttype.InputObjectTypeContainer
    if not (isinstance(container, type) and issubclass(container, plain) and container.__init__ is plain.__init__):
        return None
    names = tuple(container._meta.fields)
    if any(hasattr(getattr(container, name, None), "__set__") for name in names):
        return None  # a property or other data descriptor: setattr would not store in the instance dict
    # Read when the builder is made, as graphene reads it when a value is built: set once at start-up, if ever.
    unset = dict.fromkeys(names, inputobjecttype._INPUT_OBJECT_TYPE_DEFAULT_VALUE)
    known = frozenset(names)
    new, update = dict.__new__, dict.update

    def build(values: dict) -> Any:
        made = new(container)
        update(made, values)
        attributes = made.__dict__
        attributes.update(unset)
        if known.issuperset(values):
            attributes.update(values)
        else:  # graphene sets only declared fields as attributes
            attributes.update((key, value) for key, value in values.items() if key in known)
        return made

    build.__name__ = f"build_{container.__name__}"
    return build
