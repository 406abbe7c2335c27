"""A designation names the importing side (RULES.md step 7, government route: "the party whose requirements it
may assess against (the importing side)"): designationCreate refuses the CAB's own economy, or a union it
belongs to on the designation's first day, as INCONSISTENT on forParty, and writes nothing (issue 11 item 4:
such a designation was accepted and recognised consignments)."""
from __future__ import annotations

import pytest

from mra_registry.store.tokens import Role

from .support import error_codes, export, mutate, registry_version, version

TEL = {"arrangement": "EU_US_MRA", "sector": "EU-US-TEL"}


def designate(api, cab: str, party: str, day: str, token: str, sector: str = "EU-US-TEL") -> dict:
    return mutate(api, "designationCreate", TEL | {"sector": sector} | {
        "cab": cab, "forParty": party, "validFrom": day,
        "expectedVersion": version(api, "ConformityAssessmentBody", cab)}, token, selection="")


@pytest.mark.parametrize("cab, party, day, who", [
    ("L04", "EU", "2026-01-01", (Role.DESIGNATING_AUTHORITY, "EU")),  # a German laboratory, for its own union
    ("L04", "EU", "2026-01-01", (Role.ADMINISTRATOR, None)),  # nobody may, administrators included
    ("L03", "US", "2026-01-01", (Role.DESIGNATING_AUTHORITY, "US")),  # an American laboratory, for the US
    ("L16", "EU", "2020-06-01", (Role.ADMINISTRATOR, None)),  # GB, an EU member for these rules until 2020
])
def test_a_designation_naming_the_cabs_own_side_is_refused(api, cab, party, day, who):
    before = (registry_version(api), export(api))
    payload = designate(api, cab, party, day, api.token(*who))
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("input.forParty", "INCONSISTENT")]
    assert "importing party" in payload["errors"][0]["message"]
    assert (registry_version(api), export(api)) == before


@pytest.mark.parametrize("cab, party, day, who", [
    ("L04", "US", "2026-01-01", (Role.DESIGNATING_AUTHORITY, "EU")),  # (in EMC: L04 holds TEL for the US)
    ("L03", "EU", "2026-01-01", (Role.DESIGNATING_AUTHORITY, "US")),
    ("L16", "US", "2020-06-01", (Role.DESIGNATING_AUTHORITY, "EU")),
])
def test_a_designation_naming_the_other_side_is_recorded(api, cab, party, day, who):
    payload = designate(api, cab, party, day, api.token(*who), sector="EU-US-EMC" if cab == "L04" else "EU-US-TEL")
    assert payload["errors"] == []


def test_after_leaving_the_union_the_union_is_the_other_side(api):
    # GB left the EU's agreements at the end of 2020: from 2021 the EU is not GB's side, so naming it is not
    # refused as the CAB's own side (whatever else may be said of the designation)
    payload = designate(api, "L16", "EU", "2021-06-01", api.token(Role.ADMINISTRATOR))
    assert ("input.forParty", "INCONSISTENT") not in [(e["field"], e["code"]) for e in payload["errors"]]
