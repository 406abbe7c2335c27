"""HS codes: the shape of a consignment's code and what a list of HS prefixes covers.

A consignment's code has 6 to 10 digits (national tariff lines extend the 6-digit HS subheading). A list of
prefixes covers a code when one prefix starts it and no excluded prefix does. An empty prefix list covers
nothing for a policy, a sector or an SPS agreement, but everything for a scope item (management-system and
persons certification are not product-specific): callers say which with ``empty_covers_all``.
"""
from __future__ import annotations

import re

MIN_DIGITS = 6
MAX_DIGITS = 10
_HS_CODE = re.compile(r"[0-9]{6,10}")  # ASCII digits only: str.isdigit() would accept "²"


def is_hs_code(code: object) -> bool:
    return isinstance(code, str) and _HS_CODE.fullmatch(code) is not None


def covers(
    prefixes: tuple[str, ...], excluded: tuple[str, ...], code: str, *, empty_covers_all: bool = False
) -> bool:
    """True when ``code`` starts with one of ``prefixes`` (or ``prefixes`` is empty and ``empty_covers_all``)
    and with none of ``excluded``. Both must be tuples: ``str.startswith`` tests a tuple in one C call."""
    if prefixes:
        if not code.startswith(prefixes):
            return False
    elif not empty_covers_all:
        return False
    return not (excluded and code.startswith(excluded))


def longest_match(prefixes: tuple[str, ...], excluded: tuple[str, ...], code: str) -> int:
    """Length of the longest prefix in ``prefixes`` that starts ``code``; 0 when the list does not cover it."""
    if excluded and code.startswith(excluded):
        return 0
    return max((len(p) for p in prefixes if code.startswith(p)), default=0)


def prefixes_longest_first(code: str) -> tuple[str, ...]:
    """Every prefix of ``code`` an HS prefix list may hold (2 digits up to the whole code), longest first."""
    return tuple(code[:length] for length in range(len(code), 1, -1))
