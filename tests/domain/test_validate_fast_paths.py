"""validate's plain-str fast paths (no regex call for an ordinary HS code or economy) accept exactly what the
patterns accept, and refuse the rest with the same field and message."""
from __future__ import annotations

import re
from datetime import date

import pytest

from mra_registry.domain import engine
from mra_registry.domain.decision import Consignment
from mra_registry.domain.errors import InvalidInput

_HS = re.compile(r"[0-9]{6,10}")
_ECONOMY = re.compile(r"[A-Z]{2}")


class _Str(str):
    pass


def _refusal(consignment: Consignment, *, accepted: bool) -> InvalidInput | None:
    """What validate raises: nothing when the pattern accepts the input, else an InvalidInput (returned)."""
    if accepted:
        engine.validate(consignment)
        return None
    with pytest.raises(InvalidInput) as refused:
        engine.validate(consignment)
    return refused.value


@pytest.mark.parametrize("hs_code", ["040690", "0406901234", "04069", "04069012345", "04069a", "０４０６９０",
                                     "04069²", " 040690", "040690\n", _Str("040690"), _Str("04a690"), 40690, None])
def test_hs_codes_are_judged_as_the_pattern_judges_them(hs_code):
    refused = _refusal(Consignment("FR", "JP", hs_code, date(2025, 1, 1)),
                       accepted=isinstance(hs_code, str) and _HS.fullmatch(hs_code) is not None)
    assert refused is None or refused.field == "hsCode"


@pytest.mark.parametrize("economy", ["FR", "ZZ", "AA", "fr", "Fr", "F", "FRA", "F1", "ÉF", "\u0391B", "ＦＲ", "FR\n",
                                     _Str("FR"), _Str("fr"), 12, None])
@pytest.mark.parametrize("side", ["exporter", "importer"])
def test_economies_are_judged_as_the_pattern_judges_them(economy, side):
    other = "JP"
    consignment = Consignment(economy if side == "exporter" else other, economy if side == "importer" else other,
                              "040690", date(2025, 1, 1))
    refused = _refusal(consignment, accepted=isinstance(economy, str) and _ECONOMY.fullmatch(economy) is not None)
    assert refused is None or (refused.field == side and refused.message.startswith(f"{economy!r} is not an economy"))
