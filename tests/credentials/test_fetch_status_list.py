"""`mra-registry fetch-status-list URL --cab CODE`: only HTTPS, only hosts on MRA_STATUS_LIST_HOSTS (empty by
default: nothing is fetched), a signed list must verify against the CAB's key, and the stored list decides."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy.orm import Session

from mra_registry import cli
from mra_registry.domain.codes import ReasonCode
from mra_registry.domain.credentials import encode_status_list
from mra_registry.domain.engine import decide
from mra_registry.domain.snapshot import Snapshot
from mra_registry.store.mapping import read_registry
from tests.credentials import factory
from tests.credentials import keys as K
from tests.credentials.cases import consignment

URL = K.L02_STATUS_LIST


def status_list_credential(indexes) -> dict:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": URL,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": K.L02_IDENTIFIER,
            "validFrom": "2025-09-20T00:00:00Z",
            "credentialSubject": {"id": f"{URL}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                                  "encodedList": encode_status_list(indexes)}}


class FakeReply:
    def __init__(self, body: str, status: int = 200):
        self.status_code, self.body = status, body.encode()

    def iter_content(self, size):
        yield self.body

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def serve_body(monkeypatch):
    import requests

    asked = []

    def install(body: str):
        def get(url, **options):
            asked.append((url, options))
            return FakeReply(body)
        monkeypatch.setattr(requests, "get", get)
        return asked
    return install


def run(db_url, *args, hosts: str = "fixtures.invalid", monkeypatch=None):
    monkeypatch.setenv("MRA_STATUS_LIST_HOSTS", hosts)
    return cli.main(["--database", db_url, "fetch-status-list", *args])


def decision_reason(engine, credential):
    with Session(engine) as session:
        snapshot = Snapshot.build(read_registry(session))
    return decide(snapshot, consignment(credential)).reason


def test_with_the_default_empty_allow_list_nothing_is_fetched(scenario_engine, db_url):
    env = {k: v for k, v in __import__("os").environ.items() if k != "MRA_STATUS_LIST_HOSTS"}
    result = subprocess.run([sys.executable, "-m", "mra_registry", "--database", db_url, "fetch-status-list", URL,
                             "--cab", "L02"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 3 and "not on the allow-list MRA_STATUS_LIST_HOSTS" in result.stderr


@pytest.mark.parametrize("url", ["http://fixtures.invalid/l02/status", "https://elsewhere.invalid/list"])
def test_plain_http_and_hosts_off_the_list_are_refused(scenario_engine, db_url, monkeypatch, serve_body, url, capsys):
    asked = serve_body(json.dumps(status_list_credential([])))
    assert run(db_url, url, "--cab", "L02", monkeypatch=monkeypatch) == 3
    assert asked == []


def test_a_fetched_list_replaces_the_held_copy_and_decides(scenario_engine, db_url, monkeypatch, serve_body):
    assert decision_reason(scenario_engine, factory.valid()) is ReasonCode.ARRANGEMENT_ROUTE
    asked = serve_body(json.dumps(status_list_credential([K.VALID_STATUS_INDEX])))
    assert run(db_url, URL, "--cab", "l02", monkeypatch=monkeypatch) == 0
    assert asked[0][1]["allow_redirects"] is False and asked[0][1]["timeout"]
    assert decision_reason(scenario_engine, factory.valid()) is ReasonCode.CREDENTIAL_REVOKED


def test_a_signed_list_must_verify_against_the_cabs_key(scenario_engine, db_url, monkeypatch, serve_body):
    forged = factory.sign(status_list_credential([K.VALID_STATUS_INDEX]), K.FORGER_KEY)
    serve_body(forged)
    assert run(db_url, URL, "--cab", "L02", monkeypatch=monkeypatch) == 3
    assert decision_reason(scenario_engine, factory.valid()) is ReasonCode.ARRANGEMENT_ROUTE
    serve_body(factory.sign(status_list_credential([K.VALID_STATUS_INDEX])))
    assert run(db_url, URL, "--cab", "L02", monkeypatch=monkeypatch) == 0
    assert decision_reason(scenario_engine, factory.valid()) is ReasonCode.CREDENTIAL_REVOKED
