"""Relay connections over the store's pages: opaque offset cursors, a hard cap on `first` and `last`, and a
`totalCount` that costs a query only when it is asked for. Nested lists (an object's statuses, accreditations,
...) are connections too, with the same cursors and cap, paged in memory over what their dataloader loaded.

Root connections also page backwards (`last`/`before`, graphql-relay's semantics): `last` without `before` counts
the list once to find its end. Nested connections keep `first`/`after`."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import graphene
from graphene import relay
from graphql import GraphQLError

MAX_PAGE = 100
DEFAULT_PAGE = 20
_PREFIX = "offset:"


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def invalid_cursor(cursor: Any) -> GraphQLError:
    return GraphQLError(f"{cursor!r} is not a cursor this API gave out", extensions={"code": "INVALID_CURSOR"})


def decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return -1
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if text.startswith(_PREFIX) and text[len(_PREFIX):].isdigit():
            return int(text[len(_PREFIX):])
    except (ValueError, UnicodeDecodeError):
        pass
    raise invalid_cursor(cursor)


def check_size(name: str, value: int | None) -> None:
    if value is not None and (value < 0 or value > MAX_PAGE):
        raise GraphQLError(f"{name} must be between 0 and {MAX_PAGE}", extensions={"code": "INVALID_PAGE_SIZE"})


def check_direction(first: int | None, last: int | None) -> None:
    check_size("first", first)
    check_size("last", last)
    if first is not None and last is not None:
        raise GraphQLError("give first (to page forwards) or last (to page backwards), not both",
                           extensions={"code": "INVALID_PAGE_SIZE"})


def page_window(first: int | None, after: str | None) -> tuple[int, int]:
    check_size("first", first)
    return decode_cursor(after) + 1, DEFAULT_PAGE if first is None else first


@dataclass(frozen=True)
class Window:
    """Which slice of an ordered list a page is: `limit` items from `offset`. `has_previous`/`has_next` are known
    from the arguments when paging backwards; forwards, `has_next` comes from reading one item more."""

    offset: int
    limit: int
    backward: bool = False
    has_previous: bool = False
    has_next: bool = False
    end: int | None = None  # `before`'s offset (exclusive), when given

    def more_after(self, read_one_more: bool) -> bool:
        """hasNextPage: backwards, whether `before` was given; forwards, whether an item beyond the page was
        read and lies inside the window (before `before`)."""
        if self.backward:
            return self.has_next
        return read_one_more and (self.end is None or self.offset + self.limit < self.end)


def offset_window(first: int | None, after: str | None, last: int | None = None, before: str | None = None,
                  total: Callable[[], int] | None = None) -> Window:
    """The window graphql-relay's connection semantics give over an offset-addressed list: `after`/`before` bound
    it, then `first` takes from its start or `last` from its end (the list's length, `total()`, is asked for only
    when `last` comes without `before`)."""
    check_direction(first, last)
    start = decode_cursor(after) + 1
    end = decode_cursor(before) if before is not None else None
    if last is None:
        limit = DEFAULT_PAGE if first is None else first
        if end is not None:
            limit = max(0, min(limit, end - start))
        return Window(start, limit, has_previous=start > 0, end=end)
    if end is None:
        end = total() if total is not None else 0
    offset = max(start, end - last)
    return Window(offset, max(0, end - offset), backward=True, has_previous=offset > start,
                  has_next=before is not None, end=end)


class CountableConnection(relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="All items matching the filters (one extra query).")

    @staticmethod
    def resolve_total_count(parent, info):
        return parent.count()


def connection(connection_type: type, nodes: list[Any], offset: int, has_next: bool,
               count: Callable[[], int], has_previous: bool | None = None) -> Any:
    edges = [connection_type.Edge(node=node, cursor=encode_cursor(offset + i)) for i, node in enumerate(nodes)]
    return with_edges(connection_type, edges, offset > 0 if has_previous is None else has_previous, has_next, count)


def with_edges(connection_type: type, edges: list[Any], has_previous: bool, has_next: bool,
               count: Callable[[], int]) -> Any:
    result = connection_type(
        edges=edges,
        page_info=relay.PageInfo(
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
            has_previous_page=has_previous,
            has_next_page=has_next,
        ),
    )
    result.count = count
    return result


def connection_args(backward: bool = False, **extra) -> dict[str, Any]:
    """`first`/`after`; with `backward`, also `last`/`before` (root connections and the change feed)."""
    args = {"first": graphene.Int(description=f"At most {MAX_PAGE} (default {DEFAULT_PAGE})."),
            "after": graphene.String()}
    if backward:
        args |= {"last": graphene.Int(description=f"The last items (before `before`, else of the whole list); at most "
                                                  f"{MAX_PAGE}. Not together with `first`."),
                 "before": graphene.String()}
    return {**args, **extra}


class NestedConnection(CountableConnection):
    """A connection over an object's own list, already loaded with the object (or by its dataloader)."""

    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="All items matching the filters.")


def list_connection(connection_type: type, items: Sequence[Any], first: int | None, after: str | None,
                    last: int | None = None, before: str | None = None) -> Any:
    """One page of an already-loaded list: the same window, cursors and cap as a root connection, no query."""
    window = offset_window(first, after, last, before, lambda: len(items))
    nodes = list(items[window.offset:window.offset + window.limit])
    has_next = window.more_after(window.offset + window.limit < len(items))
    return connection(connection_type, nodes, window.offset, has_next, lambda: len(items), window.has_previous)
