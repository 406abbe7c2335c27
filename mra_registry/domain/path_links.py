"""The links of a recognition path: for each record a decision rests on, what it is, its dates, its state
on the issue date and on the clearance date, and its provenance."""
from __future__ import annotations

from datetime import date

from . import model
from .codes import PathLinkKind
from .decision import PathLink
from .intervals import holds_on
from .snapshot import AccreditationView, CabView, PartyPair, PolicyView, Snapshot, StatusReading
from .wording import TEXT, a_words, listing, accreditation_state, accreditation_words, day_text, in_force, words


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


class PathLinks:
    """Builds the links of one decision, reading states on its two dates."""

    __slots__ = ("snapshot", "d_issue", "d_clear")

    def __init__(self, snapshot: Snapshot, d_issue: date | None, d_clear: date):
        self.snapshot = snapshot
        self.d_issue = d_issue
        self.d_clear = d_clear

    def membership_links(self, union: str, economies: tuple[str, ...], on_issue: bool = False) -> list[PathLink]:
        snapshot, day = self.snapshot, (self.d_issue if on_issue else self.d_clear)
        links = []
        for economy in economies:
            if economy == union:
                continue
            membership = snapshot.membership(economy, union, day)
            if membership is None:
                continue
            links.append(PathLink(
                PathLinkKind.UNION_MEMBERSHIP, economy, f"{economy} member of {union}",
                membership.valid_from, membership.valid_to,
                member_state(snapshot, economy, union, self.d_issue), member_state(snapshot, economy, union, self.d_clear),
                True, TEXT[membership.provenance.confidence], membership.provenance.sources,
            ))
        return links

    def sps_link(self, arrangement: model.Arrangement) -> PathLink:
        return PathLink(
            PathLinkKind.SPS_AGREEMENT, arrangement.code,
            f"{arrangement.code}: SPS equivalence between {' and '.join(arrangement.parties)} covering HS "
            f"{', '.join(arrangement.hs_prefixes)}", arrangement.valid_from, arrangement.valid_to,
            in_force(arrangement, self.d_issue), in_force(arrangement, self.d_clear), True,
            TEXT[arrangement.provenance.confidence], arrangement.provenance.sources,
        )

    def policy_link(self, view: PolicyView, hs_code: str | None = None) -> PathLink:
        policy = view.policy
        documents = listing([
            f"{a_words(r.required_type)} attestation"
            + (f" covering {', '.join(r.required_tests)}" if r.required_tests else "")
            for r in policy.requirements])
        prefixes = policy.hs_prefixes
        if hs_code is not None and len(prefixes) > 3:  # name the entry that covers the goods, not a long list
            matching = [p for p in prefixes if hs_code.startswith(p)]
            others = len(prefixes) - len(matching)
            prefixes = (f"{', '.join(matching)} (and {others} other code{'s' if others != 1 else ''})",)
        origins = f" from {', '.join(policy.origins)}" if policy.origins else ""
        source = policy.legal_source
        legal = ""
        if source is not None:
            legal = f" ({source.instrument}{f', {source.reference}' if source.reference else ''})"
        sources = policy.provenance.sources
        if source is not None and source.url and source.url not in sources:
            sources = (source.url, *sources)
        return PathLink(
            PathLinkKind.POLICY, policy.code,
            f"{policy.code}: {policy.importer} requires {documents} for HS {', '.join(prefixes)}{origins}{legal}",
            policy.valid_from, policy.valid_to, in_force(policy, self.d_issue), in_force(policy, self.d_clear), True,
            TEXT[policy.provenance.confidence], sources,
        )

    def cab_link(self, view: CabView) -> PathLink:
        cab = view.cab
        return PathLink(
            PathLinkKind.CAB, cab.code, f"{cab.code} {cab.name} ({cab.economy}; {', '.join(TEXT[k] for k in cab.kinds)})",
            None, None, None, None, True, TEXT[cab.provenance.confidence], cab.provenance.sources,
        )

    def accreditation_link(self, view: AccreditationView) -> PathLink:
        accreditation = view.accreditation
        return PathLink(
            PathLinkKind.ACCREDITATION, accreditation.cab, f"{accreditation.cab}: {accreditation_words(accreditation)}",
            accreditation.valid_from, accreditation.valid_to,
            accreditation_state(accreditation, self.d_issue), accreditation_state(accreditation, self.d_clear),
            True, TEXT[accreditation.provenance.confidence], accreditation.provenance.sources,
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
            links.append(PathLink(PathLinkKind.SUCCESSION, f"{earlier} → {later}", record, on, None,
                                  None, None, True, TEXT[provenance.confidence], provenance.sources))
        return links

    def status_link(self, body: str, reading: StatusReading, on_clearance: StatusReading | None,
                    holds: bool = True) -> PathLink:
        record = reading.record
        standard = f" ({record.standard})" if record.standard else ""
        continued = f", continued from {reading.continued_from}" if reading.continued_from else ""
        return PathLink(
            PathLinkKind.SIGNATORY_STATUS, body,
            f"{body} in {reading.arrangement} for {words(record.activity)}{standard}: {TEXT[record.status]}{continued}",
            reading.valid_from, reading.valid_to, TEXT[record.status],
            TEXT[on_clearance.record.status] if on_clearance is not None else (None if not holds else "NONE"),
            holds, TEXT[record.provenance.confidence], record.provenance.sources,
        )

    def operation_link(self, arrangement: str, sector: model.Sector, operation: model.SectorOperation,
                       pair: PartyPair, attestation_type, operation_now: model.SectorOperation | None) -> PathLink:
        return PathLink(
            PathLinkKind.SECTOR_OPERATION, f"{arrangement} / {sector.code}",
            f"{sector.code} ({sector.name}): {words(attestation_type)} operational between {pair.first} and {pair.second}",
            operation.valid_from, operation.valid_to, "OPERATIONAL",
            "OPERATIONAL" if operation_now is not None else "NOT_OPERATIONAL",
            True, TEXT[operation.provenance.confidence], operation.provenance.sources,
        )

    def designation_link(self, designation: model.Designation) -> PathLink:
        types = f" ({', '.join(TEXT[t] for t in designation.attestation_types)})" if designation.attestation_types else ""
        on_clearance = holds_on(designation, self.d_clear)
        return PathLink(
            PathLinkKind.DESIGNATION, designation.cab,
            f"{designation.cab} designated under {designation.arrangement} / {designation.sector} for "
            f"{designation.for_party}'s requirements{types}", designation.valid_from, designation.valid_to,
            "DESIGNATED", "DESIGNATED" if on_clearance else "NOT_DESIGNATED",
            True, TEXT[designation.provenance.confidence], designation.provenance.sources,
        )


def competence_link(links: PathLinks, competence: model.Competence) -> PathLink:
    on_clearance = holds_on(competence, links.d_clear)
    return PathLink(
        PathLinkKind.COMPETENCE, competence.cab,
        f"{competence.cab} competent for {words(competence.kind)} covering HS {', '.join(competence.hs_prefixes)}",
        competence.valid_from, competence.valid_to, "COMPETENT", "COMPETENT" if on_clearance else "NOT_COMPETENT",
        True, TEXT[competence.provenance.confidence], competence.provenance.sources,
    )


def list_entry_link(links: PathLinks, entry: model.ListEntry) -> PathLink:
    scope = f" ({', '.join(item.identifier for item in entry.scope)})" if entry.scope else ""
    on_clearance = holds_on(entry, links.d_clear)
    return PathLink(
        PathLinkKind.LIST_ENTRY, entry.cab,
        f"{entry.cab} on {entry.acceptance_list} for {words(entry.activity)}{scope}", entry.valid_from, entry.valid_to,
        "LISTED", "LISTED" if on_clearance else "NOT_LISTED",
        True, TEXT[entry.provenance.confidence], entry.provenance.sources,
    )
