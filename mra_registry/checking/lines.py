"""A consignment line in the API's input shape (ClearanceInput, camelCase), from command-line options or a
CSV row, checked before anything is decided. Messages name what the user typed: the flags (--hs, --issued, …)
for a line given as options, the CSV column and line number for a line of a declaration."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable, Mapping

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
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
# Within a cell, tests are separated by '|' or by the one of ';' and ',' that is not the file's delimiter:
# ';' in a comma- or tab-separated file, ',' in a semicolon-separated one. A separator is never the delimiter,
# so no cell needs quoting for it.
TEST_SEPARATORS = {",": ";|", "\t": ";|", ";": ",|"}

# The names a user typed, by field: options on the command line...
FLAG_NAMES = {"exporter": "--exporter", "importer": "--importer", "hs_code": "--hs", "lot": "--lot",
              "clearance_date": "--date", "type": "--type", "issuer": "--issuer", "issue_date": "--issued",
              "accreditation_body": "--accreditation-body", "accreditation_number": "--accreditation-number",
              "attestation_lot": "--document-lot", "tests": "--tests",
              "under_accreditation": "--not-under-accreditation"}
# ... the keys of --document KEY=VALUE ...
DOCUMENT_KEYS = {"type": "type", "issuer": "issuer", "issued": "issue_date", "body": "accreditation_body",
                 "number": "accreditation_number", "lot": "attestation_lot", "tests": "tests",
                 "accredited": "under_accreditation"}
# ... and a CSV's columns (a field's name is its column).
CSV_NAMES = {name: name for name in CSV_COLUMNS}

# Codes people type for an economy that ISO 3166-1 spells otherwise.
COUNTRY_HINTS = {"UK": "GB (the United Kingdom)", "EL": "GR (Greece; EL is the EU's code for it)"}
_HS_SEPARATORS = re.compile(r"[.\s-]")


class CheckError(Exception):
    """A problem that stops the check (exit status 3): bad input, an unreachable server, an error answer."""


class LineError(CheckError):
    """A problem with one line of input: in a declaration, that line is reported and the others decided."""


def _date(value: str | None, what: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise LineError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def _text(value: str, what: str) -> str:
    """``value`` without surrounding spaces; refused, naming the flag or the CSV line and column, when it holds a
    control character (the registry refuses them in every input: a server would refuse the whole declaration by
    its line's index, and a local check would decide as if the character were not there)."""
    from ..store.lengths import control_character  # lazy: that module imports the ORM models

    text = value.strip()
    found = control_character(text)
    if found is not None:
        raise LineError(f"{what}: {value!r} holds a control character ({found})")
    return text


def _bool(value: str | None, what: str) -> bool | None:
    if value in (None, ""):
        return None
    lowered = value.strip().lower()
    if lowered in ("true", "yes", "1", "y"):
        return True
    if lowered in ("false", "no", "0", "n"):
        return False
    raise LineError(f"{what}: {value!r} is not yes or no")


def economy(value: str | None, what: str) -> str:
    """An ISO 3166-1 alpha-2 code, in any case; UK and EL are refused with the code to use."""
    code = (value or "").strip().upper()
    if is_country(code):
        return code
    hint = f"; did you mean {COUNTRY_HINTS[code]}?" if code in COUNTRY_HINTS else ""
    raise LineError(f"{what}: {value!r} is not an ISO 3166-1 alpha-2 country code{hint}")


def hs_digits(value: str | None, what: str) -> str:
    """6 to 10 digits; dots, spaces and hyphens between them (0406.90, 0406 90, 0406-90) are dropped."""
    digits = _HS_SEPARATORS.sub("", value or "")
    if not (digits.isascii() and digits.isdigit() and 6 <= len(digits) <= 10):
        raise LineError(f"{what}: {value!r} is not an HS code: give 6 to 10 digits (dots, spaces and hyphens "
                        "between them are ignored)")
    return digits


def split_tests(value: str | None, separators: str) -> list[str]:
    text = value or ""
    for separator in separators[1:]:
        text = text.replace(separator, separators[0])
    return [test.strip() for test in text.split(separators[0]) if test.strip()]


def make_line(*, exporter: str, importer: str, hs_code: str, lot: str | None = None,
              clearance_date: str | None = None, type: str | None = None, issuer: str | None = None,
              issue_date: str | None = None, accreditation_body: str | None = None,
              accreditation_number: str | None = None, attestation_lot: str | None = None,
              tests: Iterable[str] | None = None, under_accreditation: bool | None = None,
              where: str = "", names: Mapping[str, str] = CSV_NAMES,
              more_documents: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """One consignment line; ``more_documents`` are further documents, each with the document keywords of this
    function (type, issuer, issue_date, …) and ``names``, how the user named each of its fields. ``names`` says
    how the user named this line's fields (flags or CSV columns) in messages."""
    prefix = f"{where}: " if where else ""
    line: dict[str, Any] = {"exporter": economy(exporter, prefix + names["exporter"]),
                            "importer": economy(importer, prefix + names["importer"]),
                            "hsCode": hs_digits(hs_code, prefix + names["hs_code"])}
    if lot:
        line["lot"] = _text(lot, prefix + names["lot"])
    if clearance_date:
        line["clearanceDate"] = _date(clearance_date, prefix + names["clearance_date"])
    documents = []
    if type or issuer or issue_date:
        documents.append(_document(prefix, names, lot, type=type, issuer=issuer, issue_date=issue_date,
                                   accreditation_body=accreditation_body, accreditation_number=accreditation_number,
                                   attestation_lot=attestation_lot, tests=tests,
                                   under_accreditation=under_accreditation))
    for extra in more_documents:
        extra = dict(extra)
        documents.append(_document(prefix, extra.pop("names"), lot, **extra))
    if len(documents) == 1:
        line["attestation"] = documents[0]
    elif documents:
        line["attestations"] = documents
    return line


def _document(prefix: str, names: Mapping[str, str], lot: str | None, *, type: str | None, issuer: str | None,
              issue_date: str | None, accreditation_body: str | None = None,
              accreditation_number: str | None = None, attestation_lot: str | None = None,
              tests: Iterable[str] | None = None, under_accreditation: bool | None = None) -> dict[str, Any]:
    if not (type and issuer and issue_date):
        missing = ", ".join(names[k] for k, v in (("type", type), ("issuer", issuer), ("issue_date", issue_date))
                            if not v)
        raise LineError(f"{prefix}a document needs its type, issuer and issue date together: {missing} missing")
    kind = type.strip().upper()
    if kind not in AttestationType.__members__:
        raise LineError(f"{prefix}{names['type']}: {type!r} is not one of {', '.join(AttestationType.__members__)}")
    # Codes are sent as typed; the registry's own spelling is found case-insensitively (resolve_codes).
    attestation: dict[str, Any] = {"type": kind, "issuer": _text(issuer, prefix + names["issuer"]),
                                   "issueDate": _date(issue_date, prefix + names["issue_date"])}
    if accreditation_body:
        attestation["accreditationBody"] = _text(accreditation_body, prefix + names["accreditation_body"])
    if accreditation_number:
        attestation["accreditationNumber"] = _text(accreditation_number, prefix + names["accreditation_number"])
    if attestation_lot:
        attestation["lot"] = _text(attestation_lot, prefix + names["attestation_lot"])
    elif lot:  # a document normally names the lot it was made for (the line's, checked with the line)
        attestation["lot"] = lot.strip()
    listed = [_text(t, prefix + names["tests"]) for t in (tests or ()) if t.strip()]
    if listed:
        attestation["tests"] = listed
    if under_accreditation is not None:
        attestation["underAccreditation"] = under_accreditation
    return attestation


def document_of_spec(words: list[str], number: int) -> dict[str, Any]:
    """A document from the ``number``-th ``--document`` option's words: ``type=TESTING issuer=L02
    issued=2025-08-10 body=COFRAC number=… lot=… tests="ISO 11290-1;ISO 6579-1" accredited=no``."""
    option = f"--document #{number}"
    names = {field_name: f"{option} {key}" for key, field_name in DOCUMENT_KEYS.items()}
    document: dict[str, Any] = {"type": None, "issuer": None, "issue_date": None, "names": names}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or key.strip().lower() not in DOCUMENT_KEYS:
            raise LineError(f"{option}: {word!r} is not KEY=VALUE with KEY one of {', '.join(DOCUMENT_KEYS)}")
        name = DOCUMENT_KEYS[key.strip().lower()]
        if name == "tests":
            document[name] = split_tests(value, ";,|")
        elif name == "under_accreditation":
            document[name] = _bool(value, names[name])
        else:
            document[name] = value
    return document


def resolve_codes(line: dict[str, Any], cab: Callable[[str], str], body: Callable[[str], str]) -> None:
    """Write the registry's spelling of each document's issuer and accreditation body into ``line``: codes are
    matched ignoring case (``l02`` is L02, ``dakks`` is DAkkS); a code the registry does not hold stays as typed."""
    documents = [line["attestation"]] if line.get("attestation") else line.get("attestations") or []
    for document in documents:
        document["issuer"] = cab(document["issuer"])
        if document.get("accreditationBody"):
            document["accreditationBody"] = body(document["accreditationBody"])


def case_insensitive(codes: Iterable[str]) -> Callable[[str], str]:
    """code -> the registry's code equal to it ignoring case; unchanged when there is none, or several."""
    by_fold: dict[str, set[str]] = {}
    known = set()
    for code in codes:
        known.add(code)
        by_fold.setdefault(code.casefold(), set()).add(code)

    def resolve(code: str) -> str:
        if code in known:
            return code
        candidates = by_fold.get(code.casefold(), ())
        return next(iter(candidates)) if len(candidates) == 1 else code

    return resolve


@dataclass
class Entry:
    """One line of input: its number in the declaration (1 = first consignment), where it was read (the CSV's
    line number, header = 1), and either the line to decide or the problem that keeps it from being decided.
    Once decided, ``decision`` holds the answer, or ``error`` why there is none."""
    number: int
    csv_line: int | None
    line: dict[str, Any] | None = None
    error: str | None = None
    cells: dict[str, str] = field(default_factory=dict)
    decision: dict[str, Any] | None = None


def sniff_delimiter(text: str) -> str:
    """The delimiter of a declaration, read from its header: comma, semicolon or tab, whichever splits the
    header row into the most known column names (comma when none does better)."""
    header = text.splitlines()[0] if text else ""
    known = set(CSV_COLUMNS) | set(EXTRA_DOCUMENT_COLUMNS)

    def score(delimiter: str) -> int:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        return sum(cell.strip() in known for cell in cells)

    return max(DELIMITERS, key=lambda d: (score(d), d == ","))


def read_csv(text: str) -> list[Entry]:
    """Entries of a declaration: a header row naming columns of CSV_COLUMNS (comma-, semicolon- or
    tab-separated), then one consignment a row. A bad row is an entry with its error; a bad header, or no row
    at all, stops everything (CheckError)."""
    text = text.lstrip("\ufeff")
    delimiter = sniff_delimiter(text)
    separators = TEST_SEPARATORS[delimiter]
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames:
        raise CheckError("the CSV file is empty: it needs a header row")
    header = [name.strip() for name in reader.fieldnames]
    unknown = [name for name in header if name not in CSV_COLUMNS and name not in EXTRA_DOCUMENT_COLUMNS]
    missing = REQUIRED_COLUMNS - set(header)
    if unknown or missing:
        raise CheckError(f"the CSV header ({DELIMITERS[delimiter]}-separated) must name columns among "
                         + ", ".join(CSV_COLUMNS)
                         + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                         + (f"; missing: {', '.join(sorted(missing))}" if missing else ""))
    entries: list[Entry] = []
    for row in reader:
        # the line the row starts on: a quoted cell may span lines, blank lines are skipped
        values = [v for v in row.values() if isinstance(v, str)] + list(row.get(None) or ())
        number = reader.line_num - sum(v.count("\n") for v in values)
        cells = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if None in row:
            entries.append(Entry(len(entries) + 1, number, cells=cells,
                                 error=f"CSV line {number}: {len(header) + len(row[None])} cells but the header "
                                       f"names {len(header)} columns (more cells than header columns)"))
            continue
        if not any(cells.values()):
            continue
        entry = Entry(len(entries) + 1, number, cells=cells)
        try:
            entry.line = _line_of_cells(cells, number, separators)
        except LineError as error:
            entry.error = str(error)
        entries.append(entry)
    if not entries:
        raise CheckError("the CSV file has a header but no consignment lines")
    return entries


def _line_of_cells(cells: dict[str, str], number: int, separators: str) -> dict[str, Any]:
    where = f"CSV line {number}"
    return make_line(
        exporter=cells.get("exporter", ""), importer=cells.get("importer", ""), hs_code=cells.get("hs_code", ""),
        lot=cells.get("lot") or None, clearance_date=cells.get("clearance_date") or None,
        type=cells.get("type") or None, issuer=cells.get("issuer") or None,
        issue_date=cells.get("issue_date") or None, accreditation_body=cells.get("accreditation_body") or None,
        accreditation_number=cells.get("accreditation_number") or None,
        attestation_lot=cells.get("attestation_lot") or None,
        tests=split_tests(cells.get("tests"), separators),
        under_accreditation=_bool(cells.get("under_accreditation"), f"{where}: under_accreditation"),
        where=where, names=CSV_NAMES,
        more_documents=_extra_documents(cells, where, separators),
    )


def _extra_documents(cells: dict[str, str], where: str, separators: str) -> list[dict[str, Any]]:
    documents = []
    for n in range(2, MAX_DOCUMENTS + 1):
        group: dict[str, Any] = {column: cells.get(f"{column}_{n}") or None for column in DOCUMENT_COLUMNS}
        if not any(group.values()):
            continue
        group["tests"] = split_tests(group["tests"], separators)
        group["under_accreditation"] = _bool(group["under_accreditation"], f"{where}: under_accreditation_{n}")
        group["names"] = {column: f"{column}_{n}" for column in DOCUMENT_COLUMNS}
        documents.append(group)
    return documents
