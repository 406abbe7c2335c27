"""Method and scheme identifiers (``ISO 11290-1``, ``BS EN ISO 6579-1:2017``, ``ISO 9001``) and when two match.

RULES.md: two identifiers match when they are equal ignoring case, spacing and a leading national or European
adoption prefix; an edition (``:2017``) must match only when both sides state one.

Adoption prefixes are generalised rather than listed, because every standards body in Europe has one:
- a national prefix (two to six letters, dotted or not, e.g. ``BS``, ``NF``, ``DIN``, ``ÖNORM``, ``I.S.``,
  ``AS/NZS``) before ``EN`` is dropped, so ``BS EN 300 328`` and ``SS-EN 300 328`` read ``EN 300 328``: an EN
  that is not an adoption of an international standard keeps its ``EN`` (it is the standard's own name);
- ``EN`` or a national prefix before ``ISO``/``IEC`` is dropped, so ``EN ISO 11290-1``, ``NEN-EN-ISO 11290-1``
  and ``BS ISO 11290-1`` all read ``ISO 11290-1``.

``method_key`` is cached: a registry repeats the same few thousand identifiers across a million scope items,
and the snapshot normalises each once, so matching on the hot path is a dict look-up plus an edition check.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, NamedTuple


class MethodKey(NamedTuple):
    base: str  # upper case, no spacing, no adoption prefix: "ISO11290-1", "EN300328", "FCCPART15"
    edition: str | None  # "2017", or None when the identifier states none


_LETTER = r"[^\W\d_]"
_SEPARATOR = r"[\s\-/]+"
_NOT_A_STANDARDS_ORGANISATION = r"(?!(?:EN|ISO|IEC)(?![^\W\d_]))"
_NATIONAL = rf"{_NOT_A_STANDARDS_ORGANISATION}{_LETTER}(?:\.?{_LETTER}){{1,5}}\.?(?:/{_NOT_A_STANDARDS_ORGANISATION}{_LETTER}{{2,6}})?"
_NATIONAL_BEFORE_EN = re.compile(rf"^{_NATIONAL}{_SEPARATOR}EN(?=[\s\-/])")
_ADOPTION_BEFORE_INTERNATIONAL = re.compile(rf"^(?:EN|{_NATIONAL}){_SEPARATOR}(?=(?:ISO|IEC)(?![^\W\d_]))")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})
_SPACING = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def method_key(identifier: str) -> MethodKey:
    """The comparable form of a method or scheme identifier."""
    text = unicodedata.normalize("NFKC", identifier).translate(_DASHES).upper().strip()
    text = _NATIONAL_BEFORE_EN.sub("EN", text, count=1)
    text = _ADOPTION_BEFORE_INTERNATIONAL.sub("", text, count=1)
    text = _SPACING.sub("", text)
    base, colon, edition = text.partition(":")
    return MethodKey(base, edition if colon and edition else None)


def keys_match(a: MethodKey, b: MethodKey) -> bool:
    return a.base == b.base and (a.edition is None or b.edition is None or a.edition == b.edition)


def methods_match(a: str, b: str) -> bool:
    return keys_match(method_key(a), method_key(b))


def any_key_matches(key: MethodKey, others: Iterable[MethodKey]) -> bool:
    return any(keys_match(key, other) for other in others)
