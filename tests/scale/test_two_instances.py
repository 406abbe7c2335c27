"""Several instances, one database: a write through one instance shows in the other's decisions within a
second (PostgreSQL NOTIFY at commit; the version poll is the fallback)."""
from __future__ import annotations

import time

import pytest
import requests
from sqlalchemy.orm import Session

from tests.conftest import POSTGRES_URL, SCENARIOS, load
from tests.conftest_server import live_server  # noqa: F401  (fixture)
from mra_registry.store.tokens import Role, create_token

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

S03 = {"exporter": "FR", "importer": "JP", "hsCode": "040690", "lot": "A1", "clearanceDate": "2025-09-15",
       "attestation": {"type": "TESTING", "issuer": "L02", "issueDate": "2025-08-10", "accreditationBody": "COFRAC",
                       "lot": "A1", "tests": ["ISO 11290-1", "ISO 6579-1", "ISO 14501"]}}
CLEARANCE = "query($input: ClearanceInput!) { clearance(input: $input) { outcome reason registryVersion } }"
SUSPEND = """mutation($input: SignatoryStatusEventInput!) {
  signatoryStatusSuspend(input: $input) { registryVersion errors { code message } }
}"""
BODY_VERSION = 'query { accreditationBody(code: "COFRAC") { version } }'


def post(base_url: str, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = requests.post(f"{base_url}/graphql", json={"query": query, "variables": variables or {}},
                             headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL: set MRA_TEST_DATABASE_URL")
def test_a_write_through_one_instance_reaches_the_other_within_a_second(live_server, engine, db_url):  # noqa: F811
    load(engine, SCENARIOS)
    with Session(engine) as session, session.begin():
        token, _ = create_token(session, Role.ARRANGEMENT_SECRETARIAT, "ILAC_MRA")
    # a slow poll on the reader proves the change arrives by notification, not by the fallback
    first = live_server(db_url)
    second = live_server(db_url, env={"MRA_SNAPSHOT_POLL_SECONDS": "30"})
    assert post(second, CLEARANCE, {"input": S03})["data"]["clearance"]["outcome"] == "RECOGNISED"

    version = post(first, BODY_VERSION)["data"]["accreditationBody"]["version"]
    written = post(first, SUSPEND, {"input": {"accreditationBody": "COFRAC", "arrangement": "ILAC_MRA",
                                              "activity": "TESTING", "validFrom": "2025-08-01",
                                              "expectedVersion": version}}, token)
    payload = written["data"]["signatoryStatusSuspend"]
    assert payload["errors"] == [] and payload["registryVersion"] == 2
    written_at = time.monotonic()

    while True:
        decision = post(second, CLEARANCE, {"input": S03})["data"]["clearance"]
        if decision["registryVersion"] == 2:
            break
        assert time.monotonic() - written_at < 1.0, "the second instance did not follow within one second"
        time.sleep(0.02)
    assert (decision["outcome"], decision["reason"]) == ("RETEST_REQUIRED", "AB_SUSPENDED_AT_ISSUE")
