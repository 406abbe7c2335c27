"""RULES.md step 7, the accreditation-arrangement route: does the body that accredits the issuer hold
signatory status on the issue date, for the attestation's activity, in an arrangement the policy names (read
through succession)? Passes, fails on a recorded fact, or is unknown when the registry lacks the status and no
``SIGNATORIES`` declaration makes the absence a fact."""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import model
from .codes import ReasonCode, RouteKind, SignatoryStatus, WarningCode
from .decision import DecisionCheck, PathLink, new_check, new_route
from .route_result import RouteResult, RouteState
from .snapshot import AccreditationView, StatusReading
from .wording import TEXT, day_text, words

if TYPE_CHECKING:  # the attempt imports this module
    from .attempt import Attempt as Evaluation

_SIGNATORY = SignatoryStatus.SIGNATORY
_SUSPENDED = SignatoryStatus.SUSPENDED


def arrangement_route(ev: "Evaluation", route: model.Route) -> RouteResult:
    cab = ev.cab
    if cab is not None and cab.is_regulator:
        return RouteResult(RouteState.FAIL, ReasonCode.AB_NOT_SIGNATORY_FOR_SCOPE,
                           f"{cab.code} is a regulatory authority: it holds no accreditation, so no accreditation "
                           f"arrangement ({', '.join(route.arrangements)}) can recognise it.",
                           basis=(cab.cab.provenance,))
    snapshot, d_issue, activity, schemes = ev.snapshot, ev.d_issue, ev.activity, ev.required
    if ev.unheld is None:  # _candidates' first answer, without the call: the issuer's in-scope accreditations
        candidates = [(view, view.accreditation.accreditation_body) for view in ev.in_scope]
    else:
        candidates = _candidates(ev)
    if activity is None or not candidates:
        return _unheld_unknown(ev, route, None)
    evaluated_already: set[str] = set()
    successions: list[tuple[str, str]] = []  # (named, evaluated in) where succession took the route elsewhere
    suspended: tuple[AccreditationView | None, str, StatusReading] | None = None
    other: tuple[AccreditationView | None, str, StatusReading] | None = None
    unknown: tuple[str, str, bool] | None = None  # (body, arrangement, only a record without activity)
    basis: list[model.Provenance] = []
    for named in route.arrangements:
        for evaluated in snapshot.evaluated_in(named, d_issue):
            if evaluated in evaluated_already:
                continue
            evaluated_already.add(evaluated)
            elsewhere = evaluated not in route.arrangements  # a route naming both A and B needs no succession
            if elsewhere:
                successions.append((named, evaluated))
            for view, body in candidates:
                readings = snapshot.status_readings(body, evaluated, activity, d_issue, schemes)
                for reading in readings:
                    status = reading.record.status
                    if status is _SIGNATORY:
                        if elsewhere:
                            ev.warn_succession(named, evaluated)
                        if view is None:  # the issuer's own accreditation is still to be verified
                            return _unheld_unknown(ev, route, (body, evaluated, reading))
                        return _passed(ev, named if elsewhere else evaluated, evaluated, view, reading)
                    if status is _SUSPENDED and suspended is None:
                        suspended = (view, body, reading)
                    elif other is None:
                        other = (view, body, reading)
                if readings:
                    continue
                # RULES.md: a status whose activity is not recorded (whatever it is) leaves every activity the
                # arrangement covers without a record of its own unknown, declaration or not
                unrecorded_scope = bool(snapshot.status_readings(body, evaluated, None, d_issue)) and \
                    snapshot.covers_activity(evaluated, activity, d_issue)
                if unrecorded_scope:
                    unknown = unknown or (body, evaluated, True)
                    continue
                if not snapshot.covers_activity(evaluated, activity, d_issue):
                    arrangement = snapshot.arrangements.get(evaluated)
                    if arrangement is not None:  # arrangements and their activities are complete lists
                        basis.append(arrangement.provenance)
                    continue
                declaration = snapshot.completeness.signatories(evaluated, activity, d_issue)
                if declaration is None:
                    unknown = unknown or (body, evaluated, False)
                else:
                    basis.append(declaration.provenance)
    if successions:  # the result was read, at least in part, in arrangements the policy does not name
        ev.warn_succession(*successions[0])
    if unknown is not None:
        if ev.unheld is not None:
            return _unheld_unknown(ev, route, None)
        return _status_unknown(ev, *unknown)
    if suspended is not None:
        view, body, reading = suspended
        return RouteResult(RouteState.FAIL, ReasonCode.AB_SUSPENDED_AT_ISSUE,
                           f"{body} was suspended in {reading.arrangement} for {words(activity)} on {d_issue}, "
                           f"the issue date (suspended from {day_text(reading.valid_from)}): its accreditations did "
                           "not carry recognition then, and a later reinstatement does not change that.",
                           links=(ev.links.status_link(body, reading, None, holds=False),), readings=(reading,))
    names = ", ".join(sorted(evaluated_already))
    bodies = ", ".join(dict.fromkeys(body for _, body in candidates))
    held = ""
    links: tuple[PathLink, ...] = ()
    readings: tuple[StatusReading, ...] = ()
    if other is not None:
        _, body, reading = other
        held = f" ({reading.record.accreditation_body} was {TEXT[reading.record.status]} in {reading.arrangement} then)"
        links = (ev.links.status_link(body, reading, None, holds=False),)
        readings = (reading,)
    return RouteResult(RouteState.FAIL, ReasonCode.AB_NOT_SIGNATORY_FOR_SCOPE,
                       f"{bodies} held no signatory status for {words(activity)} in {names} on {d_issue}{held}; "
                       "the registry holds every signatory of these arrangements for that day.",
                       links=links, basis=tuple(basis), readings=readings)


def _candidates(ev: "Evaluation") -> list[tuple[AccreditationView | None, str]]:
    """The accreditations the route is evaluated on: the issuer's qualifying, in-scope ones, or for an issuer
    (or claimed accreditation) the registry does not hold, the body the attestation claims, when held."""
    if ev.unheld is None:
        return [(view, view.accreditation.accreditation_body) for view in ev.in_scope]
    claimed = ev.claimed_body
    if claimed is not None and claimed in ev.snapshot.accreditation_bodies:
        return [(None, claimed)]
    return []


def _passed(ev: "Evaluation", named: str, evaluated: str, view: AccreditationView,
            reading: StatusReading) -> RouteResult:
    snapshot, d_clear = ev.snapshot, ev.d_clear
    activity_words = words(ev.activity)  # spelt once: three texts below name it
    body = view.accreditation.accreditation_body
    # The status on D_clear, read in the same arrangement continued through succession: a succession by itself
    # is no change.
    continued = snapshot.continued_on(evaluated, d_clear)
    now = snapshot.status_readings(body, continued, ev.activity, d_clear, ev.required)
    signatory_now = None
    for held in now:
        if held.record.status is _SIGNATORY:
            signatory_now = held
            break
    if signatory_now is None:
        shown_now = now[0] if now else None
        ev.warn(WarningCode.AB_STATUS_CHANGED_SINCE_ISSUE,
                f"{body} is no longer a signatory in {continued} for {activity_words} on {d_clear} "
                f"({TEXT[shown_now.record.status] if shown_now else 'no status recorded'}); the attestation "
                f"was issued while it was, so the decision stands.")
    else:
        shown_now = signatory_now
    links = ev.links
    if named != evaluated or reading.continued_from is not None:  # a succession to show
        path = (links.accreditation_link(view), *links.succession_links(named, evaluated, reading),
                links.status_link(body, reading, shown_now))
    else:
        path = (links.accreditation_link(view), links.status_link(body, reading, shown_now))
    via = f" (the policy names {named})" if evaluated != named else ""
    message = (f"{body}, which accredits {ev.cab.code} for {activity_words}, was a signatory of {evaluated}"
               f"{via} for {activity_words} on {ev.d_issue}, the issue date.")
    passed = snapshot.arrangement_routes.get(evaluated) or new_route(RouteKind.ARRANGEMENT, evaluated)
    return RouteResult(RouteState.PASS, ReasonCode.ARRANGEMENT_ROUTE, message, passed, path, view, (), (), (reading,))


def _status_unknown(ev: "Evaluation", body: str, arrangement: str, scope_unrecorded: bool) -> RouteResult:
    activity, d_issue = words(ev.activity), ev.d_issue
    if scope_unrecorded:
        fact = (f"the registry records {body} as a signatory of {arrangement} without saying for which activities, "
                f"and holds no record of its own for {activity}")
    else:
        fact = (f"the registry holds no status of {body} in {arrangement} for {activity} on {d_issue} and does not "
                f"declare its list of {arrangement} signatories complete")
    message = f"Whether {body} was a signatory of {arrangement} for {activity} on {d_issue} is not known: {fact}."
    check = new_check(
        ReasonCode.STATUS_NOT_RECORDED,
        f"Verify that {body} was a signatory of {arrangement} for {activity} on {d_issue}, the issue date, "
        "on the arrangement's signatory list.",
        signatory_list_sources(ev, arrangement, body))
    basis = _provenance_of(ev, arrangement, body)
    return RouteResult(RouteState.UNKNOWN, ReasonCode.STATUS_NOT_RECORDED, message, basis=basis, checks=(check,))


def _unheld_unknown(ev: "Evaluation", route: model.Route,
                    signatory: tuple[str, str, StatusReading] | None) -> RouteResult:
    """An issuer or claimed accreditation the registry does not hold: the route cannot pass until a person
    verifies the issuer's accreditation, whatever the body's status."""
    reason = ev.unheld
    claim = ev.claimed_body
    issuer = ev.attestation.issuer
    if signatory is not None:
        body, arrangement, reading = signatory
        status = f"{body} was a signatory of {arrangement} for {words(ev.activity)} on {ev.d_issue}, but "
        readings: tuple[StatusReading, ...] = (reading,)
    else:
        status = ""
        readings = ()
    if reason is ReasonCode.CAB_NOT_RECORDED:
        fact = f"{status}the registry does not hold the issuer {issuer}"
    else:
        fact = f"{status}the registry holds no accreditation of {issuer} by {claim or 'the claimed body'}"
    names = ", ".join(route.arrangements)
    message = (f"{fact[0].upper()}{fact[1:]}: whether the attestation is recognised through {names} depends on "
               f"{issuer}'s accreditation, which must be verified.")
    return RouteResult(RouteState.UNKNOWN, reason, message, checks=(unheld_check(ev),),
                       basis=_provenance_of(ev, None, claim), readings=readings)


def unheld_check(ev: "Evaluation") -> DecisionCheck:
    issuer, claim, d_issue = ev.attestation.issuer, ev.claimed_body, ev.d_issue
    number = ev.attestation.accreditation_number
    by = f"by {claim}" if claim else "(the document names no accreditation body)"
    tests = ev.requirement.required_tests
    scope = f" covers {', '.join(tests)} for HS {ev.hs}" if tests else f" covers HS {ev.hs}"
    message = (f"Verify {issuer}'s accreditation {by}{f' number {number}' if number else ''}: that it was "
               f"active on {d_issue}, the issue date, for {words(ev.activity)}, and that its scope{scope}.")
    sources: tuple[str, ...] = ()
    body = ev.snapshot.accreditation_bodies.get(claim) if claim else None
    if body is not None:
        sources = (body.directory_url,) if body.directory_url else body.provenance.sources
    return new_check(ev.unheld, message, tuple(sources))


def signatory_list_sources(ev: "Evaluation", arrangement: str, body: str | None) -> tuple[str, ...]:
    """Where to verify a body's status: the arrangement's signatory list when recorded, else the sources of
    the arrangement's record and of the body's."""
    found = ev.snapshot.arrangements.get(arrangement)
    if found is not None and found.signatory_list_url:
        return (found.signatory_list_url,)
    sources = list(found.provenance.sources) if found is not None else []
    holder = ev.snapshot.accreditation_bodies.get(body) if body else None
    if holder is not None:
        sources.extend(s for s in ((holder.directory_url,) if holder.directory_url else holder.provenance.sources)
                       if s not in sources)
    return tuple(sources)


def _provenance_of(ev: "Evaluation", arrangement: str | None, body: str | None) -> tuple[model.Provenance, ...]:
    found: list[model.Provenance] = []
    if arrangement is not None and arrangement in ev.snapshot.arrangements:
        found.append(ev.snapshot.arrangements[arrangement].provenance)
    if body is not None and body in ev.snapshot.accreditation_bodies:
        found.append(ev.snapshot.accreditation_bodies[body].provenance)
    return tuple(found)
