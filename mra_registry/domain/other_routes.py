"""RULES.md step 7, the routes that rest on no accreditation arrangement or government agreement: the exporting
economy's competent authority (official certificates), the importer's own list of accepted bodies, and the
rules that accept a document from any issuer."""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import model
from .arrangement_route import unheld_check
from .codes import CompetenceKind, ReasonCode, RouteKind
from .decision import new_check, new_route
from .hs import covers
from .intervals import holds_on
from .path_links import competence_link, list_entry_link
from .route_result import RouteResult, RouteState
from .wording import words

if TYPE_CHECKING:  # the attempt imports this module
    from .attempt import Attempt


def official_certificate_route(ev: "Attempt", route: model.Route) -> RouteResult:
    """Passes when the issuer is a regulatory authority of the exporter (or of its union on the issue date)
    competent on the issue date for official certificates covering the HS code."""
    c, d_issue, hs = ev.consignment, ev.d_issue, ev.hs
    exporter_side = ev.snapshot.parties_of(c.exporter, d_issue)
    if ev.cab is None:
        return RouteResult(
            RouteState.UNKNOWN, ReasonCode.CAB_NOT_RECORDED,
            f"The registry does not hold the issuer {ev.attestation.issuer}: whether it is {c.exporter}'s competent "
            f"authority for official certificates covering HS {hs} on {d_issue} is not known.",
            checks=(new_check(
                ReasonCode.CAB_NOT_RECORDED,
                f"Verify that {ev.attestation.issuer} is the competent authority of {c.exporter} for official "
                f"certificates covering HS {hs}, and that it signed this certificate on {d_issue}.", ()),))
    cab = ev.cab.cab
    if not ev.cab.is_regulator or cab.economy not in exporter_side:
        what = "is not a regulatory authority" if not ev.cab.is_regulator else (
            f"is an authority of {cab.economy}, not of {c.exporter}")
        return RouteResult(RouteState.FAIL, ReasonCode.NOT_COMPETENT_AUTHORITY,
                           f"{cab.code} {what}: only {c.exporter}'s competent authority issues the official "
                           "certificate.", basis=(cab.provenance,))
    competence = next((k for k in cab.competences
                       if k.kind is CompetenceKind.OFFICIAL_CERTIFICATE and holds_on(k, d_issue)
                       and covers(k.hs_prefixes, k.excluded_hs_prefixes, hs)), None)
    if competence is None:
        return RouteResult(RouteState.FAIL, ReasonCode.NOT_COMPETENT_AUTHORITY,
                           f"{cab.code} held no competence for official certificates covering HS {hs} on {d_issue}, "
                           "the issue date.", basis=(cab.provenance, *(k.provenance for k in cab.competences)))
    if ev.unheld is not None:  # competent, but the accreditation the document claims is not recorded
        return RouteResult(RouteState.UNKNOWN, ev.unheld,
                           f"{cab.code} was competent for official certificates covering HS {hs} on {d_issue}, but "
                           f"the registry holds no accreditation of it by {ev.claimed_body or 'the claimed body'}: the "
                           "document's claim is still to be verified.",
                           basis=(competence.provenance,), checks=(unheld_check(ev),))
    return RouteResult(RouteState.PASS, ReasonCode.OFFICIAL_CERTIFICATE_ROUTE,
                       f"{cab.code}, {c.exporter}'s competent authority, was competent for official certificates "
                       f"covering HS {hs} on {d_issue}, the issue date.",
                       new_route(RouteKind.OFFICIAL_CERTIFICATE, None),
                       (competence_link(ev.links, competence),))


def list_route(ev: "Attempt", route: model.Route) -> RouteResult:
    """Passes when the CAB is on the importer's list on the issue date for the attestation's activity and the
    required tests; a missing entry is a fact only inside a ``LIST_ENTRIES`` declaration."""
    code, d_issue, hs = route.acceptance_list, ev.d_issue, ev.hs
    listing = ev.snapshot.acceptance_lists.get(code)
    found: tuple[model.ListEntry, object] | None = None
    if listing is not None and ev.cab is not None:
        for entry, view in listing.entries.get(ev.cab.code, ()):
            if (holds_on(entry, d_issue) and entry.activity in (None, ev.activity)
                    and all(view.covers_method(key, hs) for key in ev.required)):
                found = (entry, view)
                break
    basis = (listing.acceptance_list.provenance,) if listing is not None else ()
    issuer = ev.attestation.issuer
    if found is not None and ev.unheld is None:
        entry = found[0]
        return RouteResult(RouteState.PASS, ReasonCode.LIST_ROUTE,
                           f"{issuer} was on {code}, the importer's list of accepted bodies, for "
                           f"{words(ev.activity)} on {d_issue}, the issue date.",
                           new_route(RouteKind.LIST, None, acceptance_list=code),
                           (*((ev.links.accreditation_link(ev.in_scope[0]),) if ev.in_scope else ()),
                            list_entry_link(ev.links, entry)),
                           ev.in_scope[0] if ev.in_scope else None, basis=basis)
    declaration = ev.snapshot.completeness.list_entries(code, d_issue)
    if found is None and declaration is not None:
        return RouteResult(RouteState.FAIL, ReasonCode.NOT_ON_ACCEPTANCE_LIST,
                           f"{issuer} was not on {code}, the importer's list of accepted bodies, for "
                           f"{words(ev.activity)} and the required tests on {d_issue}, the issue date; the registry "
                           f"holds the whole list ({declaration.code}).", basis=(*basis, declaration.provenance))
    if ev.unheld is not None:
        return RouteResult(RouteState.UNKNOWN, ev.unheld,
                           f"Whether {issuer} was on {code} on {d_issue} is not known: the registry does not hold "
                           f"{'the issuer' if ev.unheld is ReasonCode.CAB_NOT_RECORDED else 'its claimed accreditation'}.",
                           basis=basis, checks=(unheld_check(ev),))
    sources = listing.acceptance_list.provenance.sources if listing is not None else ()
    return RouteResult(RouteState.UNKNOWN, ReasonCode.LISTING_NOT_RECORDED,
                       f"The registry holds no entry of {issuer} on {code} for {words(ev.activity)} on {d_issue} and "
                       "does not declare the list complete: whether the importer accepted it then is not known.",
                       basis=basis, checks=(new_check(
                           ReasonCode.LISTING_NOT_RECORDED,
                           f"Verify that {issuer} was on {code}, the importer's list of accepted bodies, for "
                           f"{words(ev.activity)} and the required tests on {d_issue}, the issue date.",
                           tuple(sources)),))


def any_route(ev: "Attempt", route: model.Route) -> RouteResult:
    """The rule names no condition on who issues the document: it passes once the document is fresh, for the
    consignment's lot and lists the required tests."""
    return RouteResult(RouteState.PASS, ReasonCode.ANY_ROUTE,
                       f"Policy {ev.policy.code} accepts {words(ev.attestation.type)} documents from any issuer: the "
                       f"one from {ev.attestation.issuer} meets the requirement's conditions on the document.",
                       new_route(RouteKind.ANY, None))

