"""Conflict-safe writes under real concurrency, on PostgreSQL: several writer threads update the same objects at
once, each with the version it read. Every update is applied or refused with STALE_OBJECT; none is lost; the
change log matches the final state exactly; registry versions stay gap-free, one per applied write."""
from __future__ import annotations

import os
import threading
from collections import Counter
from dataclasses import dataclass

import pytest

from mra_registry.store.tokens import Role

from .support import changes, error_codes, mutate, registry_version, s03, version

_URL = os.environ.get("MRA_TEST_DATABASE_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not _URL.startswith("postgres"),
                       reason="needs PostgreSQL: set MRA_TEST_DATABASE_URL=postgresql://… (row locks under real "
                              "concurrency are what this test is about; SQLite serialises whole transactions)"),
]

THREADS = 8
UPDATES = 10  # per thread, alternating between the two objects


@dataclass(frozen=True)
class Attempt:
    target: str  # "body" or "policy"
    value: object  # the name or the age limit it wrote
    read_version: int
    applied: bool
    registry_version: int | None
    codes: tuple[str, ...]


def attempt(api, token: str, target: str, value) -> Attempt:
    if target == "body":
        read = version(api, "AccreditationBody", "COFRAC")
        payload = mutate(api, "accreditationBodyUpdate", {"code": "COFRAC", "name": value, "expectedVersion": read},
                         token, selection="accreditationBody { name version }")
    else:
        read = version(api, "ImportPolicy", "P-JP-0406")
        payload = mutate(api, "importPolicyAmend", {"code": "P-JP-0406", "maxAgeDays": value, "expectedVersion": read},
                         token, selection="importPolicy { maxAgeDays version }")
    return Attempt(target, value, read, not payload["errors"], payload["registryVersion"], tuple(error_codes(payload)))


def test_concurrent_writers_lose_nothing(api):
    # given: one token per writer (an administrator and the owners), all released at once
    tokens = [api.token(Role.ADMINISTRATOR), api.token(Role.ACCREDITATION_BODY, "COFRAC"),
              api.token(Role.IMPORT_REGULATOR, "JP")]
    start_version = registry_version(api)
    start = threading.Barrier(THREADS)
    attempts: list[Attempt] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def writer(number: int) -> None:
        try:
            start.wait(timeout=30)
            for i in range(UPDATES):
                target = "body" if (number + i) % 2 == 0 else "policy"
                value = f"COFRAC written by {number}/{i}" if target == "body" else 1000 + number * 100 + i
                token = tokens[0] if number % 2 == 0 else tokens[1 if target == "body" else 2]
                result = attempt(api, token, target, value)
                with lock:
                    attempts.append(result)
        except BaseException as error:  # reported below, with the thread's number
            with lock:
                failures.append(error)

    # when
    threads = [threading.Thread(target=writer, args=(n,), name=f"writer-{n}") for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a writer did not finish"
    assert not failures, failures

    # then: every update was applied or refused as stale, nothing else
    assert len(attempts) == THREADS * UPDATES
    assert {a.codes for a in attempts if not a.applied} <= {("STALE_OBJECT",)}
    applied = [a for a in attempts if a.applied]
    stale = [a for a in attempts if not a.applied]

    # registry versions: gap-free from the start, exactly one per applied write
    versions = sorted(a.registry_version for a in applied)
    assert versions == list(range(start_version + 1, start_version + 1 + len(applied)))
    assert registry_version(api) == start_version + len(applied)
    assert all(a.registry_version is None for a in stale)

    for target, code, kind, read_final in [
        ("body", "COFRAC", "AccreditationBody",
         lambda: api('{ accreditationBody(code: "COFRAC") { name } }').data["accreditationBody"]["name"]),
        ("policy", "P-JP-0406", "ImportPolicy",
         lambda: api('{ importPolicy(code: "P-JP-0406") { maxAgeDays } }').data["importPolicy"]["maxAgeDays"]),
    ]:
        mine = sorted((a for a in applied if a.target == target), key=lambda a: a.registry_version)
        assert mine, f"no write to {code} was applied"
        # each applied write read the version the previous applied write left: none overwrote another unseen
        assert [a.read_version for a in mine] == list(range(1, len(mine) + 1))
        # the object is what the last applied write made it, at one version per applied write
        assert read_final() == mine[-1].value
        assert version(api, kind, code) == 1 + len(mine)
        # the change log holds exactly the applied writes, each in its own version, with the value it wrote
        records = [c for c in changes(api, code, first=100) if c["version"] > start_version]
        assert len(records) == len(mine)
        assert sorted(c["version"] for c in records) == [a.registry_version for a in mine]
        field = "name" if target == "body" else "maxAgeDays"
        written = {a.registry_version: a.value for a in mine}
        for record in records:
            assert record["after"][field] == written[record["version"]]
        # and each record's "before" is the previous applied write's "after": a chain with no hole
        chain = sorted(records, key=lambda c: c["version"])
        for previous, following in zip(chain, chain[1:]):
            assert following["before"] == previous["after"]

    # decisions are made on the final registry
    decision = s03(api)
    assert decision["registryVersion"] == start_version + len(applied)
    assert decision["policy"]["maxAgeDays"] == max((a for a in applied if a.target == "policy"),
                                                   key=lambda a: a.registry_version).value
    print(f"{len(applied)} applied, {len(stale)} refused as stale;",
          Counter(a.target for a in applied))
