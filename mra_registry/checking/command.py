"""The `check` sub-command: options or a CSV in; text, JSON or CSV out; an exit status a shipping workflow
can gate on: 0 recognised or not required, 1 retest required, 2 invalid, 3 error, 4 undetermined."""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any

from .lines import CSV_COLUMNS, CheckError, document_of_spec, make_line, read_csv
from .render import render_text, route_text

EXIT_BY_OUTCOME = {"RECOGNISED": 0, "NOT_REQUIRED": 0, "RETEST_REQUIRED": 1, "INVALID": 2, "UNDETERMINED": 4}
EXIT_ERROR = 3
EXIT_UNDETERMINED = 4
# For a declaration, the most serious line decides: an error, then an invalid document, then a retest, then a
# line a person must verify, then clear lines.
_SEVERITY = {0: 0, EXIT_UNDETERMINED: 1, 1: 2, 2: 3, EXIT_ERROR: 4}
ASSURANCE_LEVELS = ("CONFIRMED", "UNCONFIRMED", "FIXTURE")  # strongest first
POSITIVE = ("RECOGNISED", "NOT_REQUIRED")

HELP = """\
Decide whether an imported document is recognised or must be redone, and why.

One consignment:
  mra-registry check --exporter FR --importer JP --hs 040690 --lot A1 --type TESTING --issuer L02 \\
      --issued 2025-08-10 --date 2025-09-15 --tests "ISO 11290-1,ISO 6579-1,ISO 14501"
Several documents (an official certificate and a laboratory report):
  mra-registry check --exporter EG --importer FR --hs 120242 --lot B7 --date 2026-03-01 \\
      --document type=OFFICIAL_CERTIFICATE issuer=AUTH-EG issued=2026-02-01 \\
      --document type=TESTING issuer=LAB-EG-0042 issued=2026-01-20 tests=AFLATOXINS-B1-TOTAL
A declaration (CSV with a header row; columns: %s; tests separated by ';'; a further document
of the same line in the same columns suffixed _2, _3, …: type_2, issuer_2, issue_date_2, tests_2):
  mra-registry check --csv declaration.csv --output csv > verdicts.csv
Against a running server instead of the local database: add --server http://host:8000

Exit status: 0 recognised or not required, 1 retest required, 2 invalid document, 3 error,
4 undetermined: the registry lacks a fact the decision needs (the output lists what to verify). With
--min-assurance CONFIRMED, a positive verdict that rests on an unconfirmed or invented fact exits 4 too.
For a declaration: the most serious of its lines (3, 2, 1, 4, then 0).
""" % ", ".join(CSV_COLUMNS)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = HELP
    parser.add_argument("--exporter", help="exporting economy, ISO 3166-1 alpha-2 (e.g. FR)")
    parser.add_argument("--importer", help="importing economy (e.g. JP)")
    parser.add_argument("--hs", help="HS code of the goods, 6 to 10 digits")
    parser.add_argument("--lot", help="the consignment's lot")
    parser.add_argument("--date", help="clearance date, YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--type", help="document type: TESTING, CALIBRATION, INSPECTION, PRODUCT_CERTIFICATION, …")
    parser.add_argument("--issuer", help="the issuing body's registry code (e.g. L02)")
    parser.add_argument("--issued", help="the document's issue date, YYYY-MM-DD")
    parser.add_argument("--accreditation-body", help="the accreditation body the document names")
    parser.add_argument("--accreditation-number", help="the accreditation number the document names")
    parser.add_argument("--document-lot", help="the lot the document names (default: --lot)")
    parser.add_argument("--tests", help="methods the document covers, comma-separated")
    parser.add_argument("--not-under-accreditation", action="store_true",
                        help="the document does not bear the accreditation symbol or reference")
    parser.add_argument("--document", action="append", nargs="+", metavar="KEY=VALUE", default=[],
                        help="another presented document (repeatable): type=… issuer=… issued=YYYY-MM-DD and "
                        "optionally body=… number=… lot=… tests=\"A;B\" accredited=no")
    parser.add_argument("--csv", metavar="FILE", help="decide every line of a CSV declaration ('-' for stdin)")
    parser.add_argument("--server", metavar="URL", help="ask this mra-registry server instead of the local database")
    parser.add_argument("--json", action="store_true", help="print JSON (same as --output json)")
    parser.add_argument("--output", choices=("text", "json", "csv"), help="text (default for one), json, csv")
    parser.add_argument("--min-assurance", type=str.upper, choices=ASSURANCE_LEVELS, metavar="LEVEL",
                        help="exit 4 for a positive verdict whose assurance is below LEVEL (CONFIRMED, UNCONFIRMED, "
                        "FIXTURE); default: any")


def _single_line(args) -> dict[str, Any]:
    missing = [flag for flag, value in (("--exporter", args.exporter), ("--importer", args.importer),
                                        ("--hs", args.hs)) if not value]
    if missing:
        raise CheckError(f"missing {', '.join(missing)} (or give --csv FILE); see mra-registry check --help")
    return make_line(
        exporter=args.exporter, importer=args.importer, hs_code=args.hs, lot=args.lot, clearance_date=args.date,
        type=args.type, issuer=args.issuer, issue_date=args.issued, accreditation_body=args.accreditation_body,
        accreditation_number=args.accreditation_number, attestation_lot=args.document_lot,
        tests=(args.tests or "").split(","), under_accreditation=False if args.not_under_accreditation else None,
        more_documents=[document_of_spec(words) for words in args.document],
    )


def _csv_output(lines: list[dict[str, Any]], decisions: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    columns = ["line", "exporter", "importer", "hs_code", "lot", "issuer", "type", "issue_date", "outcome", "reason",
               "route", "policy", "warnings", "clearance_date", "registry_version", "assurance", "checks",
               "explanation"]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for number, (line, decision) in enumerate(zip(lines, decisions), start=1):
        attestation = line.get("attestation") or (line.get("attestations") or [{}])[0]
        writer.writerow({
            "line": number, "exporter": line["exporter"], "importer": line["importer"], "hs_code": line["hsCode"],
            "lot": line.get("lot", ""), "issuer": attestation.get("issuer", ""), "type": attestation.get("type", ""),
            "issue_date": attestation.get("issueDate", ""), "outcome": decision["outcome"],
            "reason": decision["reason"],
            "route": "; ".join(route_text(route) for route in decision.get("routes") or ()),
            "policy": (decision.get("policy") or {}).get("code", ""),
            "warnings": ";".join(w["code"] for w in decision["warnings"]),
            "clearance_date": decision["clearanceDate"], "registry_version": decision["registryVersion"],
            "assurance": decision["assurance"],
            "checks": " | ".join(f"{c['code']}: {c['message']}" for c in decision["checks"]),
            "explanation": decision["reasons"][0]["message"] if decision["reasons"] else "",
        })
    return out.getvalue()


def run(args) -> int:
    try:
        if args.csv:
            text = sys.stdin.read() if args.csv == "-" else _read(args.csv)
            lines = read_csv(text)
        else:
            lines = [_single_line(args)]
        if args.server:
            from .remote import decide_remotely

            decisions = decide_remotely(lines, args.server)
        else:
            from .local import decide_locally

            decisions = decide_locally(lines, getattr(args, "database", None))
    except CheckError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    output = "json" if args.json else (args.output or ("csv" if args.csv else "text"))
    if output == "json":
        payload: Any = decisions[0] if not args.csv else [{"line": n, "input": line, "decision": d} for n, (line, d)
                                                          in enumerate(zip(lines, decisions), start=1)]
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    elif output == "csv":
        sys.stdout.write(_csv_output(lines, decisions))
    else:
        print("\n\n".join(render_text(line, decision) for line, decision in zip(lines, decisions)))
    minimum = getattr(args, "min_assurance", None)
    return max((exit_status(d, minimum) for d in decisions), key=_SEVERITY.__getitem__)


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
