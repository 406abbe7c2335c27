"""The engine gives exactly the recorded decisions (tests/domain/decision_golden.py): thousands of consignments
over the synthetic registry, the fixture documents and the engine's test world, every field of each decision.
A guard for work that must change no decision (issue 11's speed work); a deliberate change records again."""
from __future__ import annotations

import json

import pytest

from mra_registry.domain.snapshot import Snapshot
from tests.domain.decision_golden import GOLDEN, WORLDS, decisions, digest, inputs_digest

RECORDED = json.loads(GOLDEN.read_text())


@pytest.mark.parametrize("name", sorted(WORLDS))
def test_the_engine_gives_the_recorded_decisions(name):
    recorded = RECORDED["worlds"][name]
    registry, consignments = WORLDS[name]()
    if inputs_digest(registry, consignments) != recorded["inputs"]:
        pytest.skip(f"the {name} world's inputs changed since its decisions were recorded: record them again "
                    "(python -m tests.domain.decision_golden --record) with the engine as it was before")
    made = decisions(Snapshot.build(registry), consignments)
    assert len(made) == recorded["count"]
    differing = [i for i, text in enumerate(made) if digest(text) != recorded["digests"][i]]
    assert not differing, (f"{len(differing)} of {len(made)} decisions differ from the recorded ones, e.g. "
                           f"#{differing[0]}: {consignments[differing[0]]} -> {made[differing[0]][:2000]}")
