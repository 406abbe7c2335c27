"""Dated intervals: every fact that can change holds from ``valid_from`` to ``valid_to``, both inclusive.

An absent bound is open (the start is unknown or the fact still holds). A newer event for the same key ends
the older one the day before; ``IntervalIndex`` answers "which holds on day D" with a bisect.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Generic, Iterable, Protocol, Sequence, TypeVar

ONE_DAY = timedelta(days=1)


class Dated(Protocol):
    @property
    def valid_from(self) -> date | None: ...

    @property
    def valid_to(self) -> date | None: ...


def holds_on(item: Dated, day: date) -> bool:
    """True when ``day`` lies inside the item's inclusive interval."""
    return (item.valid_from is None or item.valid_from <= day) and (item.valid_to is None or day <= item.valid_to)


def overlaps(a: Dated, b: Dated) -> bool:
    a_from, b_from = a.valid_from or date.min, b.valid_from or date.min
    a_to, b_to = a.valid_to or date.max, b.valid_to or date.max
    return a_from <= b_to and b_from <= a_to


T = TypeVar("T", bound=Dated)


def _own_start(item: Dated) -> date:
    return item.valid_from or date.min


@dataclass(frozen=True, slots=True)
class IntervalIndex(Generic[T]):
    """Non-overlapping intervals of one key, sorted by start: an as-of look-up is one bisect."""

    starts: tuple[date, ...]
    items: tuple[T, ...]

    @classmethod
    def build(cls, items: Iterable[T], start: Callable[[T], date] | None = None) -> "IntervalIndex[T]":
        """``start`` gives the day an item holds from when that is not simply its ``valid_from`` (a status
        with no known start holds from its arrangement's activity start, not from the beginning of time)."""
        start = start or _own_start
        ordered = sorted(items, key=start)
        return cls(tuple(start(item) for item in ordered), tuple(ordered))

    def at(self, day: date) -> T | None:
        position = bisect.bisect_right(self.starts, day) - 1
        if position < 0:
            return None
        item = self.items[position]
        return item if item.valid_to is None or day <= item.valid_to else None

    def end_on(self, day: date) -> date | None:
        """The last day the item holding on ``day`` holds: its own ``valid_to``, or the day before the next
        event for the key when that comes first (a newer event ends the older one the day before)."""
        position = bisect.bisect_right(self.starts, day) - 1
        if position < 0:
            return None
        end = self.items[position].valid_to
        if position + 1 < len(self.starts):
            cut = self.starts[position + 1] - ONE_DAY
            end = cut if end is None or cut < end else end
        return end

    def start_on(self, day: date) -> date | None:
        """The day the item holding on ``day`` holds from (None when it has no known start)."""
        position = bisect.bisect_right(self.starts, day) - 1
        if position < 0:
            return None
        start = self.starts[position]
        return None if start == date.min else start

    def held_on(self, day: date) -> tuple[T, date | None, date | None] | None:
        """``at``, ``start_on`` and ``end_on`` in one bisect: the item holding on ``day``, the day it holds from
        (None when unknown) and its last day; None when no item holds then."""
        starts = self.starts
        position = bisect.bisect_right(starts, day) - 1
        if position < 0:
            return None
        item = self.items[position]
        end = item.valid_to
        if end is not None and day > end:
            return None
        if position + 1 < len(starts):
            cut = starts[position + 1] - ONE_DAY
            if end is None or cut < end:
                end = cut
        start = starts[position]
        return item, (None if start == date.min else start), end

    def first_start_on_or_after(self, day: date) -> date | None:
        position = bisect.bisect_left(self.starts, day)
        return self.starts[position] if position < len(self.starts) else None

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)


def any_overlap(items: Sequence[Dated]) -> tuple[int, int] | None:
    """Indices of the first two overlapping intervals (in input order), or None."""
    ordered = sorted(range(len(items)), key=lambda i: items[i].valid_from or date.min)
    for left, right in zip(ordered, ordered[1:]):
        if overlaps(items[left], items[right]):
            return (min(left, right), max(left, right))
    return None


def any_conflict(history: Sequence[Dated]) -> tuple[int, int] | None:
    """Indices of the first two records of one key's history that cannot both stand (in input order), or None.

    A history is a sequence of events: a record left open is ended by the next one the day before it starts
    (RULES.md, Dates), so only two records starting on the same day, or a record whose own ``to`` reaches
    into the next one, conflict."""
    ordered = sorted(range(len(history)), key=lambda i: history[i].valid_from or date.min)
    for left, right in zip(ordered, ordered[1:]):
        earlier, later = history[left], history[right]
        same_start = (earlier.valid_from or date.min) == (later.valid_from or date.min)
        reaches_into = earlier.valid_to is not None and later.valid_from is not None and earlier.valid_to >= later.valid_from
        if same_start or reaches_into:
            return (min(left, right), max(left, right))
    return None
