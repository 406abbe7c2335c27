"""Succession in browsing (issue 10, RULES.md step 7): the signatory list of a successor arrangement includes the
statuses carried over from the arrangements it superseded, marked `carriedOver` with the arrangement and the
record they come from, and browsing agrees with the engine (`Snapshot.status_readings`) on every date around
the succession of ILAC MRA by Global ACI on 2026-01-01."""
from __future__ import annotations

from datetime import date

import pytest

from mra_registry.domain.codes import Activity

SIGNATORIES = """query($code: String!, $activity: Activity, $asOf: Date) { arrangement(code: $code) {
  signatories(activity: $activity, asOf: $asOf, first: 100) { totalCount edges { node {
    accreditationBody { code } activity standard status validFrom validTo carriedOver
    carriedFrom { code } carriedRecord { arrangement { code } status validFrom validTo } } } } } }"""


def signatories(api, as_of: str | None, code: str = "GLOBAL_ACI_MRA", activity: str | None = "TESTING") -> list[dict]:
    result = api(SIGNATORIES, {"code": code, "activity": activity, "asOf": as_of})
    assert not result.errors, result.errors
    return [edge["node"] for edge in result.data["arrangement"]["signatories"]["edges"]]


def test_global_aci_lists_ukas_and_every_ilac_testing_signatory_without_an_own_record(api):
    listed = signatories(api, "2026-06-01")
    by_body = {(n["accreditationBody"]["code"], n["carriedOver"]): n for n in listed}

    # UKAS: its own Global ACI record from 2026-01-01, not carried
    assert by_body[("UKAS", False)]["status"] == "SIGNATORY"
    assert ("UKAS", True) not in by_body
    # every ILAC testing signatory without an own Global ACI record is carried over from ILAC, from 2026-01-01
    ilac_on_the_eve = {n["accreditationBody"]["code"]: n["status"] for n in signatories(api, "2025-12-31", "ILAC_MRA")}
    carried = {n["accreditationBody"]["code"]: n for n in listed if n["carriedOver"]}
    assert set(carried) == set(ilac_on_the_eve) - {"UKAS"}
    for code, node in carried.items():
        assert node["status"] == ilac_on_the_eve[code]
        assert node["carriedFrom"] == {"code": "ILAC_MRA"}
        assert node["carriedRecord"]["arrangement"] == {"code": "ILAC_MRA"}
        assert node["validFrom"] == "2026-01-01"
    assert {"COFRAC", "DAkkS", "NABL"} <= set(carried)
    assert carried["PNGLAS"]["status"] == "SUSPENDED"  # a suspension continues too


def test_before_the_succession_nothing_is_carried(api):
    assert [n for n in signatories(api, "2025-12-31") if n["carriedOver"]] == []


def test_without_a_date_each_carried_status_is_listed_once_with_its_window(api):
    listed = [n for n in signatories(api, None) if n["carriedOver"]]
    bodies = [n["accreditationBody"]["code"] for n in listed]
    assert len(bodies) == len(set(bodies))
    assert {n["validFrom"] for n in listed} == {"2026-01-01"}
    assert "UKAS" not in bodies  # its own record starts on the succession date: nothing to carry


def test_a_predecessor_lists_only_its_own_records(api):
    assert all(not n["carriedOver"] for n in signatories(api, "2026-06-01", "ILAC_MRA"))


def test_a_status_filter_applies_to_carried_statuses(api):
    result = api('{ arrangement(code: "GLOBAL_ACI_MRA") { signatories(activity: TESTING, asOf: "2026-06-01", '
                 'status: SUSPENDED) { edges { node { accreditationBody { code } carriedOver } } } } }')
    assert not result.errors, result.errors
    nodes = [e["node"] for e in result.data["arrangement"]["signatories"]["edges"]]
    assert {(n["accreditationBody"]["code"], n["carriedOver"]) for n in nodes} == {("PNGLAS", True)}


@pytest.mark.parametrize("day", ["2025-06-01", "2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02", "2026-06-01",
                                 "2027-01-01"])
@pytest.mark.parametrize("arrangement", ["GLOBAL_ACI_MRA", "ILAC_MRA"])
def test_browsing_and_the_engine_never_disagree(api, day, arrangement):
    # browsing: the list on the day (whole-activity records, as the engine reads them for a policy naming no
    # standard)
    browsed = {(n["accreditationBody"]["code"], n["status"], n["carriedFrom"]["code"] if n["carriedFrom"] else None)
               for n in signatories(api, day, arrangement) if n["standard"] is None}
    # the engine: every body's readings in the arrangement on the day
    snapshot = api.services.snapshots.current()
    engine = {(code, reading.status.value, reading.continued_from)
              for code in snapshot.accreditation_bodies
              for reading in snapshot.status_readings(code, arrangement, Activity.TESTING, date.fromisoformat(day))}
    assert browsed == engine
