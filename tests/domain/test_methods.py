"""Method and scheme identifier matching (RULES.md: Methods and schemes)."""
from __future__ import annotations

import pytest

from mra_registry.domain.methods import MethodKey, method_key, methods_match


@pytest.mark.parametrize("a, b", [
    ("ISO 11290-1", "ISO 11290-1"),
    ("ISO 11290-1", "iso 11290-1"),
    ("ISO 11290-1", "ISO11290-1"),
    ("ISO 11290-1", "  ISO   11290 -1 "),
    ("ISO 11290-1", "EN ISO 11290-1"),
    ("ISO 11290-1", "BS EN ISO 11290-1"),
    ("ISO 6579-1", "NF EN ISO 6579-1"),
    ("ISO 6579-1", "DIN EN ISO 6579-1"),
    ("ISO 6579-1", "UNE-EN ISO 6579-1"),
    ("ISO 6579-1", "ÖNORM EN ISO 6579-1"),
    ("ISO 6579-1", "SS-EN ISO 6579-1"),
    ("ISO 6579-1", "ČSN EN ISO 6579-1"),
    ("ISO 6579-1", "NEN-EN-ISO 6579-1"),
    ("ISO 6579-1", "I.S. EN ISO 6579-1"),
    ("ISO 6579-1", "UNI EN ISO 6579-1"),
    ("ISO 9001", "DS/EN ISO 9001"),
    ("ISO 9001", "BS ISO 9001"),
    ("ISO 9001", "AS/NZS ISO 9001"),
    ("ISO/IEC 17025", "EN ISO/IEC 17025"),
    ("IEC 62368-1", "EN IEC 62368-1"),
    ("IEC 62368-1", "NF EN IEC 62368-1"),
    ("EN 300 328", "EN 300 328"),
    ("EN 300 328", "EN\u00a0300\u00a0328"),  # no-break spaces are spacing too
    ("EN 300 328", "BS EN 300 328"),
    ("EN 300 328", "ETSI EN 300 328"),
    ("EN 60335-1", "DIN EN 60335-1"),
    ("ISO 11290-1", "ISO 11290\u20111"),  # a non-breaking hyphen is a hyphen
    ("ISO 11290-1:2017", "ISO 11290-1"),  # the edition counts only when both sides state one
    ("ISO 11290-1", "EN ISO 11290-1:2017"),
    ("ISO 11290-1:2017", "BS EN ISO 11290-1:2017"),
    ("ISO 11290-1:2017", "ISO 11290-1 : 2017"),
    ("FCC Part 15", "fcc part 15"),
    ("PEST-RES-COFFEE", "pest-res-coffee"),
])
def test_identifiers_that_match(a, b):
    assert methods_match(a, b)
    assert methods_match(b, a)


@pytest.mark.parametrize("a, b", [
    ("ISO 11290-1", "ISO 11290-2"),
    ("ISO 11290-1", "ISO 11290"),
    ("ISO 11290-1:2017", "ISO 11290-1:1996"),
    ("ISO 11290-1:2017", "BS EN ISO 11290-1:1996"),
    ("ISO 9001", "ISO 14001"),
    ("EN 300 328", "EN 301 489"),
    ("EN 60335-1", "IEC 60335-1"),  # an EN with its own number is not stripped to the IEC one
    ("EN 300 328", "300 328"),  # an EN that adopts no international standard keeps its EN
    ("ISO/IEC 17025", "IEC 17025"),
    ("FCC Part 15", "FCC Part 18"),
])
def test_identifiers_that_do_not_match(a, b):
    assert not methods_match(a, b)
    assert not methods_match(b, a)


def test_method_key_separates_base_and_edition():
    assert method_key("BS EN ISO 11290-1:2017") == MethodKey("ISO11290-1", "2017")
    assert method_key("ISO 9001") == MethodKey("ISO9001", None)
    assert method_key("ISO 9001:") == MethodKey("ISO9001", None)
