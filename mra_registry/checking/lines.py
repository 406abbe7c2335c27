"""A consignment line in the API's input shape (ClearanceInput, camelCase), from command-line options or a
CSV row, checked before anything is decided."""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any, Iterable

from ..domain.codes import AttestationType
from ..domain.economies import is_country

DOCUMENT_COLUMNS = ["type", "issuer", "issue_date", "accreditation_body", "accreditation_number", "attestation_lot",
                    "tests", "under_accreditation"]
MAX_DOCUMENTS = 9
CSV_COLUMNS = ["exporter", "importer", "hs_code", "lot", "clearance_date", *DOCUMENT_COLUMNS]
# A line may present several documents (an official certificate and a laboratory report, say): the second
# document's columns are the first's with "_2" (type_2, issuer_2, issue_date_2, …), and so on up to "_9", so a
# spreadsheet holds one consignment a row.
EXTRA_DOCUMENT_COLUMNS = [f"{column}_{n}" for n in range(2, MAX_DOCUMENTS + 1) for column in DOCUMENT_COLUMNS]
REQUIRED_COLUMNS = {"exporter", "importer", "hs_code"}


class CheckError(Exception):
    """A problem that stops the check (exit status 3): bad input, an unreachable server, an error answer."""


def _date(value: str | None, what: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise CheckError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def _bool(value: str | None, what: str) -> bool | None:
    if value in (None, ""):
        return None
    lowered = value.strip().lower()
    if lowered in ("true", "yes", "1", "y"):
        return True
    if lowered in ("false", "no", "0", "n"):
        return False
    raise CheckError(f"{what}: {value!r} is not yes or no")


def make_line(*, exporter: str, importer: str, hs_code: str, lot: str | None = None,
              clearance_date: str | None = None, type: str | None = None, issuer: str | None = None,
              issue_date: str | None = None, accreditation_body: str | None = None,
              accreditation_number: str | None = None, attestation_lot: str | None = None,
              tests: Iterable[str] | None = None, under_accreditation: bool | None = None,
              where: str = "", more_documents: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """One consignment line; ``more_documents`` are further documents, each with the document keywords of this
    function (type, issuer, issue_date, …)."""
    prefix = f"{where}: " if where else ""
    for field, code in (("exporter", exporter), ("importer", importer)):
        if not code or not is_country(code.strip().upper()):
            raise CheckError(f"{prefix}{field}: {code!r} is not an ISO 3166-1 alpha-2 country code")
    hs = (hs_code or "").strip()
    if not (hs.isdigit() and 6 <= len(hs) <= 10):
        raise CheckError(f"{prefix}hs_code: {hs_code!r} is not an HS code of 6 to 10 digits")
    line: dict[str, Any] = {"exporter": exporter.strip().upper(), "importer": importer.strip().upper(), "hsCode": hs}
    if lot:
        line["lot"] = lot
    if clearance_date:
        line["clearanceDate"] = _date(clearance_date, f"{prefix}clearance_date")
    documents = []
    if type or issuer or issue_date:
        documents.append(_document(prefix, lot, type=type, issuer=issuer, issue_date=issue_date,
                                   accreditation_body=accreditation_body, accreditation_number=accreditation_number,
                                   attestation_lot=attestation_lot, tests=tests,
                                   under_accreditation=under_accreditation))
    for number, extra in enumerate(more_documents, start=len(documents) + 1):
        documents.append(_document(f"{prefix}document {number}: ", lot, **extra))
    if len(documents) == 1:
        line["attestation"] = documents[0]
    elif documents:
        line["attestations"] = documents
    return line


def _document(prefix: str, lot: str | None, *, type: str | None, issuer: str | None, issue_date: str | None,
              accreditation_body: str | None = None, accreditation_number: str | None = None,
              attestation_lot: str | None = None, tests: Iterable[str] | None = None,
              under_accreditation: bool | None = None) -> dict[str, Any]:
    if not (type and issuer and issue_date):
        raise CheckError(f"{prefix}a document needs its type, issuer and issue date together")
    kind = type.strip().upper()
    if kind not in AttestationType.__members__:
        raise CheckError(f"{prefix}type: {type!r} is not one of {', '.join(AttestationType.__members__)}")
    attestation: dict[str, Any] = {"type": kind, "issuer": issuer.strip(),
                                   "issueDate": _date(issue_date, f"{prefix}issue_date")}
    if accreditation_body:
        attestation["accreditationBody"] = accreditation_body.strip()
    if accreditation_number:
        attestation["accreditationNumber"] = accreditation_number.strip()
    attestation_lot = attestation_lot or lot  # a document normally names the lot it was made for
    if attestation_lot:
        attestation["lot"] = attestation_lot
    listed = [t.strip() for t in (tests or ()) if t.strip()]
    if listed:
        attestation["tests"] = listed
    if under_accreditation is not None:
        attestation["underAccreditation"] = under_accreditation
    return attestation


def document_of_spec(words: list[str]) -> dict[str, Any]:
    """A document from ``--document`` words: ``type=TESTING issuer=L02 issued=2025-08-10 body=COFRAC
    number=… lot=… tests="ISO 11290-1;ISO 6579-1" accredited=no``."""
    keys = {"type": "type", "issuer": "issuer", "issued": "issue_date", "body": "accreditation_body",
            "number": "accreditation_number", "lot": "attestation_lot", "tests": "tests",
            "accredited": "under_accreditation"}
    document: dict[str, Any] = {"type": None, "issuer": None, "issue_date": None}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or key.strip().lower() not in keys:
            raise CheckError(f"--document: {word!r} is not KEY=VALUE with KEY one of {', '.join(keys)}")
        name = keys[key.strip().lower()]
        if name == "tests":
            document[name] = value.replace(",", ";").split(";")
        elif name == "under_accreditation":
            document[name] = _bool(value, "--document accredited")
        else:
            document[name] = value
    return document


def read_csv(text: str) -> list[dict[str, Any]]:
    """Lines of a declaration: a header row naming columns of CSV_COLUMNS, then one consignment a row.
    Tests within a cell are separated by semicolons."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise CheckError("the CSV file is empty: it needs a header row")
    header = [name.strip() for name in reader.fieldnames]
    unknown = [name for name in header if name not in CSV_COLUMNS and name not in EXTRA_DOCUMENT_COLUMNS]
    missing = REQUIRED_COLUMNS - set(header)
    if unknown or missing:
        raise CheckError("the CSV header must name columns among " + ", ".join(CSV_COLUMNS)
                         + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                         + (f"; missing: {', '.join(sorted(missing))}" if missing else ""))
    lines = []
    for number, row in enumerate(reader, start=2):
        if None in row:
            raise CheckError(f"CSV line {number}: more cells than header columns")
        cells = {k.strip(): (v or "").strip() for k, v in row.items()}
        if not any(cells.values()):
            continue
        lines.append(make_line(
            exporter=cells.get("exporter", ""), importer=cells.get("importer", ""), hs_code=cells.get("hs_code", ""),
            lot=cells.get("lot") or None, clearance_date=cells.get("clearance_date") or None,
            type=cells.get("type") or None, issuer=cells.get("issuer") or None,
            issue_date=cells.get("issue_date") or None, accreditation_body=cells.get("accreditation_body") or None,
            accreditation_number=cells.get("accreditation_number") or None,
            attestation_lot=cells.get("attestation_lot") or None,
            tests=(cells.get("tests") or "").split(";"),
            under_accreditation=_bool(cells.get("under_accreditation"), f"CSV line {number}: under_accreditation"),
            where=f"CSV line {number}",
            more_documents=_extra_documents(cells, number),
        ))
    if not lines:
        raise CheckError("the CSV file has a header but no consignment lines")
    return lines


def _extra_documents(cells: dict[str, str], number: int) -> list[dict[str, Any]]:
    documents = []
    for n in range(2, MAX_DOCUMENTS + 1):
        group = {column: cells.get(f"{column}_{n}") or None for column in DOCUMENT_COLUMNS}
        if not any(group.values()):
            continue
        group["tests"] = (group["tests"] or "").split(";")
        group["under_accreditation"] = _bool(group["under_accreditation"],
                                             f"CSV line {number}: under_accreditation_{n}")
        documents.append(group)
    return documents
