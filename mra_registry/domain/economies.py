"""ISO 3166-1 economies, from pycountry rather than a hand-typed list."""
from __future__ import annotations

from functools import lru_cache

import pycountry


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """alpha-2 code -> common (or official short) name, for every ISO 3166-1 country."""
    return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


def is_country(code: str) -> bool:
    return code in country_names()
