"""Indexed, lazily filtered lists of a read model's items (store/browse_model.py): one kind's items in code order,
by code, grouped by the values its root list filters on, and a filter applied only as far as a page needs."""
from __future__ import annotations

from collections import defaultdict
from operator import attrgetter
from typing import Callable, Generic, Hashable, Iterable, Sequence, TypeVar

T = TypeVar("T")
_code = attrgetter("code")


class Selection(Sequence[T]):
    """The items of a code-ordered tuple that a filter keeps, found only as far as they are asked for: a page
    walks the source up to its last item (and one more), its length (totalCount, or paging back from the end)
    walks the rest once."""

    __slots__ = ("_source", "_keep", "_found", "_next")

    def __init__(self, source: Sequence[T], keep: Callable[[T], bool]):
        self._source = source
        self._keep = keep
        self._found: list[T] = []
        self._next = 0

    def _fill(self, wanted: int | None) -> None:
        source, keep, found = self._source, self._keep, self._found
        position, end = self._next, len(source)
        while position < end and (wanted is None or len(found) < wanted):
            item = source[position]
            position += 1
            if keep(item):
                found.append(item)
        self._next = position

    def __len__(self) -> int:
        self._fill(None)
        return len(self._found)

    def __getitem__(self, index):
        if isinstance(index, slice):
            bounded = index.step in (None, 1) and (index.start or 0) >= 0 and index.stop is not None and index.stop >= 0
            self._fill(index.stop if bounded else None)
        else:
            self._fill(index + 1 if index >= 0 else None)
        return self._found[index]


def all_of(*checks: Callable[[T], bool] | None) -> Callable[[T], bool] | None:
    kept = [check for check in checks if check is not None]
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    return lambda item: all(check(item) for check in kept)


class Listing(Generic[T]):
    """One kind's items in code order, by code, and grouped by the values its root list filters on (each group
    in code order too): ``by`` maps an index name to the one value an item has (its economy), ``by_any`` to the
    values it has (the bodies it is accredited by)."""

    __slots__ = ("items", "by_code", "_indexes")

    def __init__(self, items: Iterable[T], by: dict[str, Callable[[T], Hashable]] | None = None,
                 by_any: dict[str, Callable[[T], Iterable[Hashable]]] | None = None):
        self.items: tuple[T, ...] = tuple(sorted(items, key=_code))
        self.by_code: dict[str, T] = {item.code: item for item in self.items}
        # name -> (does an item have that value?, the groups by value)
        self._indexes: dict[str, tuple[Callable[[T, Hashable], bool], dict[Hashable, tuple[T, ...]]]] = {}
        for name, value_of in (by or {}).items():
            grouped: dict[Hashable, list[T]] = defaultdict(list)
            for item in self.items:
                grouped[value_of(item)].append(item)
            self._indexes[name] = (lambda item, value, value_of=value_of: value_of(item) == value,
                                   {value: tuple(group) for value, group in grouped.items()})
        for name, values_of in (by_any or {}).items():
            grouped = defaultdict(list)
            for item in self.items:
                for value in set(values_of(item)):
                    grouped[value].append(item)
            self._indexes[name] = (lambda item, value, values_of=values_of: value in values_of(item),
                                   {value: tuple(group) for value, group in grouped.items()})

    def get(self, code: str) -> T | None:
        return self.by_code.get(code)

    def select(self, keep: Callable[[T], bool] | None = None, **indexed: Hashable) -> Sequence[T]:
        """The items, in code order, in every index group named (``indexed``: index name -> value; None: not
        filtered on) that ``keep`` keeps. The narrowest group is walked; the other groups are checked per item."""
        wanted = [(name, value) for name, value in indexed.items() if value is not None]
        if not wanted:
            return self.items if keep is None else Selection(self.items, keep)
        groups = [(self._indexes[name][1].get(value, ()), name, value) for name, value in wanted]
        candidates, narrowest, _ = min(groups, key=lambda group: len(group[0]))
        checks = [keep] + [(lambda item, has=self._indexes[name][0], value=value: has(item, value))
                           for _, name, value in groups if name != narrowest]
        keep_all = all_of(*checks)
        return candidates if keep_all is None else Selection(candidates, keep_all)
