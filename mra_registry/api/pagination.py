"""Relay connections over the store's pages: opaque offset cursors, a hard cap on `first`, and a
`totalCount` that costs a query only when it is asked for. Nested lists (an object's statuses, accreditations,
...) are connections too, with the same cursors and cap, paged in memory over what their dataloader loaded."""
from __future__ import annotations

import base64
from typing import Any, Callable, Sequence

import graphene
from graphene import relay
from graphql import GraphQLError

MAX_PAGE = 100
DEFAULT_PAGE = 20
_PREFIX = "offset:"


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return -1
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if text.startswith(_PREFIX) and text[len(_PREFIX):].isdigit():
            return int(text[len(_PREFIX):])
    except (ValueError, UnicodeDecodeError):
        pass
    raise GraphQLError(f"{cursor!r} is not a cursor this API gave out", extensions={"code": "INVALID_CURSOR"})


def page_window(first: int | None, after: str | None) -> tuple[int, int]:
    limit = DEFAULT_PAGE if first is None else first
    if limit < 0 or limit > MAX_PAGE:
        raise GraphQLError(f"first must be between 0 and {MAX_PAGE}", extensions={"code": "INVALID_PAGE_SIZE"})
    return decode_cursor(after) + 1, limit


class CountableConnection(relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="All items matching the filters (one extra query).")

    @staticmethod
    def resolve_total_count(parent, info):
        return parent.count()


def connection(connection_type: type, nodes: list[Any], offset: int, has_next: bool,
               count: Callable[[], int]) -> Any:
    edges = [connection_type.Edge(node=node, cursor=encode_cursor(offset + i)) for i, node in enumerate(nodes)]
    result = connection_type(
        edges=edges,
        page_info=relay.PageInfo(
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
            has_previous_page=offset > 0,
            has_next_page=has_next,
        ),
    )
    result.count = count
    return result


def connection_args(**extra) -> dict[str, Any]:
    return {"first": graphene.Int(description=f"At most {MAX_PAGE} (default {DEFAULT_PAGE})."),
            "after": graphene.String(), **extra}


class NestedConnection(CountableConnection):
    """A connection over an object's own list, already loaded with the object (or by its dataloader)."""

    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="All items matching the filters.")


def list_connection(connection_type: type, items: Sequence[Any], first: int | None, after: str | None) -> Any:
    """One page of an already-loaded list: the same window, cursors and cap as a root connection, no query."""
    offset, limit = page_window(first, after)
    return connection(connection_type, list(items[offset:offset + limit]), offset, offset + limit < len(items),
                      lambda: len(items))
