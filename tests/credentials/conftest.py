from __future__ import annotations

import json
from pathlib import Path

import pytest

from mra_registry.domain import model
from mra_registry.domain.snapshot import Snapshot
from mra_registry.interchange.merging import merge_documents
from mra_registry.interchange.reader import read_documents

SCENARIOS = Path(__file__).resolve().parents[2] / "data" / "fixtures" / "scenarios.json"


@pytest.fixture(scope="session")
def document_snapshot() -> Snapshot:
    """The scenario fixtures read by the interchange reader alone (no database): the engine's view of them."""
    parsed = merge_documents(read_documents([("scenarios.json", json.loads(SCENARIOS.read_text()))]))
    registry = model.Registry(1, parsed.unions, parsed.arrangements, parsed.accreditation_bodies, parsed.cabs,
                              parsed.policies, parsed.lookalike_bodies, parsed.declarations, parsed.acceptance_lists)
    return Snapshot.build(registry)
