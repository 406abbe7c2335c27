"""Relay connections over ordered lists held in memory (browsing's read model, store/browse_model.py): opaque
offset cursors, a hard cap on `first` and `last`, and a `totalCount` that walks a filtered list to its end only
when it is asked for. Root lists and nested lists (an object's statuses, accreditations, ...) are paged alike.

Root connections also page backwards (`last`/`before`, graphql-relay's semantics): `last` without `before` counts
the list once to find its end. Nested connections keep `first`/`after`."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Sequence

import graphene
from graphene import relay
from graphql import GraphQLError

MAX_PAGE = 100
DEFAULT_PAGE = 20
_PREFIX = "offset:"


@lru_cache(maxsize=8192)
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

    # (the description predates browsing from memory; kept, so the schema does not change: the change feed's
    # totalCount is still one query)
    total_count = graphene.Int(required=True, description="All items matching the filters (one extra query).")

    @staticmethod
    def resolve_total_count(parent, info):
        return parent.count()


# What a connection, its edges and its page info are made of: plain objects whose attributes the connection types'
# fields read (they resolve by attribute and check no type), built by the thousand when lists nest. graphene's
# own ObjectType instances cost several times more to make.
class Edge:
    __slots__ = ("node", "cursor")

    def __init__(self, node: Any, cursor: str):
        self.node = node
        self.cursor = cursor


class PageInfo:
    __slots__ = ("start_cursor", "end_cursor", "has_previous_page", "has_next_page")

    def __init__(self, start_cursor: str | None, end_cursor: str | None, has_previous_page: bool, has_next_page: bool):
        self.start_cursor = start_cursor
        self.end_cursor = end_cursor
        self.has_previous_page = has_previous_page
        self.has_next_page = has_next_page


class Page:
    """A connection's value: its edges, page info, and how to count every item (`totalCount`)."""

    __slots__ = ("edges", "page_info", "count")

    def __init__(self, edges: list[Any], page_info: PageInfo, count: Callable[[], int]):
        self.edges = edges
        self.page_info = page_info
        self.count = count


def connection(connection_type: type, nodes: list[Any], offset: int, has_next: bool,
               count: Callable[[], int], has_previous: bool | None = None) -> Any:
    edges = [Edge(node, encode_cursor(offset + i)) for i, node in enumerate(nodes)]
    return with_edges(connection_type, edges, offset > 0 if has_previous is None else has_previous, has_next, count)


def with_edges(connection_type: type, edges: list[Any], has_previous: bool, has_next: bool,
               count: Callable[[], int]) -> Any:
    """A page of ``connection_type`` (any connection of the schema: their fields are the same) over ``edges``
    (objects with `node` and `cursor`)."""
    return Page(edges, PageInfo(edges[0].cursor if edges else None, edges[-1].cursor if edges else None,
                                has_previous, has_next), count)


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
    """A connection over an object's own list."""

    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="All items matching the filters.")


def list_connection(connection_type: type, items: Sequence[Any], first: int | None, after: str | None,
                    last: int | None = None, before: str | None = None) -> Any:
    """One page of an ordered list. The page is sliced with one item more (is there a next page?); the list's
    length is asked for only by `totalCount` and by `last` without `before`, so a lazily filtered list
    (store/listing.Selection) is walked only as far as the page needs."""
    if last is None and before is None:  # forwards, as every nested list pages: `offset_window`'s answer, inline
        if first is not None and not 0 <= first <= MAX_PAGE:
            check_size("first", first)
        offset = decode_cursor(after) + 1 if after is not None else 0
        limit = DEFAULT_PAGE if first is None else first
        page = items[offset:offset + limit + 1]
        has_next = len(page) > limit
        edges = [Edge(node, encode_cursor(offset + i)) for i, node in enumerate(page[:limit] if has_next else page)]
        return Page(edges, PageInfo(edges[0].cursor if edges else None, edges[-1].cursor if edges else None,
                                    offset > 0, has_next), lambda: len(items))
    window = offset_window(first, after, last, before, lambda: len(items))
    page = items[window.offset:window.offset + window.limit + 1]
    nodes = list(page[:window.limit])
    has_next = window.more_after(len(page) > window.limit)
    return connection(connection_type, nodes, window.offset, has_next, lambda: len(items), window.has_previous)
