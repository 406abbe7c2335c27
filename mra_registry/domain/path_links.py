"""The links of a recognition path: for each record a decision rests on, what it is, its dates, its state
on the issue date and on the clearance date, its provenance, and the index of the requirement it belongs to."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from . import model
from .codes import CabKind, PathLinkKind
from .decision import PathLink, new_link
from .intervals import holds_on
from .snapshot import AccreditationView, CabView, PartyPair, PolicyView, Snapshot, StatusReading
from .wording import TEXT, accreditation_state, accreditation_words, day_text, in_force, words


def is_successor(snapshot: Snapshot, earlier: str, later: str) -> bool:
    seen = {earlier}
    succession = snapshot.succession_from(earlier)
    while succession is not None and succession.successor not in seen:
        if succession.successor == later:
            return True
        seen.add(succession.successor)
        succession = snapshot.succession_from(succession.successor)
    return False


def member_state(snapshot: Snapshot, economy: str, union: str, day: date | None) -> str | None:
    if day is None:
        return None
    return "MEMBER" if snapshot.membership(economy, union, day) is not None else "NOT_MEMBER"


@lru_cache(maxsize=256)
def kinds_text(kinds: tuple[CabKind, ...]) -> str:
    """A CAB's kinds as its link names them (a registry holds a handful of distinct combinations)."""
    return ", ".join(TEXT[k] for k in kinds)


class PathLinks:
    """Builds the links of one decision, reading states on its two dates; each link carries ``requirement``,
    the index of the policy requirement it belongs to (None: the policy's own links)."""

    __slots__ = ("snapshot", "d_issue", "d_clear", "requirement")

    def __init__(self, snapshot: Snapshot, d_issue: date | None, d_clear: date, requirement: int | None = None):
        self.snapshot = snapshot
        self.d_issue = d_issue
        self.d_clear = d_clear
        self.requirement = requirement

    def membership_links(self, union: str, economies: tuple[str, ...], on_issue: bool = False) -> list[PathLink]:
        snapshot, day = self.snapshot, (self.d_issue if on_issue else self.d_clear)
        links = []
        for economy in economies:
            if economy == union:
                continue
            membership = snapshot.membership(economy, union, day)
            if membership is None:
                continue
            links.append(new_link(
                PathLinkKind.UNION_MEMBERSHIP, economy, f"{economy} member of {union}",
                membership.valid_from, membership.valid_to,
                member_state(snapshot, economy, union, self.d_issue), member_state(snapshot, economy, union, self.d_clear),
                True, TEXT[membership.provenance.confidence], membership.provenance.sources, self.requirement,
            ))
        return links

    def sps_link(self, arrangement: model.Arrangement) -> PathLink:
        return new_link(
            PathLinkKind.SPS_AGREEMENT, arrangement.code,
            f"{arrangement.code}: SPS equivalence between {' and '.join(arrangement.parties)} covering HS "
            f"{', '.join(arrangement.hs_prefixes)}", arrangement.valid_from, arrangement.valid_to,
            in_force(arrangement, self.d_issue), in_force(arrangement, self.d_clear), True,
            TEXT[arrangement.provenance.confidence], arrangement.provenance.sources, self.requirement,
        )

    def policy_link(self, view: PolicyView, hs_code: str | None = None) -> PathLink:
        policy = view.policy
        on_issue, on_clearance = in_force(policy, self.d_issue), in_force(policy, self.d_clear)
        if on_issue == "IN_FORCE" and on_clearance == "IN_FORCE" and self.requirement is None \
                and view.in_force_link is not None:
            return view.in_force_link  # the very link built below, made once by the snapshot
        return new_link(
            PathLinkKind.POLICY, policy.code, view.link_record(hs_code),
            policy.valid_from, policy.valid_to, on_issue, on_clearance, True,
            TEXT[policy.provenance.confidence], view.link_sources, self.requirement,
        )

    def cab_link(self, view: CabView) -> PathLink:
        cab = view.cab
        return new_link(
            PathLinkKind.CAB, cab.code, f"{cab.code} {cab.name} ({cab.economy}; {kinds_text(cab.kinds)})",
            None, None, None, None, True, TEXT[cab.provenance.confidence], cab.provenance.sources, self.requirement,
        )

    def accreditation_link(self, view: AccreditationView) -> PathLink:
        accreditation = view.accreditation
        return new_link(
            PathLinkKind.ACCREDITATION, accreditation.cab, f"{accreditation.cab}: {accreditation_words(accreditation)}",
            accreditation.valid_from, accreditation.valid_to,
            accreditation_state(accreditation, self.d_issue), accreditation_state(accreditation, self.d_clear),
            True, TEXT[accreditation.provenance.confidence], accreditation.provenance.sources, self.requirement,
        )

    def succession_links(self, named: str, evaluated: str, reading: StatusReading) -> list[PathLink]:
        """One link per succession the decision went through: the policy's arrangement read in another one,
        and a status continued from a superseded arrangement (often the same succession: one link then)."""
        snapshot = self.snapshot
        pairs: dict[tuple[str, str], bool] = {}
        if named != evaluated:
            pairs[(named, evaluated) if is_successor(snapshot, named, evaluated) else (evaluated, named)] = False
        if reading.continued_from is not None:
            pairs[(reading.continued_from, reading.arrangement)] = True
        links = []
        for (earlier, later), continued in pairs.items():
            succession = snapshot.succession_from(earlier)
            arrangement = snapshot.arrangements.get(earlier)
            provenance = arrangement.provenance if arrangement is not None else model.Provenance()
            on = succession.on if succession is not None else None
            record = f"{earlier} superseded by {later} on {day_text(on)}"
            if continued:
                record += (f"; {reading.record.accreditation_body}'s status in {earlier} on the day before continues in "
                           f"{later} until its own first event there")
            links.append(new_link(PathLinkKind.SUCCESSION, f"{earlier} → {later}", record, on, None,
                                  None, None, True, TEXT[provenance.confidence], provenance.sources, self.requirement))
        return links

    def status_link(self, body: str, reading: StatusReading, on_clearance: StatusReading | None,
                    holds: bool = True) -> PathLink:
        record = reading.record
        standard = f" ({record.standard})" if record.standard else ""
        continued = f", continued from {reading.continued_from}" if reading.continued_from else ""
        return new_link(
            PathLinkKind.SIGNATORY_STATUS, body,
            f"{body} in {reading.arrangement} for {words(record.activity)}{standard}: {TEXT[record.status]}{continued}",
            reading.valid_from, reading.valid_to, TEXT[record.status],
            TEXT[on_clearance.record.status] if on_clearance is not None else (None if not holds else "NONE"),
            holds, TEXT[record.provenance.confidence], record.provenance.sources, self.requirement,
        )

    def operation_link(self, arrangement: str, sector: model.Sector, operation: model.SectorOperation,
                       pair: PartyPair, attestation_type, operation_now: model.SectorOperation | None) -> PathLink:
        return new_link(
            PathLinkKind.SECTOR_OPERATION, f"{arrangement} / {sector.code}",
            f"{sector.code} ({sector.name}): {words(attestation_type)} operational between {pair.first} and {pair.second}",
            operation.valid_from, operation.valid_to, "OPERATIONAL",
            "OPERATIONAL" if operation_now is not None else "NOT_OPERATIONAL",
            True, TEXT[operation.provenance.confidence], operation.provenance.sources, self.requirement,
        )

    def designation_link(self, designation: model.Designation) -> PathLink:
        types = f" ({', '.join(TEXT[t] for t in designation.attestation_types)})" if designation.attestation_types else ""
        on_clearance = holds_on(designation, self.d_clear)
        return new_link(
            PathLinkKind.DESIGNATION, designation.cab,
            f"{designation.cab} designated under {designation.arrangement} / {designation.sector} for "
            f"{designation.for_party}'s requirements{types}", designation.valid_from, designation.valid_to,
            "DESIGNATED", "DESIGNATED" if on_clearance else "NOT_DESIGNATED",
            True, TEXT[designation.provenance.confidence], designation.provenance.sources, self.requirement,
        )


def competence_link(links: PathLinks, competence: model.Competence) -> PathLink:
    on_clearance = holds_on(competence, links.d_clear)
    return new_link(
        PathLinkKind.COMPETENCE, competence.cab,
        f"{competence.cab} competent for {words(competence.kind)} covering HS {', '.join(competence.hs_prefixes)}",
        competence.valid_from, competence.valid_to, "COMPETENT", "COMPETENT" if on_clearance else "NOT_COMPETENT",
        True, TEXT[competence.provenance.confidence], competence.provenance.sources, links.requirement,
    )


def list_entry_link(links: PathLinks, entry: model.ListEntry) -> PathLink:
    scope = f" ({', '.join(item.identifier for item in entry.scope)})" if entry.scope else ""
    on_clearance = holds_on(entry, links.d_clear)
    return new_link(
        PathLinkKind.LIST_ENTRY, entry.cab,
        f"{entry.cab} on {entry.acceptance_list} for {words(entry.activity)}{scope}", entry.valid_from, entry.valid_to,
        "LISTED", "LISTED" if on_clearance else "NOT_LISTED",
        True, TEXT[entry.provenance.confidence], entry.provenance.sources, links.requirement,
    )
