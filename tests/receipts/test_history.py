"""Time travel (issue 14): the registry rebuilt at an earlier version is exactly the registry that version was,
and a decision asked ``asOfRegistryVersion`` equals the one made at the time, after a hundred later writes."""
from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy.orm import Session

from mra_registry.interchange import writer
from mra_registry.store.history import IN_PLACE, TABLES, HistoricalSnapshots, RegistryVersionOutOfRange, read_registry_at
from mra_registry.store.models import Base
from tests.api.support import export, registry_version
from tests.scenario_cases import CASES, to_clearance_input

from .writes import make_writes

FULL = """
query($input: ClearanceInput!, $v: Int) {
  clearance(input: $input, asOfRegistryVersion: $v) {
    outcome reason registryVersion assurance
    reasons { code message route requirement }
    route { kind arrangement { code name } sector { code } list { code } }
    routes { kind arrangement { code } sector { code } list { code } }
    path { kind subject record validFrom validTo statusOnIssue statusOnClearance holds confidence sources requirement }
    warnings { code message } policy { code maxAgeDays requiredTests }
    issueDate clearanceDate checks { code message sources }
  }
}
"""


def test_every_table_is_classified_for_rebuilding():
    # a new table must say how an earlier version reads it (store/history.py TABLES), or time travel misses it
    assert set(Base.metadata.tables) == set(TABLES)


def test_every_field_of_an_entity_kept_in_place_is_its_own_or_a_history():
    for kind, spec in IN_PLACE.items():
        cls = type(spec.parse({"code": "X", "name": "X", "kind": "ACCREDITATION_GLOBAL", "economy": "FR",
                               "kinds": ["LABORATORY"], "owner": "US"}))
        fields = {f.name for f in dataclasses.fields(cls)} - {"code"}
        assert fields <= set(spec.scalars) | set(spec.histories), (kind, fields - set(spec.scalars) - set(spec.histories))
        assert not set(spec.scalars) & set(spec.histories)


def test_every_version_reads_back_exactly_as_it_was_exported_then(api):
    # given: the registry document exported after each of a hundred writes
    first = registry_version(api)
    exported = {first: export(api)}
    last = make_writes(api, after_each=lambda v: exported.__setitem__(v, export(api)))
    assert last == first + 100

    # then: every version, rebuilt after all of them, reads back as it was
    with Session(api.services.engine) as session:
        for version, then in exported.items():
            assert writer.dumps(writer.document(read_registry_at(session, version))) == then, version


def test_a_hundred_writes_later_every_decision_is_decided_again_as_it_was(api):
    # given: every scenario decided now
    decided_at = registry_version(api)
    before = {case.id: _decide(api, to_clearance_input(case)) for case in CASES}

    # when: a hundred writes, several of which change these decisions
    make_writes(api)
    now = {case.id: _decide(api, to_clearance_input(case)) for case in CASES}
    assert sum(now[k] != before[k] for k in before) >= 3, "the writes should move some decisions"

    # then: asked at the version they were decided at, each is exactly the same (path, reasons, policy and all)
    again = {case.id: _decide(api, to_clearance_input(case), decided_at) for case in CASES}
    assert again == before

    # and clearances (the batch) answers the same at that version
    result = api("""query($inputs: [ClearanceInput!]!, $v: Int) { clearances(inputs: $inputs, asOfRegistryVersion: $v)
                 { outcome reason registryVersion } }""",
                 {"inputs": [to_clearance_input(c) for c in CASES], "v": decided_at})
    assert not result.errors, result.errors
    assert [(d["outcome"], d["reason"], d["registryVersion"]) for d in result.data["clearances"]] == [
        (before[c.id]["outcome"], before[c.id]["reason"], decided_at) for c in CASES]


@pytest.mark.parametrize("version", [0, -1, "above"])
def test_a_version_the_registry_never_had_is_a_typed_error(api, version):
    current = registry_version(api)
    asked = current + 1 if version == "above" else version
    result = api(FULL, {"input": to_clearance_input(CASES[0]), "v": asked})
    assert result.data is None
    [error] = result.errors
    assert error["extensions"]["code"] == "REGISTRY_VERSION_NOT_FOUND"
    assert error["extensions"]["currentRegistryVersion"] == current
    assert f"1 to {current}" in error["message"]


def test_rebuilt_versions_are_cached_and_the_cache_is_bounded(api):
    make_writes(api, count=5)
    current = registry_version(api)
    history = HistoricalSnapshots(api.services.engine, api.services.snapshots.current, size=2)
    assert history.at(current) is api.services.snapshots.current()  # the live snapshot, nothing rebuilt
    assert history.builds == 0
    a = history.at(current - 1)
    assert history.at(current - 1) is a and history.builds == 1
    history.at(current - 2)
    history.at(current - 3)  # the oldest (current - 1) falls out
    assert history.at(current - 1) is not a and history.builds == 4
    with pytest.raises(RegistryVersionOutOfRange):
        history.at(current + 1)


def _decide(api, data: dict, version: int | None = None) -> dict:
    result = api(FULL, {"input": data, "v": version})
    assert not result.errors, result.errors
    return result.data["clearance"]


def test_a_write_to_a_cab_keeps_its_credentials_and_logs_them_before(api):
    # the mutation writes back the CAB it read: its identifier, keys and status lists must survive the write
    # (they were once left out of the read: L02's identifier was erased and missing from the log's "before")
    from mra_registry.store.tokens import Role
    from tests.api.support import changes, mutate, version
    token = api.token(Role.ADMINISTRATOR)
    before = export(api)
    payload = mutate(api, "conformityAssessmentBodyUpdate", {
        "code": "L02", "expectedVersion": version(api, "ConformityAssessmentBody", "L02"), "name": "renamed"}, token)
    assert payload["errors"] == []
    after = export(api)
    assert after.count('"identifier": "did:web:fixtures.invalid:l02"') == before.count(
        '"identifier": "did:web:fixtures.invalid:l02"') == 1
    assert after.count('"keyId"') == before.count('"keyId"') and after.count('"encodedList"') == before.count('"encodedList"')
    [record] = [c for c in changes(api, "L02") if c["version"] == payload["registryVersion"]]
    assert "did:web:fixtures.invalid:l02" in str(record["before"])
