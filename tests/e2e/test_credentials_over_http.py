"""Issue 14's credential fixtures through `clearance` on a live server (a real uvicorn process holding the scenario
fixtures), and through `mra-registry check --credential FILE`, locally and against that server."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.credentials.cases import CREDENTIAL_CASES, clearance_input

pytestmark = pytest.mark.e2e

QUERY = """query($input: ClearanceInput!) { clearance(input: $input) {
  outcome reason reasons { code message } warnings { code message } assurance checks { code message sources } } }"""


@pytest.mark.parametrize("case", CREDENTIAL_CASES, ids=lambda c: c.id)
def test_each_credential_over_http(server, case):
    body = server.post(QUERY, {"input": clearance_input(case.make(), case.lot)}).json()
    assert "errors" not in body, body
    decision = body["data"]["clearance"]
    assert (decision["outcome"], decision["reason"]) == (case.outcome.value, case.reason.value), decision
    assert {w["code"] for w in decision["warnings"]} == {w.value for w in case.warnings}


def test_an_unknown_status_list_asks_for_a_check_over_http(server):
    from tests.credentials import factory

    credential = factory.sign(factory.dcc(status_list="https://fixtures.invalid/l02/status/other"))
    decision = server.post(QUERY, {"input": clearance_input(credential)}).json()["data"]["clearance"]
    assert decision["outcome"] == "RECOGNISED"
    assert [c["code"] for c in decision["checks"]] == ["CREDENTIAL_STATUS_UNKNOWN"]


def _check(*args, database: str | None = None):
    base = [sys.executable, "-m", "mra_registry"] + (["--database", database] if database else [])
    return subprocess.run([*base, "check", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("where", ["local", "server"])
@pytest.mark.parametrize("case", CREDENTIAL_CASES, ids=lambda c: c.id)
def test_each_credential_in_the_cli(server, tmp_path, case, where):
    path = tmp_path / f"{case.id}.jwt"
    path.write_text(case.make())
    args = ["--exporter", "FR", "--importer", "JP", "--hs", "040690", "--lot", case.lot, "--date", "2025-09-15",
            "--issuer", "L02", "--credential", str(path), "--json"]
    if where == "server":
        result = _check(*args, "--server", server.base_url)
    else:
        result = _check(*args, database=server.database_url)
    decision = json.loads(result.stdout)
    assert (decision["outcome"], decision["reason"]) == (case.outcome.value, case.reason.value), result.stderr
    assert {w["code"] for w in decision["warnings"]} == {w.value for w in case.warnings}
