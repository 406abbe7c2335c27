"""Text that does not fit its column is a problem of the document (or the write) that carries it, found before
anything is written: PostgreSQL refuses a value longer than a VARCHAR with an error that would surface as an
internal fault, and SQLite would keep it silently. The limits are read from the models, so they cannot drift.

Free text stored in unbounded columns has limits of its own (a provenance `note`, each of its `sources`, a
change-log `message`), and no text may hold a control character (Unicode category Cc: U+0000-U+001F,
U+007F-U+009F; PostgreSQL cannot store U+0000 at all), except tab and newline in free text (`note`, `message`),
where a paragraph may need them. Every write goes through these checks: registry documents, the CLI's `load`,
and every mutation (store/writes.py renders its entities as a document first)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..interchange.problems import Problem, ProblemCode
from . import models as m

# document field -> the column it is stored in (its length is the limit); a nested dict is a list of objects
_FIELDS: dict[str, dict[str, Any]] = {
    "unions": {"code": m.UnionRow.code, "name": m.UnionRow.name},
    "arrangements": {
        "code": m.ArrangementRow.code, "name": m.ArrangementRow.name, "supersededBy": m.ArrangementRow.superseded_by,
        "region": m.ArrangementRow.region,
        "sectors": {"code": m.SectorRow.code, "name": m.SectorRow.name,
                    "operations": {"parties": m.SectorOperationRow.party_a}},
        "signatoryListUrl": m.ArrangementRow.signatory_list_url,
    },
    "accreditationBodies": {
        "code": m.AccreditationBodyRow.code, "name": m.AccreditationBodyRow.name, "region": m.AccreditationBodyRow.region,
        "directoryUrl": m.AccreditationBodyRow.directory_url,
        "statuses": {"arrangement": m.ArrangementRow.code, "standard": m.SignatoryStatusRow.standard,
                     "reportedSince": m.SignatoryStatusRow.reported_since},
    },
    "conformityAssessmentBodies": {
        "code": m.CabRow.code, "name": m.CabRow.name,
        "accreditations": {"number": m.AccreditationRow.number, "accreditationBody": m.AccreditationBodyRow.code,
                           "scope": {"identifier": m.ScopeItemRow.identifier}},
        "designations": {"arrangement": m.ArrangementRow.code, "sector": m.DesignationRow.sector_code,
                         "forParty": m.DesignationRow.for_party},
        "identifier": m.CabRow.identifier,
        "verificationKeys": {"keyId": m.VerificationKeyRow.key_id},
        "statusLists": {"url": m.StatusListRow.url, "purpose": m.StatusListRow.purpose},
    },
    "importPolicies": {"code": m.ImportPolicyRow.code, "name": m.ImportPolicyRow.name,
                       "importer": m.ImportPolicyRow.importer, "origins": m.ImportPolicyRow.importer,
                       "legalSource": {"instrument": m.ImportPolicyRow.legal_instrument,
                                       "reference": m.ImportPolicyRow.legal_reference,
                                       "url": m.ImportPolicyRow.legal_url},
                       "routes": {"list": m.AcceptanceListRow.code},
                       "requirements": {"routes": {"list": m.AcceptanceListRow.code}}},
    "acceptanceLists": {"code": m.AcceptanceListRow.code, "name": m.AcceptanceListRow.name,
                        "owner": m.AcceptanceListRow.owner,
                        "entries": {"cab": m.CabRow.code, "scope": {"identifier": m.ScopeItemRow.identifier}}},
    "lookalikeBodies": {"code": m.LookalikeBodyRow.code, "name": m.LookalikeBodyRow.name},
    "completenessDeclarations": {
        "code": m.CompletenessDeclarationRow.code, "importer": m.CompletenessDeclarationRow.importer,
        "arrangement": m.CompletenessDeclarationRow.arrangement_code,
        "accreditationBody": m.CompletenessDeclarationRow.accreditation_body_code,
        "sector": m.CompletenessDeclarationRow.sector_code, "party": m.CompletenessDeclarationRow.party,
        "list": m.CompletenessDeclarationRow.acceptance_list,
    },
}


# Free text: at most this many characters (the API refuses longer ones before anything runs, api/text_input.py).
MESSAGE_MAX = 2000  # a change-log message
NOTE_MAX = 2000  # a provenance note (or an accreditation suspension's note)
SOURCE_MAX = 500  # each provenance source (a URL or a source-index key)
FREE_TEXT = frozenset({"note", "message"})  # where tab and newline are allowed
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_FREE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab (09) and newline (0A) allowed


def control_character(text: str, free_text: bool = False) -> str | None:
    """The first control character of ``text`` that may not be stored there, as "U+0000 at position 3"."""
    found = (_CONTROL_IN_FREE_TEXT if free_text else _CONTROL).search(text)
    return None if found is None else f"U+{ord(found.group()):04X} at position {found.start()}"


def text_problems(name: str, data: Any) -> list[Problem]:
    """Every text of a (decoded) registry document that may not be stored: too long for its column or for its
    free-text limit, or holding a control character."""
    return too_long(name, data) + list(_texts(name, data, "$", None))


def _texts(name: str, value: Any, path: str, key: str | None) -> Iterator[Problem]:
    if isinstance(value, dict):
        for child_key, child in value.items():
            yield from _texts(name, child, f"{path}.{child_key}", str(child_key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _texts(name, child, f"{path}[{index}]", key)
    elif isinstance(value, str):
        found = control_character(value, free_text=key in FREE_TEXT)
        if found:
            yield Problem(path, f"a control character ({found}) cannot be stored; remove it"
                          + (" (tab and newline are allowed in free text)" if key in FREE_TEXT else ""),
                          name, ProblemCode.INVALID)
        limit = {"note": NOTE_MAX, "sources": SOURCE_MAX, "message": MESSAGE_MAX}.get(key or "")
        if limit is not None and len(value) > limit:
            yield Problem(path, f"{len(value)} characters; at most {limit} are kept", name, ProblemCode.INVALID)


def too_long(name: str, data: Any) -> list[Problem]:
    """Every text of a (decoded) registry document longer than the column it would be stored in."""
    if not isinstance(data, dict):
        return []  # not a document at all: the schema check says so
    return list(_walk(name, data, _FIELDS, "$"))


def _walk(name: str, item: dict, fields: dict[str, Any], path: str) -> Iterator[Problem]:
    for key, limit in fields.items():
        value = item.get(key)
        here = f"{path}.{key}"
        if isinstance(limit, dict):
            if isinstance(value, dict):  # one object (a policy's legalSource)
                yield from _walk(name, value, limit, here)
            for index, child in enumerate(value if isinstance(value, list) else ()):
                if isinstance(child, dict):
                    yield from _walk(name, child, limit, f"{here}[{index}]")
            continue
        length = limit.type.length
        for index, text in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(text, str) and len(text) > length:
                where = f"{here}[{index}]" if isinstance(value, list) else here
                yield Problem(where, f"{len(text)} characters; at most {length} fit", name, ProblemCode.INVALID)
