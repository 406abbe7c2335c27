"""Text that does not fit its column is a problem of the document (or the write) that carries it, found before
anything is written: PostgreSQL refuses a value longer than a VARCHAR with an error that would surface as an
internal fault, and SQLite would keep it silently. The limits are read from the models, so they cannot drift."""
from __future__ import annotations

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
    },
    "importPolicies": {"code": m.ImportPolicyRow.code, "name": m.ImportPolicyRow.name,
                       "importer": m.ImportPolicyRow.importer},
    "lookalikeBodies": {"code": m.LookalikeBodyRow.code, "name": m.LookalikeBodyRow.name},
    "completenessDeclarations": {
        "code": m.CompletenessDeclarationRow.code, "importer": m.CompletenessDeclarationRow.importer,
        "arrangement": m.CompletenessDeclarationRow.arrangement_code,
        "accreditationBody": m.CompletenessDeclarationRow.accreditation_body_code,
        "sector": m.CompletenessDeclarationRow.sector_code, "party": m.CompletenessDeclarationRow.party,
        "list": m.CompletenessDeclarationRow.acceptance_list,
    },
}


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
            for index, child in enumerate(value if isinstance(value, list) else ()):
                if isinstance(child, dict):
                    yield from _walk(name, child, limit, f"{here}[{index}]")
            continue
        length = limit.type.length
        for index, text in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(text, str) and len(text) > length:
                where = f"{here}[{index}]" if isinstance(value, list) else here
                yield Problem(where, f"{len(text)} characters; at most {length} fit", name, ProblemCode.INVALID)
