"""What reading yields and what it reads against: ``ParsedDocument``, one document's entities, and ``KnownCodes``,
the codes the registry already holds, which a document's references may name."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..domain import model
from ..domain.codes import Activity, ArrangementKind


@dataclass(frozen=True)
class ParsedDocument:
    name: str
    unions: tuple[model.Union, ...] = ()
    arrangements: tuple[model.Arrangement, ...] = ()
    accreditation_bodies: tuple[model.AccreditationBody, ...] = ()
    cabs: tuple[model.ConformityAssessmentBody, ...] = ()
    policies: tuple[model.ImportPolicy, ...] = ()
    lookalike_bodies: tuple[model.LookalikeBody, ...] = ()
    declarations: tuple[model.CompletenessDeclaration, ...] = ()
    acceptance_lists: tuple[model.AcceptanceList, ...] = ()


@dataclass
class KnownCodes:
    """What the registry already holds, so a document may refer to it."""

    unions: set[str] = field(default_factory=set)
    arrangements: dict[str, ArrangementKind] = field(default_factory=dict)
    arrangement_parties: dict[str, set[str]] = field(default_factory=dict)
    sectors: dict[str, set[str]] = field(default_factory=dict)  # arrangement -> sector codes
    arrangement_activities: dict[str, set[Activity]] = field(default_factory=dict)  # empty: not listed
    accreditation_bodies: set[str] = field(default_factory=set)
    cabs: set[str] = field(default_factory=set)
    lookalike_bodies: set[str] = field(default_factory=set)
    acceptance_lists: set[str] = field(default_factory=set)

    def add_document(self, doc: ParsedDocument) -> None:
        self.unions.update(u.code for u in doc.unions)
        for arrangement in doc.arrangements:
            self.arrangements[arrangement.code] = arrangement.kind
            self.arrangement_parties[arrangement.code] = set(arrangement.parties)
            self.sectors.setdefault(arrangement.code, set()).update(s.code for s in arrangement.sectors)
            self.arrangement_activities[arrangement.code] = set(arrangement.activities)
        self.accreditation_bodies.update(b.code for b in doc.accreditation_bodies)
        self.cabs.update(c.code for c in doc.cabs)
        self.lookalike_bodies.update(b.code for b in doc.lookalike_bodies)
        self.acceptance_lists.update(x.code for x in doc.acceptance_lists)
