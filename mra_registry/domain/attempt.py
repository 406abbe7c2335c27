"""RULES.md steps 4 to 7 for one requirement of the applied policy, on one presented attestation of its type:
freshness and identity, the CAB's own accreditation, scope, and the recognition routes. The result passes,
fails or is unknown, with its reasons, path, warnings, checks and the facts it rested on; the engine picks,
per requirement, the attestation that gets furthest and combines the requirements."""
from __future__ import annotations

import calendar
from datetime import date

from . import model
from .arrangement_route import arrangement_route, signatory_list_sources
from .authenticity import Issuer
from .codes import ACTIVITY_OF_TYPE, AttestationType, Outcome, PASSED_REASON, ReasonCode, RouteKind, WarningCode
from .completeness import known_since
from .decision import (Attestation, Consignment, DecisionCheck, DecisionReason, DecisionWarning, PassedRoute, PathLink,
                       new_check, new_reason, new_warning)
from .government_route import government_route
from .methods import method_key
from .other_routes import any_route, list_route, official_certificate_route
from .path_links import PathLinks, is_successor
from .route_result import Failure, RouteResult, RouteState, start_unknown_on
from .snapshot import AccreditationView, PolicyView, RequirementView, Snapshot
from .wording import TEXT, accreditation_state, accreditation_words, listing, words


_PASS = RouteState.PASS


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, the day clamped to the month's end (31 January + 1 month = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


class Attempt:
    """One requirement × one attestation. The routes read and extend it (``warn``, ``links``, ``in_scope`` …)."""

    __slots__ = ("snapshot", "consignment", "attestation", "d_issue", "d_clear", "hs", "policy", "index",
                 "requirement", "required", "routes", "labels", "any_only", "cab", "activity", "qualifying", "in_scope",
                 "links", "unheld", "claimed_body", "warnings", "path", "basis", "checks", "start_checks",
                 "start_unknown", "state", "reason", "reasons", "route")

    def __init__(self, snapshot: Snapshot, consignment: Consignment, policy: PolicyView, index: int,
                 requirement: RequirementView, attestation: Attestation, issuer: Issuer):
        self.snapshot = snapshot
        self.consignment = consignment
        self.attestation = attestation
        self.d_issue = attestation.issue_date
        self.d_clear = consignment.clearance_date
        self.hs = consignment.hs_code
        self.policy = policy
        self.index = index
        self.requirement = requirement.requirement
        self.required = requirement.required
        # the routes tried (an official-certificate requirement takes that route only), their labels, and whether
        # they are all ANY: read from the requirement's view, which the snapshot built once
        self.routes = requirement.routes
        self.labels = requirement.labels
        self.any_only = requirement.any_only
        self.cab = issuer.cab
        self.unheld = issuer.unheld
        self.claimed_body = issuer.claimed_body
        self.activity = ACTIVITY_OF_TYPE[attestation.type]
        self.qualifying: list[AccreditationView] = []
        self.in_scope: list[AccreditationView] = []
        self.links = PathLinks(snapshot, self.d_issue, self.d_clear, index)  # every link it makes is the requirement's
        self.warnings: list[DecisionWarning] = []
        self.path: list[PathLink] = []
        self.basis: list[model.Provenance] = []
        self.checks: list[DecisionCheck] = []  # for unknown results: kept only if the decision is UNDETERMINED
        self.start_checks: list[DecisionCheck] = []  # for statuses relied on with no known start: always kept
        self.start_unknown = False
        self.state = RouteState.FAIL
        self.reason = ReasonCode.NO_ATTESTATION
        self.reasons: list[DecisionReason] = []
        self.route: PassedRoute | None = None

    # -- driver --------------------------------------------------------------------------------------------
    def run(self) -> "Attempt":
        if self.cab is not None:
            self.path.append(self.links.cab_link(self.cab))
        try:
            self.freshness_and_identity()
            if self.any_only:  # the rule names no condition on the issuer: only the document is read
                self.missing_tests()
            elif self.unheld is not None:  # steps 5 and 6 read what the document says only
                if self.activity is not None:  # only regulators issue the other types: they bear no accreditation
                    self.under_accreditation()
                self.missing_tests()
            elif not self.cab.is_regulator:  # regulators are recognised by the government and official routes
                self.own_accreditation()
                self.scope()
            else:
                self.missing_tests()
            self.recognition_routes()
        except Failure as failure:
            self.basis.extend(failure.basis)
            self.warn_accreditation_changed(self.in_scope[0] if self.in_scope else None)
            self.settle(RouteState.FAIL, failure.reason,
                        [new_reason(failure.reason, failure.message, None, self.index)])
        return self

    def settle(self, state: RouteState, reason: ReasonCode, reasons: list[DecisionReason],
               route: PassedRoute | None = None) -> None:
        # (the path's links already carry the requirement's index: ``self.links`` made them)
        self.state, self.reason, self.reasons, self.route = state, reason, reasons, route

    def warn(self, code: WarningCode, message: str) -> None:
        for warning in self.warnings:
            if warning.code is code:
                return
        self.warnings.append(new_warning(code, message))

    def warn_succession(self, named: str, evaluated: str) -> None:
        relation = "succeeded" if is_successor(self.snapshot, named, evaluated) else "preceded"
        self.warn(WarningCode.SUCCESSION_APPLIED,
                  f"The policy names {named}; for an attestation issued on {self.d_issue} it was evaluated in "
                  f"{evaluated}, which {relation} it.")

    # -- step 4: freshness and identity -> RETEST_REQUIRED ----------------------------------------------------
    def freshness_and_identity(self) -> None:
        requirement, code = self.requirement, self.policy.code
        age = (self.d_clear - self.d_issue).days
        if requirement.max_age_days is not None and age > requirement.max_age_days:
            raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.REPORT_TOO_OLD,
                          f"The attestation is {age} days old on {self.d_clear}; policy {code} accepts at most "
                          f"{requirement.max_age_days} days.")
        if requirement.max_age_months is not None:
            limit = add_months(self.d_issue, requirement.max_age_months)
            if self.d_clear > limit:
                raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.REPORT_TOO_OLD,
                              f"The attestation was issued on {self.d_issue}; policy {code} accepts it for "
                              f"{requirement.max_age_months} months, until {limit}, and the clearance date is "
                              f"{self.d_clear}.")
        if requirement.lot_match:
            presented, shipped = self.attestation.lot or None, self.consignment.lot or None
            if presented is None or shipped is None or presented != shipped:
                raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.LOT_MISMATCH,
                              f"Policy {code} requires the attestation to be for the consignment's lot: "
                              f"attestation lot {presented or 'not stated'}, consignment lot {shipped or 'not stated'}.")

    # -- step 5: the CAB's own accreditation -> RETEST_REQUIRED -----------------------------------------------
    def own_accreditation(self) -> None:
        attestation, cab, d_issue, activity = self.attestation, self.cab, self.d_issue, self.activity
        if activity is None:
            if attestation.type is AttestationType.OFFICIAL_CERTIFICATE:
                raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.NOT_COMPETENT_AUTHORITY,
                              f"An official certificate is issued only by a competent authority; {cab.code} is not a "
                              "regulatory authority.", (cab.cab.provenance,))
            raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.CAB_ACCREDITATION_NOT_ACTIVE,
                          f"A {words(attestation.type)} attestation is issued only by a regulatory authority; "
                          f"{cab.code} is not one.", (cab.cab.provenance,))
        claimed = attestation.accreditation_body or None
        candidates: list[AccreditationView] = []
        qualifying: list[AccreditationView] = []
        for view in cab.accreditations:
            accreditation = view.accreditation
            if accreditation.activity is activity and (claimed is None or accreditation.accreditation_body == claimed):
                candidates.append(view)
                if accreditation.active_on(d_issue):
                    qualifying.append(view)
        if not qualifying:
            raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.CAB_ACCREDITATION_NOT_ACTIVE,
                          _inactive_message(cab.code, activity, claimed, candidates, d_issue),
                          (cab.cab.provenance, *(view.accreditation.provenance for view in candidates)))
        self.qualifying = qualifying
        self.under_accreditation()
        self.in_scope = qualifying  # until step 6 narrows them

    def under_accreditation(self) -> None:
        """Reads only the document, so it runs whether the registry holds the issuer or not."""
        if not self.attestation.under_accreditation:
            raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.NOT_ISSUED_UNDER_ACCREDITATION,
                          f"The attestation does not bear the accreditation symbol or reference: "
                          f"{self.attestation.issuer} issued it outside its accreditation.")

    # -- step 6: scope -> RETEST_REQUIRED --------------------------------------------------------------------
    def missing_tests(self) -> None:
        """MISSING_REQUIRED_TEST reads only the document: it always runs."""
        tests, required = self.attestation.tests, self.required
        if tests and required:
            listed = [method_key(test) for test in tests]
            missing = []
            for i, (base, edition) in enumerate(required):
                for other in listed:  # keys_match, written out: up to (required × listed) comparisons a decision
                    if other.base == base and (edition is None or other.edition is None or other.edition == edition):
                        break
                else:
                    missing.append(self.requirement.required_tests[i])
            if missing:
                raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.MISSING_REQUIRED_TEST,
                              f"Policy {self.policy.code} requires {listing(missing)}, which the attestation does not "
                              "list among the tests it covers.")

    def scope(self) -> None:
        required, hs = self.required, self.hs
        self.missing_tests()
        if required:
            in_scope = []
            for view in self.qualifying:
                for key in required:
                    if not view.covers_method(key, hs):
                        break
                else:
                    in_scope.append(view)
        else:  # nothing required: every qualifying accreditation is in scope
            in_scope = self.qualifying
        if not in_scope:
            first = self.qualifying[0]
            uncovered = [self.requirement.required_tests[i] for i, key in enumerate(required)
                         if not first.covers_method(key, hs)]
            self.in_scope = []
            raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.OUT_OF_SCOPE,
                          f"The accreditation scope of {self.cab.code} ({accreditation_words(first.accreditation)}) "
                          f"does not cover {listing(uncovered)} for HS {hs}.",
                          tuple(view.accreditation.provenance for view in self.qualifying))
        self.in_scope = in_scope

    # -- step 7: recognition routes ---------------------------------------------------------------------------
    def recognition_routes(self) -> None:
        if not self.routes:
            self.warn_accreditation_changed(self.in_scope[0] if self.in_scope else None)
            reason = ReasonCode.ROUTE_NOT_ACCEPTED_FOR_SECTOR
            message = (f"Policy {self.policy.code} of {self.policy.policy.importer} accepts no foreign recognition "
                       f"route for HS {self.hs}: only bodies the importer itself designates are accepted.")
            self.settle(RouteState.FAIL, reason, [new_reason(reason, message, None, self.index)])
            return
        reasons: list[DecisionReason] = []
        results: list[RouteResult] = []
        labels, index, basis = self.labels, self.index, self.basis
        for position, route in enumerate(self.routes):
            result = _ROUTES[route.kind](self, route)
            reasons.append(new_reason(result.reason, result.message, labels[position], index))
            results.append(result)
            if result.basis:
                basis.extend(result.basis)
            if result.state is _PASS:
                self.path.extend(result.links)
                if result.readings:
                    self.note_start_unknown((result,))
                self.warn_accreditation_changed(result.relied_on or (self.in_scope[0] if self.in_scope else None))
                self.state, self.reason, self.reasons, self.route = _PASS, PASSED_REASON[route.kind], reasons, result.route
                return
        unknown = next((r for r in results if r.state is RouteState.UNKNOWN), None)
        decisive = unknown or results[0]
        self.path.extend(decisive.links)
        self.note_start_unknown(results)
        if unknown is not None:
            for result in results:
                self.checks.extend(result.checks)
        self.warn_accreditation_changed(self.in_scope[0] if self.in_scope else None)
        self.settle(RouteState.UNKNOWN if unknown is not None else RouteState.FAIL, decisive.reason, reasons)

    def note_start_unknown(self, results) -> None:
        """STATUS_START_UNKNOWN for every status relied on before the registry knows it held."""
        for result in results:
            for reading in result.readings:
                record = reading.record
                # (a record with a start is known to hold: start_unknown_on's first answer, without the call)
                if record.valid_from is not None or not start_unknown_on(record, self.d_issue):
                    continue
                self.start_unknown = True
                since = known_since(record.reported_since)
                known = f"sources show it from {since}" if since is not None else "no source dates its start"
                arrangement = self.snapshot.arrangements.get(record.arrangement)
                bound = arrangement.activity_start(record.activity) if arrangement is not None else None
                activity = words(record.activity)
                issued = str(self.d_issue)  # (as the f-strings would format it: once for both texts)
                self.warn(WarningCode.STATUS_START_UNKNOWN,
                          f"{record.accreditation_body}'s {TEXT[record.status]} status in {record.arrangement} for "
                          f"{activity} has no recorded start ({known}); the decision takes it as holding "
                          f"on {issued}, the issue date, since {record.arrangement} covered {activity}"
                          f"{f' (from {bound})' if bound else ''}.")
                self.start_checks.append(new_check(
                    WarningCode.STATUS_START_UNKNOWN,
                    f"Verify that {record.accreditation_body} held {TEXT[record.status]} status in {record.arrangement} "
                    f"for {activity} on {issued}, the issue date.",
                    signatory_list_sources(self, record.arrangement, record.accreditation_body)))

    # -- warnings from step 5 -----------------------------------------------------------------------------------
    def warn_accreditation_changed(self, relied_on: AccreditationView | None) -> None:
        if relied_on is None and self.qualifying:
            relied_on = self.qualifying[0]
        if relied_on is None:
            return
        accreditation = relied_on.accreditation
        if not accreditation.active_on(self.d_clear):
            self.warn(WarningCode.CAB_ACCREDITATION_CHANGED_SINCE_ISSUE,
                      f"{self.cab.code}'s accreditation {accreditation_words(accreditation)} was active on {self.d_issue}, "
                      f"the issue date, but is {accreditation_state(accreditation, self.d_clear).lower().replace('_', ' ')} "
                      f"on {self.d_clear}; the attestation was issued under it, so the decision stands.")


_ROUTES = {
    RouteKind.ARRANGEMENT: arrangement_route,
    RouteKind.GOVERNMENT: government_route,
    RouteKind.OFFICIAL_CERTIFICATE: official_certificate_route,
    RouteKind.LIST: list_route,
    RouteKind.ANY: any_route,
}


def _inactive_message(cab: str, activity, claimed: str | None, candidates: list[AccreditationView], day: date) -> str:
    by = f" by {claimed}" if claimed else ""
    if not candidates:
        return f"{cab} holds no accreditation{by} for {words(activity)} in the registry."
    states = ", ".join(
        f"{view.accreditation.number}: {accreditation_state(view.accreditation, day).lower().replace('_', ' ')}"
        for view in candidates
    )
    return f"{cab} held no active accreditation{by} for {words(activity)} on {day}, the issue date ({states})."
