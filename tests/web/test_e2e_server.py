"""End to end: `mra-registry serve` (real uvicorn, real sockets) on the scenario registry, audited with the
graphql-http suite (GraphQL over HTTP conformance), plus what only a real server shows: readiness on a real
database, JSON logs carrying the caller's request id, several worker processes.

The audit needs Node: it runs `npm ci` in tests/node when the suite is not installed yet, and its tests are
skipped, saying so, only on a machine without Node.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest_server import ROOT

pytestmark = pytest.mark.e2e

NODE_DIR = ROOT / "tests" / "node"
SCENARIOS = ROOT / "data" / "fixtures" / "scenarios.json"
SAMPLE_APP = "tests.web.sample_app:create_app"
# Audits allowed to end as warn/notice, each with the reason. Empty: every one of the 61 passes today,
# and a regression to warn should be seen, not scroll by.
ACCEPTED_NON_OK: dict[str, str] = {}

CLEARANCE = """query Clearance($input: ClearanceInput!) {
  clearance(input: $input) { outcome reason registryVersion }
}"""
S03_INPUT = {"exporter": "FR", "importer": "JP", "hsCode": "040690", "lot": "A1", "clearanceDate": "2025-09-15",
             "attestation": {"type": "TESTING", "issuer": "L02", "issueDate": "2025-08-10",
                             "accreditationBody": "COFRAC", "lot": "A1",
                             "tests": ["ISO 11290-1", "ISO 6579-1", "ISO 14501"]}}


@pytest.fixture(scope="module")
def scenario_database(tmp_path_factory) -> str:
    """A SQLite registry made the way an operator makes one: `mra-registry migrate`, then `load`."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'registry.sqlite3'}"
    for command in (["migrate"], ["load", str(SCENARIOS)]):
        subprocess.run([sys.executable, "-m", "mra_registry", "--database", url, *command], cwd=ROOT, check=True,
                       capture_output=True, text=True)
    return url


def install_audit_suite() -> None:
    """Node is here but the suite is not (a fresh clone): install the locked version, as CI does. Only a
    machine without Node skips the audit."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("node is installed but npm is not: install npm, or run `npm ci` in tests/node")
    finished = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, capture_output=True, text=True,
                              timeout=600)
    if finished.returncode != 0:
        pytest.fail(f"`npm ci` in tests/node failed (exit {finished.returncode}):\n{finished.stderr[-2000:]}")


def run_audit(graphql_url: str) -> dict:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the graphql-http audit cannot run")
    if not (NODE_DIR / "node_modules" / "graphql-http").is_dir():
        install_audit_suite()
    finished = subprocess.run(["node", str(NODE_DIR / "audit.mjs"), graphql_url], capture_output=True, text=True,
                              timeout=120)
    if finished.returncode not in (0, 1):
        pytest.fail(f"the audit did not run (exit {finished.returncode}):\n{finished.stderr}")
    return json.loads(finished.stdout)


def assert_audit_passes(report: dict) -> None:
    print(f"graphql-http audit of {report['url']}: {report['counts']}")
    for result in report["results"]:
        if result["status"] != "ok":
            print(f"  {result['status']:6} {result['id']} {result['name']}: {result.get('reason')}")
    errors = [result for result in report["results"] if result["status"] == "error"]
    assert not errors, f"MUST audits failed: {json.dumps(errors, indent=2)}"
    unexpected = [result for result in report["results"]
                  if result["status"] != "ok" and result["id"] not in ACCEPTED_NON_OK]
    assert not unexpected, f"audits newly below ok: {json.dumps(unexpected, indent=2)}"


def get(url: str, headers: dict[str, str] | None = None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_the_registry_api_passes_the_graphql_http_audit(live_server, scenario_database):
    base_url = live_server(scenario_database)
    assert_audit_passes(run_audit(f"{base_url}/graphql"))


def test_the_transport_alone_passes_the_audit_with_two_workers(live_server, tmp_path):
    base_url = live_server(f"sqlite:///{tmp_path / 'unused.sqlite3'}", workers=2, app_factory=SAMPLE_APP)
    assert_audit_passes(run_audit(f"{base_url}/graphql"))


def test_a_clearance_over_get_on_the_live_registry(live_server, scenario_database):
    base_url = live_server(scenario_database)
    query = urllib.parse.urlencode({"query": CLEARANCE, "variables": json.dumps({"input": S03_INPUT})})
    status, headers, body = get(f"{base_url}/graphql?{query}",
                                {"accept": "application/graphql-response+json", "x-request-id": "e2e-get-1"})
    assert status == 200
    assert headers["content-type"] == "application/graphql-response+json; charset=utf-8"
    assert headers["x-request-id"] == "e2e-get-1"
    decision = json.loads(body)["data"]["clearance"]
    assert decision["outcome"] == "RECOGNISED"
    assert decision["registryVersion"] >= 1


def test_probes_schema_and_logs_on_the_live_registry(live_server, scenario_database, tmp_path):
    base_url = live_server(scenario_database)
    assert get(f"{base_url}/healthz")[2] == b'{"status":"ok"}'
    assert json.loads(get(f"{base_url}/readyz")[2]) == {"status": "ready"}
    status, headers, sdl = get(f"{base_url}/schema.graphql", {"x-request-id": "e2e-sdl-1"})
    assert headers["content-type"].startswith("text/plain")
    assert b"clearance(\n    input: ClearanceInput!\n" in sdl and b"): ClearanceDecision!" in sdl

    # The access log is written once the answer has gone out, so the line may trail the response a little.
    access = wait_for_log_entry(next(Path(tmp_path).glob("server-*.log")),
                                lambda entry: entry.get("request_id") == "e2e-sdl-1")
    assert access["path"] == "/schema.graphql" and access["status"] == 200 and access["method"] == "GET"
    assert "duration_ms" in access


def wait_for_log_entry(log_path: Path, wanted, timeout_seconds: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout_seconds
    while True:
        for line in log_path.read_text().splitlines():
            if line.startswith("{") and wanted(entry := json.loads(line)):
                return entry
        if time.monotonic() > deadline:
            pytest.fail(f"no such log entry in {log_path} after {timeout_seconds:g} s")
        time.sleep(0.05)


def test_readiness_fails_with_a_reason_when_the_database_is_gone(live_server, tmp_path):
    # An empty SQLite file has no registry tables: the service is up but cannot decide anything. (A file that is not
    # there at all is refused by `serve` before it starts: tests/web/test_serve.py.)
    (tmp_path / "empty.sqlite3").touch()
    base_url = live_server(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert get(f"{base_url}/healthz")[0] == 200
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(f"{base_url}/readyz")
    assert refused.value.code == 503
    body = json.loads(refused.value.read())
    assert body["status"] == "unavailable" and body["reason"]
