"""The example queries of docs/api.md run as written against a live server on the scenario fixtures."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mra_registry.store.tokens import Role

pytestmark = pytest.mark.e2e

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def examples() -> list[tuple[str, dict]]:
    """Each ```graphql block (a block may hold several one-line queries), with the ```json block after it
    as its variables when there is one."""
    text = GUIDE.read_text()
    blocks = re.findall(r"```(graphql|json)\n(.*?)```", text, flags=re.S)
    found = []
    for index, (kind, body) in enumerate(blocks):
        if kind != "graphql":
            continue
        variables = {}
        if index + 1 < len(blocks) and blocks[index + 1][0] == "json":
            variables = json.loads(blocks[index + 1][1])
        parts = [body] if body.lstrip().startswith(("query", "mutation")) else [
            line for line in re.split(r"\n(?=\{)", body) if line.strip()]
        found.extend((part, variables) for part in parts)
    return found


@pytest.mark.parametrize("query, variables", examples())
def test_the_guide_examples_run(server, query, variables):
    if "sinceVersion" in query:
        query = query.replace("sinceVersion: 41", "sinceVersion: 0")
    token = server.token(Role.ADMINISTRATOR) if query.lstrip().startswith("mutation") else None
    body = server.post(query, variables, token=token).json()
    assert "errors" not in body, body
    assert body["data"]
    for payload in body["data"].values():  # a mutation's errors are data: there must be none
        assert not (isinstance(payload, dict) and payload.get("errors")), payload
