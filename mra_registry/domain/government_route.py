"""RULES.md step 7, the government route: a sector of a government arrangement between the parties that
covers the code and the attestation type, operational between them on the issue date, under which the issuer
was designated for the importer's side, and not terminated with ``voidsExisting`` by the clearance date.

Each candidate sector is checked in order; a designation the registry does not hold is unknown unless a
``DESIGNATIONS`` declaration covers it, and an unknown check does not stop the later ones."""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from . import model
from .arrangement_route import unheld_check
from .codes import ArrangementKind, ReasonCode, RouteKind
from .decision import DecisionCheck, PathLink, new_check, new_route
from .hs import covers
from .route_result import RouteResult, RouteState
from .snapshot import PartyPair, SectorView, Snapshot
from .wording import listing, words

if TYPE_CHECKING:  # the attempt imports this module
    from .attempt import Attempt as Evaluation


class _Candidate(NamedTuple):
    progress: int  # how many checks it passed before failing (4: none failed)
    state: RouteState
    reason: ReasonCode
    message: str
    links: tuple[PathLink, ...] = ()
    basis: tuple[model.Provenance, ...] = ()
    checks: tuple[DecisionCheck, ...] = ()


def government_route(ev: "Evaluation", route: model.Route) -> RouteResult:
    snapshot, c = ev.snapshot, ev.consignment
    exporter_side = snapshot.parties_of(c.exporter, ev.d_issue)
    importer_side = snapshot.parties_of(c.importer, ev.d_clear)
    if route.arrangements:
        arrangements = [code for code in dict.fromkeys(route.arrangements) if _is_government(snapshot, code)]
    else:
        arrangements = list(snapshot.government_arrangements_between(exporter_side, importer_side))
    best: tuple[tuple[int, str, str], _Candidate] | None = None  # the failure that got furthest
    unknown: _Candidate | None = None
    for code in arrangements:
        parties = snapshot.arrangements[code].parties
        pairs = [(e, i) for e in exporter_side if e in parties for i in importer_side if i in parties and i != e]
        for sector in snapshot.sectors_of(code) if pairs else ():
            for exporter_party, importer_party in pairs:
                found = _candidate(ev, code, sector, exporter_party, importer_party, importer_side)
                if found.state is RouteState.PASS:
                    return RouteResult(RouteState.PASS, ReasonCode.GOVERNMENT_ROUTE, found.message,
                                       new_route(RouteKind.GOVERNMENT, code, sector.sector.code), found.links)
                if found.state is RouteState.UNKNOWN:
                    unknown = unknown or found
                    continue
                rank = (-found.progress, code, sector.sector.code)
                if best is None or rank < best[0]:
                    best = (rank, found)
    if unknown is not None:
        return RouteResult(RouteState.UNKNOWN, unknown.reason, unknown.message, basis=unknown.basis,
                           checks=unknown.checks)
    if best is None or best[1].progress == 0:  # no candidate got past coverage: say so for all of them at once
        scope = ", ".join(route.arrangements) if route.arrangements else "any government arrangement"
        return RouteResult(RouteState.FAIL, ReasonCode.SECTOR_NOT_COVERED,
                           f"No sector of {scope} between {c.exporter} and {c.importer} covers HS {ev.hs} for "
                           f"{words(ev.attestation.type)} attestations.",
                           basis=tuple(snapshot.arrangements[code].provenance for code in arrangements))
    found = best[1]
    return RouteResult(RouteState.FAIL, found.reason, found.message, basis=found.basis)


def _candidate(ev: "Evaluation", code: str, sector: SectorView, exporter_party: str, importer_party: str,
               importer_side: tuple[str, ...]) -> _Candidate:
    attestation_type, d_issue, d_clear, cab = ev.attestation.type, ev.d_issue, ev.d_clear, ev.cab
    s = sector.sector
    name = f"{code} / {s.code}"
    if not (sector_covers(s, ev.hs) and attestation_type in s.attestation_types):
        return _Candidate(0, RouteState.FAIL, ReasonCode.SECTOR_NOT_COVERED,
                          f"The sector {name} does not cover HS {ev.hs} for {words(attestation_type)} attestations.",
                          basis=(s.provenance,))
    pair = PartyPair.of(exporter_party, importer_party)
    operation = sector.operation_on(pair, attestation_type, d_issue)
    if operation is None:
        others = [t for t in sector.types_by_pair.get(pair, ()) if t is not attestation_type
                  and t in s.attestation_types and sector.operation_on(pair, t, d_issue) is not None]
        if others:
            return _Candidate(1, RouteState.FAIL, ReasonCode.PHASE_NOT_IMPLEMENTED,
                              f"Under {name}, {words(attestation_type)} attestations were not operational between "
                              f"{exporter_party} and {importer_party} on {d_issue} (only "
                              f"{listing([words(t) for t in others])} was): that phase is not implemented between them.",
                              basis=(s.provenance,))
        return _Candidate(1, RouteState.FAIL, ReasonCode.SECTOR_NOT_OPERATIONAL,
                          f"The sector {name} was not operational between {exporter_party} and {importer_party} on "
                          f"{d_issue}, the issue date.", basis=(s.provenance,))
    designation = None
    if cab is not None:
        for party in importer_side:
            history = cab.designations.get((code, s.code, party))
            found = history.at(d_issue) if history is not None else None
            if found is not None and (not found.attestation_types or attestation_type in found.attestation_types):
                designation = found
                break
    unknown: _Candidate | None = None
    basis: list[model.Provenance] = [operation.provenance]
    if designation is None:
        declaration = ev.snapshot.completeness.designations(code, s.code, importer_party, d_issue)
        if declaration is not None:
            basis.append(declaration.provenance)
            if cab is not None and cab.is_regulator:
                return _Candidate(2, RouteState.FAIL, ReasonCode.AUTHORITY_NOT_RECOGNISED_AT_ISSUE,
                                  f"{cab.code} was not recognised under {name} for {importer_party}'s requirements on "
                                  f"{d_issue}, the issue date: its inspections are not accepted.", basis=tuple(basis))
            return _Candidate(2, RouteState.FAIL, ReasonCode.CAB_NOT_DESIGNATED,
                              f"{ev.attestation.issuer} was not designated under {name} to assess "
                              f"{words(attestation_type)} against {importer_party}'s requirements on {d_issue}, the "
                              "issue date.", basis=tuple(basis))
        unknown = _designation_unknown(ev, name, s, importer_party)
    termination = s.termination
    operation_now = sector.operation_on(pair, attestation_type, d_clear)
    if termination is not None and termination.voids_existing and operation_now is None:
        return _Candidate(3, RouteState.FAIL, ReasonCode.SECTOR_TERMINATED_VOIDS_EXISTING,
                          f"The sector {name} ceased on {termination.effective} and the termination voids attestations "
                          f"issued before it: on {d_clear}, the clearance date, it no longer applies.",
                          basis=(*basis, termination.provenance))
    if unknown is not None:
        return unknown
    if ev.unheld is not None:  # designated, but the accreditation the document claims is still to be verified
        return _Candidate(3, RouteState.UNKNOWN, ev.unheld,
                          f"{cab.code} was designated under {name} for {designation.for_party}'s requirements on "
                          f"{d_issue}, but the registry holds no accreditation of it by "
                          f"{ev.claimed_body or 'the claimed body'}: the document's claim is still to be verified.",
                          basis=tuple(basis), checks=(unheld_check(ev),))
    links: list[PathLink] = []
    if ev.in_scope:
        links.append(ev.links.accreditation_link(ev.in_scope[0]))
    if exporter_party != ev.consignment.exporter:
        links.extend(ev.links.membership_links(exporter_party, (ev.consignment.exporter,), on_issue=True))
    if importer_party != ev.consignment.importer:  # the importer acts as its union on the clearance date
        links.extend(ev.links.membership_links(importer_party, (ev.consignment.importer,)))
    links.append(ev.links.operation_link(code, s, operation, pair, attestation_type, operation_now))
    links.append(ev.links.designation_link(designation))
    message = (f"Under {name}, {words(attestation_type)} attestations were operational between {exporter_party} "
               f"and {importer_party} on {d_issue}, and {cab.code} was "
               f"{'recognised' if cab.is_regulator else 'designated'} for {designation.for_party}'s requirements then.")
    return _Candidate(4, RouteState.PASS, ReasonCode.GOVERNMENT_ROUTE, message, tuple(links))


def _designation_unknown(ev: "Evaluation", name: str, sector: model.Sector, importer_party: str) -> _Candidate:
    issuer, d_issue = ev.attestation.issuer, ev.d_issue
    if ev.unheld is not None:
        held = "the registry does not hold the issuer" if ev.unheld is ReasonCode.CAB_NOT_RECORDED else (
            "the registry holds no accreditation of it by the claimed body")
        return _Candidate(3, RouteState.UNKNOWN, ev.unheld,
                          f"Whether {issuer} was designated under {name} for {importer_party}'s requirements on "
                          f"{d_issue} is not known: {held}, and no declaration says it holds every designation.",
                          checks=(unheld_check(ev),))
    return _Candidate(3, RouteState.UNKNOWN, ReasonCode.DESIGNATION_NOT_RECORDED,
                      f"The registry holds no designation of {issuer} under {name} for {importer_party}'s "
                      f"requirements on {d_issue} and does not declare its designations for that sector complete: "
                      "whether it was designated then is not known.",
                      basis=(sector.provenance,), checks=(_designation_check(ev, name, sector, importer_party),))


def _designation_check(ev: "Evaluation", name: str, sector: model.Sector, importer_party: str) -> DecisionCheck:
    return new_check(
        ReasonCode.DESIGNATION_NOT_RECORDED,
        f"Verify that {ev.attestation.issuer} was designated under {name} to assess {words(ev.attestation.type)} "
        f"against {importer_party}'s requirements on {ev.d_issue}, the issue date (the designating authority's "
        "published list of designated bodies).",
        tuple(sector.provenance.sources))


def sector_covers(sector: model.Sector, hs_code: str) -> bool:
    return covers(sector.hs_prefixes, sector.excluded_hs_prefixes, hs_code)


def _is_government(snapshot: Snapshot, code: str) -> bool:
    arrangement = snapshot.arrangements.get(code)
    return arrangement is not None and arrangement.kind is ArrangementKind.GOVERNMENT
