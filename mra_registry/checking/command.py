"""The `check` sub-command: options or a CSV in; text, JSON or CSV out; an exit status a shipping workflow
can gate on: 0 recognised or not required, 1 retest required, 2 invalid, 3 error, 4 undetermined."""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import signal
import sys
import textwrap
from typing import Any

from . import credential_option
from .lines import CSV_COLUMNS, FLAG_NAMES, CheckError, Entry, document_of_spec, make_line, read_csv, split_tests
from .render import render_text, route_text

EXIT_BY_OUTCOME = {"RECOGNISED": 0, "NOT_REQUIRED": 0, "RETEST_REQUIRED": 1, "INVALID": 2, "UNDETERMINED": 4}
EXIT_ERROR = 3
EXIT_UNDETERMINED = 4
EXIT_BROKEN_PIPE = 128 + getattr(signal, "SIGPIPE", 13)  # what a shell reports for a writer whose reader went away
ERROR = "ERROR"  # the outcome shown for a line that could not be decided
# For a declaration, the most serious line decides: an error, then an invalid document, then a retest, then a
# line a person must verify, then clear lines.
_SEVERITY = {0: 0, EXIT_UNDETERMINED: 1, 1: 2, 2: 3, EXIT_ERROR: 4}
ASSURANCE_LEVELS = ("CONFIRMED", "UNCONFIRMED", "FIXTURE")  # strongest first
POSITIVE = ("RECOGNISED", "NOT_REQUIRED")

HELP = """\
Decide whether an imported document is recognised or must be redone, and why.

The examples answer as shown on the demo database of the README (the invented scenario fixtures:
mra-registry --database sqlite:///demo.sqlite3 migrate, then load data/fixtures/scenarios.json, and give
--database sqlite:///demo.sqlite3 before `check`, or set MRA_DATABASE_URL=sqlite:///demo.sqlite3).

One consignment (RECOGNISED, exit 0):
  mra-registry check --exporter FR --importer JP --hs 040690 --lot A1 --type TESTING --issuer L02 \\
      --issued 2025-08-10 --date 2025-09-15 --tests "ISO 11290-1,ISO 6579-1,ISO 14501"
Several documents, an official certificate and a laboratory report (RECOGNISED, exit 0):
  mra-registry check --exporter EG --importer FR --hs 120242 --lot B7 --date 2026-03-01 \\
      --document type=OFFICIAL_CERTIFICATE issuer=AUTH-EG issued=2026-02-01 \\
      --document type=TESTING issuer=LAB-EG-0042 issued=2026-01-20 tests=AFLATOXINS-B1-TOTAL
A declaration (RECOGNISED and RETEST_REQUIRED, exit 1):
  printf '%s\\n' 'exporter,importer,hs_code,lot,clearance_date,type,issuer,issue_date,tests' \\
      'FR,JP,040690,A1,2025-09-15,TESTING,L02,2025-08-10,ISO 11290-1;ISO 6579-1;ISO 14501' \\
      'NZ,JP,040690,B2,2025-09-01,TESTING,L01,2025-08-10,' > declaration.csv
  mra-registry check --csv declaration.csv --output csv > verdicts.csv
Against a running server instead of the local database: add --server http://host:8000

Input. Codes are read in any case: economies (fr), document types (testing), issuers (l02) and
accreditation bodies (cofrac, dakks) are matched to the registry's codes ignoring case; a code the registry
does not hold is sent as typed (with --server, an issuer is found as typed or upper-cased). An HS code is 6
to 10 digits; dots, spaces and hyphens between them are ignored (0406.90, "0406 90", 0406-90). Economies
are ISO 3166-1 alpha-2: GB, not UK; GR, not EL.

A declaration is a CSV file with a header row, comma-, semicolon- or tab-separated (the delimiter is
read from the header). Columns:
COLUMNS
Tests within a cell are separated by '|' or, in a comma- or tab-separated file, by ';', in a
semicolon-separated file, by ','. A further document of the same line goes in the same columns suffixed
_2, _3, … (type_2, issuer_2, issue_date_2, tests_2).
A bad line does not stop the others: every good line is decided, and each bad one is reported with its
line number (on standard error, and in the output as an ERROR line, row or object).

Exit status: 0 recognised or not required, 1 retest required, 2 invalid document, 3 error (bad input,
no database, unreachable server; for a declaration, any bad line), 4 undetermined: the registry lacks a
fact the decision needs (the output lists what to verify). With --min-assurance CONFIRMED, a positive
verdict that rests on an unconfirmed or invented fact exits 4 too. For a declaration: the most serious of
its lines (3, 2, 1, 4, then 0).
""".replace("COLUMNS", textwrap.fill(", ".join(CSV_COLUMNS), width=100, initial_indent="  ", subsequent_indent="  "))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = HELP
    parser.add_argument("--exporter", help="exporting economy, ISO 3166-1 alpha-2 (e.g. FR)")
    parser.add_argument("--importer", help="importing economy (e.g. JP)")
    parser.add_argument("--hs", help="HS code of the goods, 6 to 10 digits (0406.90, \"0406 90\" and 0406-90 are "
                        "read as 040690)")
    parser.add_argument("--lot", help="the consignment's lot")
    parser.add_argument("--date", help="clearance date, YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--type", help="document type: TESTING, CALIBRATION, INSPECTION, PRODUCT_CERTIFICATION, …")
    parser.add_argument("--issuer", help="the issuing body's registry code, in any case (e.g. L02)")
    parser.add_argument("--issued", help="the document's issue date, YYYY-MM-DD")
    parser.add_argument("--accreditation-body",
                        help="the accreditation body the document names, in any case (e.g. COFRAC)")
    parser.add_argument("--accreditation-number", help="the accreditation number the document names")
    parser.add_argument("--document-lot", help="the lot the document names (default: --lot)")
    parser.add_argument("--tests", help="methods the document covers, separated by ',' (or ';' or '|')")
    parser.add_argument("--not-under-accreditation", action="store_true",
                        help="the document does not bear the accreditation symbol or reference")
    parser.add_argument("--document", action="append", nargs="+", metavar="KEY=VALUE", default=[],
                        help="another presented document (repeatable): type=… issuer=… issued=YYYY-MM-DD and "
                        "optionally body=… number=… lot=… tests=\"A;B\" accredited=no")
    parser.add_argument("--credential", metavar="FILE", help="a signed credential presented with the document (UNTP DCC "
                        "as vc+jwt, or its JSON form; '-' for stdin): --type and --issued default to its own")
    parser.add_argument("--csv", metavar="FILE", help="decide every line of a CSV declaration ('-' for stdin)")
    parser.add_argument("--server", metavar="URL", help="ask this mra-registry server instead of the local database")
    parser.add_argument("--json", action="store_true", help="print JSON (same as --output json)")
    parser.add_argument("--output", choices=("text", "json", "csv"), help="text (default for one), json, csv")
    parser.add_argument("--min-assurance", type=str.upper, choices=ASSURANCE_LEVELS, metavar="LEVEL",
                        help="exit 4 for a positive verdict whose assurance is below LEVEL (CONFIRMED, UNCONFIRMED, "
                        "FIXTURE); default: any")


def _single_line(args) -> Entry:
    credential_option.apply_defaults(args)
    missing = [flag for flag, value in (("--exporter", args.exporter), ("--importer", args.importer),
                                        ("--hs", args.hs)) if not value]
    if missing:
        raise CheckError(f"missing {', '.join(missing)} (or give --csv FILE); see mra-registry check --help")
    line = make_line(
        exporter=args.exporter, importer=args.importer, hs_code=args.hs, lot=args.lot, clearance_date=args.date,
        type=args.type, issuer=args.issuer, issue_date=args.issued, accreditation_body=args.accreditation_body,
        accreditation_number=args.accreditation_number, attestation_lot=args.document_lot,
        tests=split_tests(args.tests, ",;|"), under_accreditation=False if args.not_under_accreditation else None,
        names=FLAG_NAMES,
        more_documents=[document_of_spec(words, n) for n, words in enumerate(args.document, start=1)],
    )
    return Entry(1, None, line=credential_option.attach(line, args))


CSV_OUTPUT_COLUMNS = ["line", "exporter", "importer", "hs_code", "lot", "issuer", "type", "issue_date", "outcome",
                      "reason", "route", "policy", "warnings", "clearance_date", "registry_version", "assurance",
                      "checks", "explanation"]


def _csv_output(entries: list[Entry]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_OUTPUT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        if entry.decision is None:  # a line that could not be decided: what was read, and why
            cells = entry.cells
            writer.writerow({"line": entry.number, "exporter": cells.get("exporter", ""),
                             "importer": cells.get("importer", ""), "hs_code": cells.get("hs_code", ""),
                             "lot": cells.get("lot", ""), "issuer": cells.get("issuer", ""),
                             "type": cells.get("type", ""), "issue_date": cells.get("issue_date", ""),
                             "outcome": ERROR, "explanation": entry.error})
            continue
        line, decision = entry.line, entry.decision
        attestation = line.get("attestation") or (line.get("attestations") or [{}])[0]
        writer.writerow({
            "line": entry.number, "exporter": line["exporter"], "importer": line["importer"],
            "hs_code": line["hsCode"], "lot": line.get("lot", ""), "issuer": attestation.get("issuer", ""),
            "type": attestation.get("type", ""), "issue_date": attestation.get("issueDate", ""),
            "outcome": decision["outcome"], "reason": decision["reason"],
            "route": "; ".join(route_text(route) for route in decision.get("routes") or ()),
            "policy": (decision.get("policy") or {}).get("code", ""),
            "warnings": ";".join(w["code"] for w in decision["warnings"]),
            "clearance_date": decision["clearanceDate"], "registry_version": decision["registryVersion"],
            "assurance": decision["assurance"],
            "checks": " | ".join(f"{c['code']}: {c['message']}" for c in decision["checks"]),
            "explanation": decision["reasons"][0]["message"] if decision["reasons"] else "",
        })
    return out.getvalue()


def _json_item(entry: Entry) -> dict[str, Any]:
    if entry.decision is None:
        return {"line": entry.number, "csvLine": entry.csv_line, "outcome": ERROR, "error": entry.error,
                "cells": entry.cells, "input": entry.line, "decision": None}
    return {"line": entry.number, "csvLine": entry.csv_line, "outcome": entry.decision["outcome"],
            "input": entry.line, "decision": entry.decision}


def _text(entry: Entry) -> str:
    if entry.decision is None:
        return f"ERROR: {entry.error} (this line is not decided)"
    return render_text(entry.line, entry.decision)


def run(args) -> int:
    try:
        if args.csv:
            text = sys.stdin.read() if args.csv == "-" else _read(args.csv)
            entries = read_csv(text)
        else:
            entries = [_single_line(args)]
        for entry in entries:
            if entry.error:
                print(f"error: {entry.error}", file=sys.stderr)
        if any(entry.line is not None for entry in entries):
            if args.server:
                from .remote import decide_remotely

                decide_remotely(entries, args.server)
            else:
                from .local import decide_locally

                decide_locally(entries, getattr(args, "database", None))
    except CheckError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    for entry in entries:  # lines the engine refused (the CLI's own checks let them through)
        if entry.error and entry.line is not None:
            print(f"error: {entry.error}", file=sys.stderr)
    output = "json" if args.json else (args.output or ("csv" if args.csv else "text"))
    if output == "json":
        payload: Any = (entries[0].decision if not args.csv else [_json_item(entry) for entry in entries])
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    elif output == "csv":
        text = _csv_output(entries)
    else:
        text = "\n\n".join(_text(entry) for entry in entries) + "\n"
    if not args.csv and entries[0].decision is None:  # one line, refused by the engine: nothing to print
        text = ""
    status = _write(text)
    if status is not None:
        return status
    minimum = getattr(args, "min_assurance", None)
    return max((EXIT_ERROR if entry.decision is None else exit_status(entry.decision, minimum)
                for entry in entries), key=_SEVERITY.__getitem__)


def _write(text: str) -> int | None:
    """Write to standard output; a reader that went away (`| head -1`) ends the command quietly with the
    shell's status for it (128 + SIGPIPE), not a traceback."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would flush again at exit and report the broken pipe: point standard output at nothing
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_BROKEN_PIPE
    return None


def exit_status(decision: dict[str, Any], minimum: str | None = None) -> int:
    """The exit status of one decision; a positive verdict below the chosen assurance needs a person (4)."""
    status = EXIT_BY_OUTCOME.get(decision["outcome"], EXIT_ERROR)
    if (status == 0 and minimum is not None
            and ASSURANCE_LEVELS.index(decision["assurance"]) > ASSURANCE_LEVELS.index(minimum)):
        return EXIT_UNDETERMINED
    return status


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except OSError as error:
        raise CheckError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise CheckError(f"{path} is not UTF-8 text") from None
