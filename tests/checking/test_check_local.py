"""`mra-registry check` against the local database: verdicts, text/JSON/CSV, exit codes, errors."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

S03 = ["--exporter", "FR", "--importer", "JP", "--hs", "040690", "--lot", "A-1", "--type", "TESTING",
       "--issuer", "L02", "--issued", "2025-08-10", "--date", "2025-09-15",
       "--tests", "ISO 11290-1,ISO 6579-1,ISO 14501", "--accreditation-body", "COFRAC"]


def check(db_url, *args, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "mra_registry", "--database", db_url, "check", *args],
                          capture_output=True, text=True, input=stdin, timeout=120)


@pytest.fixture
def loaded(scenario_engine, db_url):
    return db_url


def test_recognised_prints_verdict_path_and_exits_0(loaded):
    result = check(loaded, *S03)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("RECOGNISED")
    assert "ARRANGEMENT ILAC_MRA" in result.stdout
    assert "SIGNATORY_STATUS: COFRAC in ILAC_MRA" in result.stdout
    assert "Registry version 1" in result.stdout


def test_json_has_the_api_shape(loaded):
    result = check(loaded, *S03, "--json")
    decision = json.loads(result.stdout)
    assert decision["outcome"] == "RECOGNISED" and decision["reason"] == "ARRANGEMENT_ROUTE"
    assert decision["route"]["arrangement"]["code"] == "ILAC_MRA"
    assert decision["policy"]["code"] == "P-JP-0406"


@pytest.mark.parametrize("args, status, outcome", [
    (["--exporter", "NZ", "--importer", "JP", "--hs", "040690", "--lot", "L", "--type", "TESTING", "--issuer", "L01",
      "--issued", "2025-08-10", "--date", "2025-09-01"], 1, "RETEST_REQUIRED"),
    (["--exporter", "FR", "--importer", "JP", "--hs", "040690", "--type", "TESTING", "--issuer", "L14",
      "--accreditation-body", "GASB", "--issued", "2026-05-01", "--date", "2026-05-20"], 2, "INVALID"),
    (["--exporter", "FR", "--importer", "JP", "--hs", "040690", "--lot", "A-1", "--type", "TESTING", "--issuer",
      "LAB-X-9999", "--issued", "2026-05-01", "--date", "2026-05-20"], 4, "UNDETERMINED"),
    (["--exporter", "FR", "--importer", "JP", "--hs", "220300", "--date", "2026-09-01"], 4, "UNDETERMINED"),
    (["--exporter", "FR", "--importer", "JP", "--hs", "380110", "--date", "2026-09-01"], 0, "NOT_REQUIRED"),
    (["--exporter", "FR", "--importer", "DE", "--hs", "040690", "--date", "2026-09-01"], 0, "NOT_REQUIRED"),
])
def test_exit_status_follows_the_outcome(loaded, args, status, outcome):
    result = check(loaded, *args, "--json")
    assert result.returncode == status, result.stderr
    assert json.loads(result.stdout)["outcome"] == outcome


@pytest.mark.parametrize("args, fragment", [
    (["--exporter", "XX", "--importer", "JP", "--hs", "040690"], "--exporter: 'XX'"),
    (["--exporter", "FR", "--importer", "JP", "--hs", "04A690"], "--hs: '04A690'"),
    (["--exporter", "FR", "--importer", "JP", "--hs", "040690", "--type", "TESTING", "--issuer", "L02",
      "--issued", "2025-02-30"], "--issued: '2025-02-30'"),
    (["--exporter", "FR", "--importer", "JP", "--hs", "040690", "--type", "TESTING"], "type, issuer and issue date"),
    (["--importer", "JP"], "missing --exporter"),
])
def test_bad_input_is_an_error_with_exit_3(loaded, args, fragment):
    result = check(loaded, *args)
    assert result.returncode == 3
    assert fragment in result.stderr and result.stdout == ""


def test_csv_declaration_gives_a_csv_of_verdicts_and_the_worst_status(loaded, tmp_path):
    declaration = tmp_path / "declaration.csv"
    declaration.write_text(
        "exporter,importer,hs_code,lot,type,issuer,issue_date,clearance_date,tests,accreditation_body\n"
        "FR,JP,040690,A1,TESTING,L02,2025-08-10,2025-09-15,ISO 11290-1;ISO 6579-1;ISO 14501,COFRAC\n"
        "FR,DE,040690,,,,,2026-09-01,,\n"
        "NZ,JP,040690,B2,TESTING,L01,2025-08-10,2025-09-01,,IANZ\n")
    result = check(loaded, "--csv", str(declaration))
    assert result.returncode == 1, result.stderr
    rows = result.stdout.strip().splitlines()
    assert rows[0].startswith("line,exporter,importer")
    assert [row.split(",")[8] for row in rows[1:]] == ["RECOGNISED", "NOT_REQUIRED", "RETEST_REQUIRED"]
    as_json = json.loads(check(loaded, "--csv", str(declaration), "--output", "json").stdout)
    assert [item["decision"]["reason"] for item in as_json] == ["ARRANGEMENT_ROUTE", "INTRA_UNION", "OUT_OF_SCOPE"]


@pytest.mark.parametrize("content, fragment", [
    ("", "empty"),
    ("exporter,importer\nFR,JP\n", "missing: hs_code"),
    ("exporter,importer,hs_code,colour\nFR,JP,040690,red\n", "unknown: colour"),
    ("exporter,importer,hs_code\n", "no consignment lines"),
])
def test_a_malformed_csv_header_is_an_error_with_exit_3_and_no_output(loaded, tmp_path, content, fragment):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    result = check(loaded, "--csv", str(path))
    assert result.returncode == 3
    assert fragment in result.stderr and result.stdout == ""


def test_a_missing_database_is_an_error_not_a_guess(tmp_path):
    result = check(f"sqlite:///{tmp_path / 'nothing.sqlite3'}", *S03)
    assert result.returncode == 3
    assert f"no registry database at {tmp_path / 'nothing.sqlite3'}" in result.stderr
    assert not (tmp_path / "nothing.sqlite3").exists()


def test_a_database_without_the_registry_is_an_error_without_sql(new_empty_file):
    result = check(f"sqlite:///{new_empty_file}", *S03)
    assert result.returncode == 3
    assert "cannot read the registry database at" in result.stderr and "mra-registry migrate" in result.stderr
    assert "SELECT" not in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def new_empty_file(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    return path


def test_undetermined_says_what_to_verify_and_exits_4(loaded):
    result = check(loaded, "--exporter", "ES", "--importer", "GB", "--hs", "040690", "--lot", "A-1", "--type",
                   "INSPECTION", "--issuer", "L22", "--accreditation-body", "ENAC", "--issued", "2025-03-01",
                   "--date", "2025-03-20")
    assert result.returncode == 4, result.stderr
    assert result.stdout.startswith("UNDETERMINED")
    assert "Before acting, verify:" in result.stdout and "STATUS_NOT_RECORDED" in result.stdout
    assert "Assurance:   FIXTURE" in result.stdout


@pytest.mark.parametrize("minimum, status", [(None, 0), ("fixture", 0), ("UNCONFIRMED", 4), ("CONFIRMED", 4)])
def test_min_assurance_turns_a_positive_verdict_resting_on_weaker_facts_into_4(loaded, minimum, status):
    extra = ["--min-assurance", minimum] if minimum else []
    result = check(loaded, *S03, "--json", *extra)
    assert result.returncode == status, result.stderr
    decision = json.loads(result.stdout)
    assert (decision["outcome"], decision["assurance"]) == ("RECOGNISED", "FIXTURE")


def test_min_assurance_never_turns_a_negative_verdict_into_4(loaded):
    result = check(loaded, "--exporter", "NZ", "--importer", "JP", "--hs", "040690", "--lot", "L", "--type",
                   "TESTING", "--issuer", "L01", "--issued", "2025-08-10", "--date", "2025-09-01",
                   "--min-assurance", "CONFIRMED")
    assert result.returncode == 1


def test_csv_output_has_assurance_and_checks(loaded, tmp_path):
    declaration = tmp_path / "d.csv"
    declaration.write_text(
        "exporter,importer,hs_code,lot,clearance_date,type,issuer,issue_date,accreditation_body,tests\n"
        "FR,JP,040690,A-1,2026-05-20,TESTING,LAB-X-9999,2026-05-01,,\n"
        "NZ,JP,040690,L,2025-09-01,TESTING,L01,2025-08-10,IANZ,\n")
    result = check(loaded, "--csv", str(declaration))
    assert result.returncode == 1, result.stderr  # a retest is more serious than a line to verify
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["outcome"], r["assurance"]) for r in rows] == [("UNDETERMINED", "FIXTURE"), ("RETEST_REQUIRED", "FIXTURE")]
    assert rows[0]["checks"].startswith("CAB_NOT_RECORDED: Verify LAB-X-9999")


def test_several_documents_with_repeatable_document_options(loaded):
    # S03's test report, plus an inspection report no requirement of P-JP-0406 uses
    result = check(loaded, *S03, "--document", "type=INSPECTION", "issuer=L08", "issued=2025-08-01", "--json")
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["outcome"] == "RECOGNISED"
    assert [w["code"] for w in decision["warnings"]] == ["ATTESTATION_NOT_REQUIRED"]
    assert [r["kind"] for r in decision["routes"]] == ["ARRANGEMENT"]


@pytest.mark.parametrize("words, fragment", [
    (["type=TESTING", "issuer=L02"], "type, issuer and issue date together"),
    (["type=TESTING", "issuer=L02", "issued=2025-02-30"], "--document #1 issued: '2025-02-30'"),
    (["kind=TESTING"], "KEY=VALUE"),
])
def test_a_bad_document_option_is_an_error_naming_it(loaded, words, fragment):
    result = check(loaded, "--exporter", "FR", "--importer", "JP", "--hs", "040690", "--document", *words)
    assert result.returncode == 3 and fragment in result.stderr, result.stderr


def test_a_csv_line_may_present_several_documents(loaded, tmp_path):
    declaration = tmp_path / "d.csv"
    declaration.write_text(
        "exporter,importer,hs_code,lot,clearance_date,type,issuer,issue_date,tests,type_2,issuer_2,issue_date_2\n"
        "FR,JP,040690,A-1,2025-09-15,TESTING,L02,2025-08-10,ISO 11290-1;ISO 6579-1;ISO 14501,"
        "INSPECTION,L08,2025-08-01\n"
        "FR,JP,040690,A-1,2025-09-15,TESTING,L02,2025-08-10,,,,\n")
    result = check(loaded, "--csv", str(declaration), "--output", "json")
    assert result.returncode == 0, result.stderr
    lines = json.loads(result.stdout)
    assert [len(line["input"].get("attestations", [line["input"].get("attestation")])) for line in lines] == [2, 1]
    assert [w["code"] for w in lines[0]["decision"]["warnings"]] == ["ATTESTATION_NOT_REQUIRED"]
    assert lines[1]["decision"]["warnings"] == []
