"""HS code shape and coverage (RULES.md: HS codes)."""
from __future__ import annotations

import pytest

from mra_registry.domain.hs import covers, is_hs_code, longest_match, prefixes_longest_first


@pytest.mark.parametrize("code", ["040690", "0406901000", "85176200", "1234567"])
def test_six_to_ten_digits_are_hs_codes(code):
    assert is_hs_code(code)


@pytest.mark.parametrize("code", ["04069", "04069010001", "0406.90", "0406 90", "ABCDEF", "", "０４０６９０", "04069²",
                                  None, 40690])
def test_anything_else_is_not_an_hs_code(code):
    assert not is_hs_code(code)


def test_a_prefix_covers_the_codes_it_starts():
    assert covers(("0406",), (), "040690")
    assert covers(("04", "85"), (), "851762")
    assert not covers(("0406",), (), "040590")
    assert not covers(("04069010",), (), "040690")  # a longer prefix does not cover a shorter code


def test_an_excluded_prefix_wins_over_a_covering_one():
    assert covers(("3004",), ("30049092",), "300490")
    assert not covers(("3004",), ("30049092",), "3004909200")
    assert not covers(("3004",), ("30049092",), "30049092")


def test_no_prefix_covers_nothing_for_policies_and_sectors_but_everything_for_scope_items():
    assert not covers((), (), "848180")
    assert covers((), (), "848180", empty_covers_all=True)
    assert not covers((), ("84",), "848180", empty_covers_all=True)


def test_longest_match_measures_the_longest_covering_prefix():
    assert longest_match(("04", "0406", "040690"), (), "0406901000") == 6
    assert longest_match(("04",), ("0406",), "040690") == 0
    assert longest_match(("85",), (), "040690") == 0


def test_prefixes_run_from_the_whole_code_down_to_a_chapter():
    assert prefixes_longest_first("04069010") == ("04069010", "0406901", "040690", "04069", "0406", "040", "04")
