"""`mra-registry check --server URL`: the exporter's CLI against a live server, single and batch, and what
happens when the server is unreachable or answers an error."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest_server import free_port, live_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

S03 = ["--exporter", "FR", "--importer", "JP", "--hs", "040690", "--lot", "A1", "--type", "TESTING",
       "--issuer", "L02", "--issued", "2025-08-10", "--date", "2025-09-15",
       "--tests", "ISO 11290-1,ISO 6579-1,ISO 14501", "--accreditation-body", "COFRAC"]


def check(*args: str) -> subprocess.CompletedProcess:
    # --database points nowhere useful: a remote check must not need a local registry
    return subprocess.run([sys.executable, "-m", "mra_registry", "--database", "sqlite:////nonexistent/x.sqlite3",
                           "check", *args], capture_output=True, text=True, timeout=120)


def test_single_check_against_a_server(server):
    result = check(*S03, "--server", server.base_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("RECOGNISED")
    assert "SIGNATORY_STATUS: COFRAC in ILAC_MRA" in result.stdout


def test_remote_and_local_json_agree(server):
    remote = json.loads(check(*S03, "--server", server.base_url, "--json").stdout)
    local = json.loads(subprocess.run(
        [sys.executable, "-m", "mra_registry", "--database", server.database_url, "check", *S03, "--json"],
        capture_output=True, text=True, timeout=120).stdout)
    assert remote == local


def test_batch_check_against_a_server(server, tmp_path):
    declaration = tmp_path / "declaration.csv"
    declaration.write_text(
        "exporter,importer,hs_code,lot,type,issuer,issue_date,clearance_date,accreditation_body\n"
        "GB,JP,040690,A1,TESTING,L16,2026-03-01,2026-04-01,UKAS\n"
        "KG,AU,040690,K1,TESTING,L06,2018-10-01,2018-11-15,KCA\n"
        "CH,JP,040690,,TESTING,L14,2026-05-01,2026-05-20,GASB\n")
    result = check("--csv", str(declaration), "--server", server.base_url, "--output", "json")
    assert result.returncode == 2, result.stderr  # the worst line is INVALID
    reasons = [item["decision"]["reason"] for item in json.loads(result.stdout)]
    assert reasons == ["ARRANGEMENT_ROUTE", "AB_SUSPENDED_AT_ISSUE", "UNRECOGNISED_ACCREDITATION_BODY"]


def test_an_unreachable_server_is_a_clear_error_with_exit_3():
    result = check(*S03, "--server", f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 3
    assert "cannot reach the server" in result.stderr and result.stdout == ""


def test_a_server_error_answer_is_reported_with_exit_3(server, tmp_path):
    declaration = tmp_path / "big.csv"
    rows = "\n".join("FR,DE,040690" for _ in range(1001))
    declaration.write_text("exporter,importer,hs_code\n" + rows + "\n")
    # more lines than the server accepts in one request are sent in several requests: this works
    assert check("--csv", str(declaration), "--server", server.base_url).returncode == 0
    # a page that is not an mra-registry server
    result = check(*S03, "--server", f"{server.base_url}/healthz")
    assert result.returncode == 3
    assert "server" in result.stderr and result.stdout == ""


def test_a_malformed_csv_never_reaches_the_server(tmp_path):
    # a server that is not there: a declaration of only bad lines is reported without asking it
    declaration = tmp_path / "bad.csv"
    declaration.write_text("exporter,importer,hs_code\nFR,JP,not-a-code\n")
    result = check("--csv", str(declaration), "--server", f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 3 and "CSV line 2: hs_code: 'not-a-code'" in result.stderr
    assert "cannot reach" not in result.stderr and "ERROR" in result.stdout


def test_a_declaration_larger_than_the_servers_batch_limit_is_split_to_fit(new_database, live_server, tmp_path):  # noqa: F811
    # given: a server that takes 2 lines per request, and a declaration of 5
    from mra_registry.store.database import make_engine
    from tests.conftest import SCENARIOS, load

    url = new_database()
    engine = make_engine(url)
    load(engine, SCENARIOS)
    engine.dispose()
    base_url = live_server(url, env={"MRA_MAX_BATCH": "2"})
    declaration = tmp_path / "declaration.csv"
    declaration.write_text("exporter,importer,hs_code,lot,type,issuer,issue_date,clearance_date,accreditation_body\n"
                           + "GB,JP,040690,A1,TESTING,L16,2026-03-01,2026-04-01,UKAS\n" * 5)

    # when
    result = check("--csv", str(declaration), "--server", base_url, "--output", "json")

    # then: every line is decided, in order
    assert result.returncode == 0, result.stderr
    assert [item["decision"]["reason"] for item in json.loads(result.stdout)] == ["ARRANGEMENT_ROUTE"] * 5


def test_codes_in_any_case_against_a_server(server):
    # given: S03 typed in lower case (issuer, body, economies, type) with a dotted HS code, and DE's DAkkS
    # typed in upper case although the registry spells it in mixed case
    typed = ["--exporter", "fr", "--importer", "jp", "--hs", "0406.90", "--lot", "A1", "--type", "testing",
             "--issuer", "l02", "--issued", "2025-08-10", "--date", "2025-09-15",
             "--tests", "ISO 11290-1,ISO 6579-1,ISO 14501", "--accreditation-body", "cofrac"]
    dakks = ["--exporter", "DE", "--importer", "JP", "--hs", "040690", "--lot", "A1", "--type", "TESTING",
             "--issuer", "l19", "--accreditation-body", "DAKKS", "--issued", "2025-08-10", "--date", "2025-09-15",
             "--tests", "ISO 11290-1,ISO 6579-1,ISO 14501"]
    # when
    lower = check(*typed, "--server", server.base_url, "--json")
    exact = check(*S03, "--server", server.base_url, "--json")
    mixed = check(*dakks, "--server", server.base_url, "--json")
    # then: the same decisions as with the registry's spelling
    assert lower.returncode == 0, lower.stderr
    assert json.loads(lower.stdout) == json.loads(exact.stdout)
    assert mixed.returncode == 0, mixed.stderr
    assert any(link["record"].startswith("DAkkS in ILAC_MRA") for link in json.loads(mixed.stdout)["path"])


def test_a_semicolon_declaration_with_a_bad_line_against_a_server(server, tmp_path):
    # given: a spreadsheet's semicolon CSV, tests separated by commas, one line naming UK
    declaration = tmp_path / "declaration.csv"
    declaration.write_text(
        "exporter;importer;hs_code;lot;type;issuer;issue_date;clearance_date;accreditation_body;tests\n"
        "GB;JP;040690;A1;TESTING;L16;2026-03-01;2026-04-01;UKAS;ISO 11290-1,ISO 6579-1,ISO 14501\n"
        "UK;JP;040690;A1;TESTING;L16;2026-03-01;2026-04-01;UKAS;\n"
        "FR;DE;0406 90;;;;;2026-09-01;;\n")
    # when
    result = check("--csv", str(declaration), "--server", server.base_url, "--output", "json")
    # then: the good lines are decided by the server, the bad one reported with its line number
    assert result.returncode == 3
    items = json.loads(result.stdout)
    assert [item["outcome"] for item in items] == ["RECOGNISED", "ERROR", "NOT_REQUIRED"]
    assert items[0]["input"]["attestation"]["tests"] == ["ISO 11290-1", "ISO 6579-1", "ISO 14501"]
    assert "CSV line 3: exporter: 'UK'" in result.stderr and "did you mean GB" in items[1]["error"]
