"""`mra-registry check` as a new user meets it (issue 13): the help's examples answer what they claim, codes in
any case, HS codes with separators, UK/EL hints, messages naming the flags or CSV columns typed, a declaration
whose bad lines do not stop the good ones, semicolon- and tab-separated CSV, no stray database (from `check` nor
from any other command that needs one: export, list-tokens, load …), `| head`."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mra_registry.checking.command import HELP
from mra_registry.checking.lines import case_insensitive, read_csv, sniff_delimiter

S03 = ["--exporter", "FR", "--importer", "JP", "--hs", "040690", "--lot", "A-1", "--type", "TESTING",
       "--issuer", "L02", "--issued", "2025-08-10", "--date", "2025-09-15",
       "--tests", "ISO 11290-1,ISO 6579-1,ISO 14501", "--accreditation-body", "COFRAC"]
HEADER = "exporter,importer,hs_code,lot,clearance_date,type,issuer,issue_date,tests,accreditation_body"
S03_ROW = "FR,JP,040690,A1,2025-09-15,TESTING,L02,2025-08-10,ISO 11290-1;ISO 6579-1;ISO 14501,COFRAC"


def check(db_url, *args, stdin: str | None = None, cwd=None, env=None):
    database = ["--database", db_url] if db_url else []
    return subprocess.run([sys.executable, "-m", "mra_registry", *database, "check", *args], capture_output=True,
                          text=True, input=stdin, timeout=120, cwd=cwd, env=env)


@pytest.fixture
def loaded(scenario_engine, db_url):
    return db_url


# -- 1. the help's examples ---------------------------------------------------------------------------------

def help_examples() -> list[tuple[str, list[str], int, str]]:
    """(title, expected outcomes, expected exit status, shell text) of each example of `check --help`."""
    examples = []
    lines = HELP.splitlines()
    for index, line in enumerate(lines):
        claim = re.search(r"\(([A-Z_]+(?: and [A-Z_]+)*), exit (\d)\):$", line)
        if not claim:
            continue
        body = []
        for following in lines[index + 1:]:
            if not following.startswith("  "):
                break
            body.append(following)
        examples.append((line, claim.group(1).split(" and "), int(claim.group(2)), "\n".join(body)))
    return examples


def test_the_help_has_runnable_examples_with_their_verdicts():
    titles = [title for title, *_ in help_examples()]
    assert len(titles) == 3, titles
    assert all("--lot" in text for _, _, _, text in help_examples() if "mra-registry check --exporter" in text)
    assert "demo database" in HELP and "sqlite:///demo.sqlite3" in HELP


@pytest.mark.parametrize("title, outcomes, status, text", help_examples(), ids=lambda v: str(v)[:30])
def test_each_help_example_answers_what_it_claims(loaded, tmp_path, title, outcomes, status, text):
    # given: the database of the README's demo (scenarios.json), an empty folder, the installed command
    env = {**os.environ, "MRA_DATABASE_URL": loaded,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    # when: the example runs as printed
    result = subprocess.run(["bash", "-c", text], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    # then: it answers the verdicts and the exit status its title claims
    assert result.returncode == status, result.stderr
    if (tmp_path / "verdicts.csv").exists():
        rows = list(csv.DictReader(io.StringIO((tmp_path / "verdicts.csv").read_text())))
        assert [row["outcome"] for row in rows] == outcomes
    else:
        assert [result.stdout.split(":", 1)[0]] == outcomes
    assert "LOT_MISMATCH" not in result.stdout


def test_the_help_page_is_printed(loaded):
    result = check(loaded, "--help")
    assert result.returncode == 0 and "One consignment (RECOGNISED, exit 0):" in result.stdout


# -- 2. codes in any case, HS codes with separators, UK and EL ---------------------------------------------

def test_codes_are_read_in_any_case(loaded):
    # given: S03 typed in lower case throughout, with a dotted HS code
    typed = ["--exporter", "fr", "--importer", "jp", "--hs", "0406.90", "--lot", "A-1", "--type", "testing",
             "--issuer", "l02", "--issued", "2025-08-10", "--date", "2025-09-15",
             "--tests", "ISO 11290-1,ISO 6579-1,ISO 14501", "--accreditation-body", "cofrac", "--json"]
    # when
    lower, upper = check(loaded, *typed), check(loaded, *S03, "--json")
    # then: the same decision as S03 as the registry spells it
    assert lower.returncode == 0, lower.stderr
    assert json.loads(lower.stdout) == json.loads(upper.stdout)


def test_a_mixed_case_body_code_is_found_ignoring_case(loaded):
    # DAkkS is spelled in mixed case by the registry itself: upper-casing every code would lose it
    result = check(loaded, "--exporter", "DE", "--importer", "JP", "--hs", "040690", "--lot", "A1", "--type",
                   "TESTING", "--issuer", "l19", "--accreditation-body", "DAKKS", "--issued", "2025-08-10",
                   "--date", "2025-09-15", "--tests", "ISO 11290-1,ISO 6579-1,ISO 14501", "--json")
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["outcome"] == "RECOGNISED"
    assert any(link["record"].startswith("DAkkS in ILAC_MRA") for link in decision["path"])


def test_case_insensitive_resolution_keeps_exact_and_ambiguous_codes():
    resolve = case_insensitive(["L02", "DAkkS", "Ab", "AB"])
    assert [resolve(c) for c in ("l02", "dakks", "DAKKS", "Ab", "ab", "nope")] == ["L02", "DAkkS", "DAkkS", "Ab",
                                                                                    "ab", "nope"]


@pytest.mark.parametrize("hs", ["0406.90", "0406 90", "0406-90", " 040690 "])
def test_hs_codes_with_dots_spaces_or_hyphens_are_read(loaded, hs):
    result = check(loaded, "--exporter", "FR", "--importer", "DE", "--hs", hs, "--date", "2026-09-01", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outcome"] == "NOT_REQUIRED"


@pytest.mark.parametrize("hs", ["04A690", "0406.9O", "0406", "HS040690"])
def test_hs_codes_with_letters_or_too_few_digits_are_refused_naming_the_flag(loaded, hs):
    result = check(loaded, "--exporter", "FR", "--importer", "DE", "--hs", hs)
    assert result.returncode == 3 and result.stdout == ""
    assert result.stderr.startswith(f"error: --hs: {hs!r} is not an HS code")


@pytest.mark.parametrize("flag, code, hint", [("--exporter", "UK", "did you mean GB"),
                                              ("--importer", "uk", "did you mean GB"),
                                              ("--importer", "EL", "did you mean GR")])
def test_uk_and_el_are_refused_with_the_iso_code_to_use(loaded, flag, code, hint):
    args = {"--exporter": "FR", "--importer": "JP"}
    args[flag] = code
    result = check(loaded, "--exporter", args["--exporter"], "--importer", args["--importer"], "--hs", "040690")
    assert result.returncode == 3
    assert f"{flag}: {code!r} is not an ISO 3166-1 alpha-2 country code; {hint}" in result.stderr


# -- 3. messages name what the user typed -----------------------------------------------------------------

@pytest.mark.parametrize("extra, message", [
    (["--date", "2025-13-01"], "error: --date: '2025-13-01' is not a date"),
    (["--type", "TESTNG", "--issuer", "L02", "--issued", "2025-08-10"], "error: --type: 'TESTNG' is not one of"),
    (["--type", "TESTING", "--issuer", "L02", "--issued", "10/08/2025"], "error: --issued: '10/08/2025'"),
    (["--type", "TESTING"], "together: --issuer, --issued missing"),
    (["--document", "type=TESTING", "issuer=L02", "issued=2025-08-10", "--document", "type=TESTING",
      "issuer=L02", "issued=x"], "--document #2 issued: 'x' is not a date"),
    (["--lot", "A\x07", "--type", "TESTING", "--issuer", "L02", "--issued", "2025-08-10"],
     "error: --lot: 'A\\x07' holds a control character (U+0007 at position 1)"),
    (["--document", "type=TESTING", "issuer=L02", "issued=2025-08-10", "number=N\x0b1"],
     "--document #1 number: 'N\\x0b1' holds a control character"),
])
def test_messages_name_the_flags_typed(loaded, extra, message):
    result = check(loaded, "--exporter", "FR", "--importer", "JP", "--hs", "040690", *extra)
    assert result.returncode == 3 and result.stdout == ""
    assert message in result.stderr
    assert "hs_code" not in result.stderr and "issue_date" not in result.stderr


@pytest.mark.parametrize("row, message", [
    ("FR,JP,04A690,,,,,,,", "CSV line 2: hs_code: '04A690'"),
    ("FR,JP,040690,,2025-13-01,,,,,", "CSV line 2: clearance_date: '2025-13-01'"),
    ("FR,JP,040690,,,TESTING,L02,10/08/2025,,", "CSV line 2: issue_date: '10/08/2025'"),
    ("FR,JP,040690,,,TESTING,,,,", "CSV line 2: a document needs its type, issuer and issue date together: "
                                   "issuer, issue_date missing"),
    ("FR,JP,040690,A\x011,,TESTING,L02,2025-08-10,,", "CSV line 2: lot: 'A\\x011' holds a control character "
                                                    "(U+0001 at position 1)"),
    ("FR,JP,040690,,,TESTING,L\x0002,2025-08-10,,", "CSV line 2: issuer: 'L\\x0002' holds a control character"),
    ("FR,JP,040690,,,TESTING,L02,2025-08-10,ISO 1;ISO\x1b2,", "CSV line 2: tests: 'ISO\\x1b2' holds a control"),
    ("FR,JP,040690,,,TESTING,L02,2025-08-10,,COF\x7fRAC", "CSV line 2: accreditation_body: 'COF\\x7fRAC' holds"),
])
def test_messages_name_the_csv_column_and_line(loaded, row, message):
    result = check(loaded, "--csv", "-", stdin=f"{HEADER}\n{row}\n")
    assert result.returncode == 3
    assert message in result.stderr and "--" not in result.stderr.split("CSV line 2")[1]


# -- 4. a bad line does not stop the others -------------------------------------------------------------------

DECLARATION = (f"{HEADER}\n{S03_ROW}\n"
               "UK,JP,040690,,,,,,,\n"                       # line 3: UK
               "FR,DE,040690,,2026-09-01,,,,,\n"               # line 4: NOT_REQUIRED
               "\n"                                            # line 5: blank, skipped
               "FR,JP,0406,,,,,,,\n"                           # line 6: too short an HS code
               "NZ,JP,040690,B2,2025-09-01,TESTING,L01,2025-08-10,,IANZ\n")  # line 7: RETEST_REQUIRED
ERRORS = ["CSV line 3: exporter: 'UK' is not an ISO 3166-1 alpha-2 country code; did you mean GB",
          "CSV line 6: hs_code: '0406' is not an HS code"]


def test_every_good_line_is_decided_and_every_bad_line_reported_in_csv(loaded):
    result = check(loaded, "--csv", "-", stdin=DECLARATION)
    assert result.returncode == 3  # any bad line makes the declaration an error
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["line"], r["outcome"]) for r in rows] == [("1", "RECOGNISED"), ("2", "ERROR"), ("3", "NOT_REQUIRED"),
                                                         ("4", "ERROR"), ("5", "RETEST_REQUIRED")]
    assert rows[1]["explanation"].startswith(ERRORS[0]) and rows[3]["explanation"].startswith(ERRORS[1])
    assert (rows[1]["exporter"], rows[3]["hs_code"]) == ("UK", "0406")  # what was read
    stderr = result.stderr.splitlines()
    assert len(stderr) == 2 and all(line.startswith(f"error: {e}") for line, e in zip(stderr, ERRORS))


def test_every_good_line_is_decided_and_every_bad_line_reported_in_json(loaded):
    result = check(loaded, "--csv", "-", "--output", "json", stdin=DECLARATION)
    assert result.returncode == 3
    items = json.loads(result.stdout)
    assert [(i["line"], i["csvLine"], i["outcome"]) for i in items] == [
        (1, 2, "RECOGNISED"), (2, 3, "ERROR"), (3, 4, "NOT_REQUIRED"), (4, 6, "ERROR"), (5, 7, "RETEST_REQUIRED")]
    assert items[1]["error"].startswith(ERRORS[0]) and items[1]["decision"] is None
    assert items[0]["decision"]["reason"] == "ARRANGEMENT_ROUTE"


def test_every_good_line_is_decided_and_every_bad_line_reported_in_text(loaded):
    result = check(loaded, "--csv", "-", "--output", "text", stdin=DECLARATION)
    assert result.returncode == 3
    blocks = result.stdout.strip().split("\n\n")
    assert [block.split(":", 1)[0] for block in blocks] == ["RECOGNISED", "ERROR", "NOT REQUIRED", "ERROR",
                                                            "RETEST REQUIRED"]
    assert blocks[1].startswith(f"ERROR: {ERRORS[0]}") and blocks[3].startswith(f"ERROR: {ERRORS[1]}")
    assert [e for e in ERRORS if e in result.stderr] == ERRORS


def test_a_declaration_of_only_bad_lines_reports_every_one(loaded):
    result = check(loaded, "--csv", "-", stdin=f"{HEADER}\nUK,JP,040690,,,,,,,\nFR,JP,0406,,,,,,,\n"
                                               "FR,JP,040690,extra,,,,,,,,\n")
    assert result.returncode == 3
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["outcome"] for r in rows] == ["ERROR"] * 3
    assert [line.split(":")[1].strip() for line in result.stderr.splitlines()] == ["CSV line 2", "CSV line 3",
                                                                                  "CSV line 4"]
    assert "more cells than header columns" in rows[2]["explanation"]


def test_a_csv_line_spanning_lines_is_reported_by_the_line_it_starts_on(loaded):
    text = f'{HEADER}\nFR,DE,040690,"A\nB",2026-09-01,,,,,\n\nUK,JP,040690,,,,,,,\n'
    result = check(loaded, "--csv", "-", stdin=text)
    assert "CSV line 5: exporter: 'UK'" in result.stderr


def test_a_good_declaration_still_exits_with_its_worst_verdict(loaded):
    result = check(loaded, "--csv", "-", stdin=f"{HEADER}\n{S03_ROW}\nFR,DE,040690,,2026-09-01,,,,,\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


# -- 5. semicolon- and tab-separated declarations ---------------------------------------------------------

def test_a_semicolon_separated_declaration_with_comma_separated_tests(loaded):
    text = (HEADER.replace(",", ";") + "\n"
            "FR;JP;0406.90;A1;2025-09-15;TESTING;L02;2025-08-10;ISO 11290-1,ISO 6579-1,ISO 14501;COFRAC\n"
            "FR;JP;040690;A1;2025-09-15;TESTING;L02;2025-08-10;ISO 11290-1|ISO 6579-1|ISO 14501;COFRAC\n"
            "FR;JP;040690;A1;2025-09-15;TESTING;L02;2025-08-10;ISO 11290-1,ISO 6579-1;COFRAC\n")
    result = check(loaded, "--csv", "-", "--output", "json", stdin=text)
    items = json.loads(result.stdout)
    assert [i["input"]["attestation"]["tests"] for i in items] == [["ISO 11290-1", "ISO 6579-1", "ISO 14501"]] * 2 + [
        ["ISO 11290-1", "ISO 6579-1"]]
    assert [i["outcome"] for i in items] == ["RECOGNISED", "RECOGNISED", "RETEST_REQUIRED"]
    assert result.returncode == 1, result.stderr


def test_a_comma_separated_declaration_with_semicolon_or_bar_separated_tests(loaded):
    text = (f"{HEADER}\n{S03_ROW}\n"
            '"FR","JP","040690","A1","2025-09-15","TESTING","L02","2025-08-10","ISO 11290-1|ISO 6579-1|ISO 14501",'
            '"COFRAC"\n')
    items = json.loads(check(loaded, "--csv", "-", "--output", "json", stdin=text).stdout)
    assert [i["input"]["attestation"]["tests"] for i in items] == [["ISO 11290-1", "ISO 6579-1", "ISO 14501"]] * 2
    assert [i["outcome"] for i in items] == ["RECOGNISED"] * 2


def test_a_tab_separated_declaration_with_a_byte_order_mark(loaded, tmp_path):
    path = tmp_path / "d.tsv"
    path.write_text("\ufeff" + HEADER.replace(",", "\t") + "\n" + S03_ROW.replace(",", "\t") + "\n", encoding="utf-8")
    result = check(loaded, "--csv", str(path))
    assert result.returncode == 0, result.stderr
    assert list(csv.DictReader(io.StringIO(result.stdout)))[0]["outcome"] == "RECOGNISED"


@pytest.mark.parametrize("header, delimiter", [
    ("exporter,importer,hs_code", ","), ("exporter;importer;hs_code", ";"), ("exporter\timporter\ths_code", "\t"),
    ("exporter;importer;hs_code;tests,more", ";"), ("exporter", ","), ("", ","),
])
def test_the_delimiter_is_read_from_the_header(header, delimiter):
    assert sniff_delimiter(header + "\nFR,JP,040690\n") == delimiter


def test_an_unknown_column_names_the_delimiter_read():
    from mra_registry.checking.lines import CheckError

    with pytest.raises(CheckError, match=r"semicolon-separated.*unknown: colour"):
        read_csv("exporter;importer;hs_code;colour\nFR;JP;040690;red\n")


# -- 6. no stray database, no SQL, a reader that goes away --------------------------------------------------

def test_outside_the_repository_check_creates_no_database_and_says_what_to_do(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MRA_DATABASE_URL"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    result = check(None, *S03, cwd=tmp_path, env=env)
    assert result.returncode == 3
    assert result.stderr.startswith(f"error: no registry database at {tmp_path / 'mra-registry.sqlite3'}: run "
                                    "`mra-registry migrate` and `mra-registry load")
    assert "--server" in result.stderr
    assert "SELECT" not in result.stderr and "Traceback" not in result.stderr and result.stdout == ""
    assert list(tmp_path.iterdir()) == []


# Every command that needs an existing database refuses a SQLite file that is not there, and leaves none: SQLite
# makes the file on connecting, so these commands used to leave an empty database behind and fail with a traceback.
NEEDS_A_DATABASE = [
    ["export"], ["export", "registry.json"], ["list-tokens"], ["revoke-token", "1"],
    ["create-token", "--role", "ADMINISTRATOR"], ["load", str(Path(__file__).resolve().parents[2] / "data" / "fixtures"
                                                              / "scenarios.json")],
    ["fetch-status-list", "https://status.example/list", "--cab", "L02"],
]


@pytest.mark.parametrize("command", NEEDS_A_DATABASE, ids=lambda command: " ".join(command)[:30])
def test_a_command_on_a_missing_sqlite_file_refuses_and_creates_none(command, tmp_path, monkeypatch, capsys):
    from mra_registry.cli import main

    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "nowhere" / "registry.sqlite3"
    assert main(["--database", f"sqlite:///{missing}", *command]) == 3
    out, err = capsys.readouterr()
    assert err == (f"error: no registry database at {missing}: create it with `mra-registry migrate` (then "
                   "`mra-registry load FILE…`), or name another database with --database or MRA_DATABASE_URL\n")
    assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_the_default_database_file_is_not_created_either(tmp_path, monkeypatch, capsys):
    from mra_registry.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MRA_DATABASE_URL", raising=False)
    assert main(["list-tokens"]) == 3
    assert capsys.readouterr().err.startswith(f"error: no registry database at {tmp_path / 'mra-registry.sqlite3'}: ")
    monkeypatch.setenv("MRA_DATABASE_URL", f"sqlite:///{tmp_path / 'named.sqlite3'}")
    assert main(["export"]) == 3
    assert capsys.readouterr().err.startswith(f"error: no registry database at {tmp_path / 'named.sqlite3'}: ")
    assert list(tmp_path.iterdir()) == []


def test_verify_receipt_refuses_a_missing_database_to_reproduce_on(tmp_path, monkeypatch, capsys):
    from mra_registry.cli import main

    monkeypatch.chdir(tmp_path)
    receipt = tmp_path / "receipt.json"
    receipt.write_text("{}")
    assert main(["verify-receipt", str(receipt), "--database", "sqlite:///gone.sqlite3"]) == 3
    assert capsys.readouterr().err.startswith(f"error: no registry database at {tmp_path / 'gone.sqlite3'}: ")
    assert list(tmp_path.iterdir()) == [receipt]


def test_export_and_list_tokens_still_read_an_existing_database(loaded, capsys):
    from mra_registry.cli import main

    assert main(["--database", loaded, "export"]) == 0
    assert json.loads(capsys.readouterr().out)["format"]
    assert main(["--database", loaded, "create-token", "--role", "ADMINISTRATOR", "--label", "test"]) == 0
    capsys.readouterr()
    assert main(["--database", loaded, "list-tokens"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 1 and listed[0].split("\t")[1:3] == ["ADMINISTRATOR", "-"]


def test_a_reader_that_goes_away_ends_the_command_quietly(loaded):
    # given: a reader that closes the pipe before anything is written (`check … | head -0`)
    process = subprocess.Popen([sys.executable, "-m", "mra_registry", "--database", loaded, "check", *S03],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.close()
    # when
    _, stderr = process.communicate(timeout=120)
    # then: no traceback, the shell's status for a broken pipe
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr and stderr == ""
    assert process.returncode == 141


def test_head_dash_1_ends_quietly(loaded, tmp_path):
    declaration = tmp_path / "d.csv"
    declaration.write_text("exporter,importer,hs_code,clearance_date\n" + "FR,DE,040690,2026-09-01\n" * 2000)
    command = (f"set -o pipefail; {sys.executable} -m mra_registry --database '{loaded}' check --csv '{declaration}'"
               " --output text | head -1")
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert result.stdout.startswith("NOT REQUIRED")
    assert result.stderr == ""
    assert result.returncode in (0, 141)
