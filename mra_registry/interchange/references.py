"""References between entities: what a document names must exist (in the registry or in a document of the same
set) and be of the right kind."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.codes import ArrangementKind
from ..domain.economies import is_country
from .declarations import declaration_references
from .requirements import requirement_references
from .problems import Problem, ProblemCode as C

if TYPE_CHECKING:
    from .parsed import KnownCodes, ParsedDocument


def check_references(name: str, data: dict, doc: ParsedDocument, known: KnownCodes) -> list[Problem]:
    """Every reference of one parsed document to another entity, in the registry (``known``) or in any document of
    the same set."""
    problems: list[Problem] = []

    def problem(path: str, message: str, code: str = C.UNKNOWN_REFERENCE) -> None:
        problems.append(Problem(path, message, name, code))

    def party(code: str, path: str) -> None:
        if not is_country(code) and code not in known.unions:
            problem(path, f"unknown economy or union {code!r}", C.UNKNOWN_ECONOMY)

    def arrangement_of(code: str, path: str, kinds: tuple[ArrangementKind, ...]) -> bool:
        kind = known.arrangements.get(code)
        if kind is None:
            problem(path, f"unknown arrangement {code!r}")
            return False
        if kind not in kinds:
            problem(path, f"{code!r} is a {kind.value} arrangement; expected {' or '.join(k.value for k in kinds)}",
                    C.INCONSISTENT)
            return False
        return True

    accreditation_kinds = (ArrangementKind.ACCREDITATION_GLOBAL, ArrangementKind.ACCREDITATION_REGIONAL)
    for i, arrangement in enumerate(doc.arrangements):
        path = f"$.arrangements[{i}]"
        if arrangement.superseded_by:
            arrangement_of(arrangement.superseded_by, f"{path}.supersededBy", accreditation_kinds)
        for j, code in enumerate(arrangement.parties):
            party(code, f"{path}.parties[{j}]")
        for j, sector in enumerate(arrangement.sectors):
            for k, operation in enumerate(sector.operations):
                for code in sorted(operation.parties - set(arrangement.parties)):
                    problem(f"{path}.sectors[{j}].operations[{k}].parties", f"{code!r} is not a party of {arrangement.code}")
    for i, body in enumerate(doc.accreditation_bodies):
        for j, status in enumerate(body.statuses):
            arrangement_of(status.arrangement, f"$.accreditationBodies[{i}].statuses[{j}].arrangement", accreditation_kinds)
    for i, cab in enumerate(doc.cabs):
        path = f"$.conformityAssessmentBodies[{i}]"
        for j, accreditation in enumerate(cab.accreditations):
            if accreditation.accreditation_body not in known.accreditation_bodies:
                problem(f"{path}.accreditations[{j}].accreditationBody",
                        f"unknown accreditation body {accreditation.accreditation_body!r}")
        for j, designation in enumerate(cab.designations):
            here = f"{path}.designations[{j}]"
            if arrangement_of(designation.arrangement, f"{here}.arrangement", (ArrangementKind.GOVERNMENT,)):
                if designation.sector not in known.sectors.get(designation.arrangement, set()):
                    problem(f"{here}.sector", f"{designation.arrangement} has no sector {designation.sector!r}")
                if designation.for_party not in known.arrangement_parties.get(designation.arrangement, set()):
                    problem(f"{here}.forParty", f"{designation.for_party!r} is not a party of {designation.arrangement}")
    for i, body in enumerate(doc.accreditation_bodies):
        if body.code in known.lookalike_bodies:
            problem(f"$.accreditationBodies[{i}].code",
                    f"{body.code!r} is recorded as a look-alike body, not an accreditation body", C.INCONSISTENT)
    for i, lookalike in enumerate(doc.lookalike_bodies):
        if lookalike.code in known.accreditation_bodies:
            problem(f"$.lookalikeBodies[{i}].code",
                    f"{lookalike.code!r} is an accreditation body; a look-alike body cannot share its code", C.INCONSISTENT)
    problems.extend(declaration_references(name, doc.declarations, known, party, arrangement_of))
    problems.extend(requirement_references(name, data, doc.policies, doc.acceptance_lists, known, party,
                                           arrangement_of))
    return problems
