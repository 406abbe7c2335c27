"""The recognition engine: RULES.md steps 1 to 7, in order; the first terminal result wins.

``decide(snapshot, consignment)`` reads nothing but the snapshot and the consignment, so equal input and an
equal registry version give an equal decision. Every decision explains itself: reasons with messages an
officer can read, the recognition path (each link with its record, dates and provenance) and warnings from
the steps that ran.
"""
from __future__ import annotations

from datetime import date

from . import model
from .codes import (
    ACTIVITY_OF_TYPE,
    Activity,
    ArrangementKind,
    Outcome,
    ReasonCode,
    RouteKind,
    SignatoryStatus,
    WarningCode,
)
from .decision import Consignment, Decision, DecisionReason, DecisionWarning, PassedRoute, PathLink
from .errors import InputErrorCode, InvalidInput
from .hs import covers, is_hs_code
from .intervals import holds_on
from .methods import keys_match, method_key
from .path_links import PathLinks, is_successor
from .snapshot import AccreditationView, CabView, PartyPair, PolicyView, SectorView, Snapshot, StatusReading
from .wording import TEXT, accreditation_state, accreditation_words, day_text, listing, words

_SIGNATORY = SignatoryStatus.SIGNATORY
_SUSPENDED = SignatoryStatus.SUSPENDED


def decide(snapshot: Snapshot, consignment: Consignment) -> Decision:
    """Decide whether the importing economy must retest, re-inspect or re-certify (RULES.md).

    Raises ``InvalidInput`` for an HS code that is not 6 to 10 digits or an economy that is not a two-letter
    upper-case code (the API checks ISO 3166-1 itself; a well-formed economy the registry does not know
    simply has no policies)."""
    validate(consignment)
    return _Evaluation(snapshot, consignment).run()


def validate(consignment: Consignment) -> None:
    if not is_hs_code(consignment.hs_code):
        raise InvalidInput(
            "hsCode", f"{consignment.hs_code!r} is not an HS code: give 6 to 10 digits, without dots or spaces.",
            InputErrorCode.INVALID_HS_CODE,
        )
    for field, economy in (("exporter", consignment.exporter), ("importer", consignment.importer)):
        if not (isinstance(economy, str) and len(economy) == 2 and economy.isascii() and economy.isalpha()
                and economy.isupper()):
            raise InvalidInput(
                field, f"{economy!r} is not an economy: give an ISO 3166-1 alpha-2 code such as FR.",
                InputErrorCode.UNKNOWN_ECONOMY,
            )
    if not isinstance(consignment.clearance_date, date):
        raise InvalidInput("clearanceDate", "the clearance date must be a calendar date.", InputErrorCode.INVALID_INPUT)
    attestation = consignment.attestation
    if attestation is not None and not isinstance(attestation.issue_date, date):
        raise InvalidInput("attestation.issueDate", "the issue date must be a calendar date.", InputErrorCode.INVALID_INPUT)


class _Failure(Exception):
    """A terminal result of steps 1 to 6 (raised inside the evaluation only, caught in ``run``)."""

    def __init__(self, outcome: Outcome, reason: ReasonCode, message: str):
        self.outcome = outcome
        self.reason = reason
        self.message = message


class _RouteResult:
    __slots__ = ("passed", "reason", "message", "route", "links", "relied_on")

    def __init__(self, passed: bool, reason: ReasonCode, message: str, route: PassedRoute | None = None,
                 links: tuple[PathLink, ...] = (), relied_on: AccreditationView | None = None):
        self.passed = passed
        self.reason = reason
        self.message = message
        self.route = route
        self.links = links
        self.relied_on = relied_on


class _Evaluation:
    """One decision's working state: the dates, the warnings and the path as the steps find them."""

    __slots__ = ("snapshot", "consignment", "attestation", "d_issue", "d_clear", "hs", "warnings", "path",
                 "policy", "cab", "activity", "qualifying", "in_scope", "importer_unions", "links")

    def __init__(self, snapshot: Snapshot, consignment: Consignment):
        self.snapshot = snapshot
        self.consignment = consignment
        self.attestation = consignment.attestation
        self.d_issue = self.attestation.issue_date if self.attestation is not None else None
        self.d_clear = consignment.clearance_date
        self.hs = consignment.hs_code
        self.warnings: list[DecisionWarning] = []
        self.path: list[PathLink] = []
        self.policy: PolicyView | None = None
        self.cab: CabView | None = None
        self.activity: Activity | None = None
        self.qualifying: list[AccreditationView] = []
        self.in_scope: list[AccreditationView] = []
        self.importer_unions: tuple[str, ...] = ()
        self.links = PathLinks(snapshot, self.d_issue, self.d_clear)

    # -- driver --------------------------------------------------------------------------------------------
    def run(self) -> Decision:
        try:
            self.authenticity()
            decision = self.requirement()
            if decision is not None:
                return decision
            self.presence_and_type()
            self.freshness_and_identity()
            if not self.cab.is_regulator:  # regulators are recognised by the government route only
                self.own_accreditation()
                self.scope()
            return self.routes()
        except _Failure as failure:
            self.warn_accreditation_changed(self.in_scope[0] if self.in_scope else None)
            return self.finish(failure.outcome, failure.reason, (DecisionReason(failure.reason, failure.message),))

    def finish(self, outcome: Outcome, reason: ReasonCode, reasons: tuple[DecisionReason, ...],
               route: PassedRoute | None = None) -> Decision:
        return Decision(
            outcome=outcome,
            reason=reason,
            reasons=reasons,
            route=route,
            path=tuple(self.path),
            warnings=tuple(self.warnings),
            policy=self.policy.code if self.policy is not None else None,
            issue_date=self.d_issue,
            clearance_date=self.d_clear,
            registry_version=self.snapshot.version,
        )

    def warn(self, code: WarningCode, message: str) -> None:
        if all(w.code is not code for w in self.warnings):
            self.warnings.append(DecisionWarning(code, message))

    # -- step 1: authenticity -> INVALID -----------------------------------------------------------------
    def authenticity(self) -> None:
        attestation = self.attestation
        if attestation is None:
            return
        snapshot = self.snapshot
        cab = snapshot.cabs.get(attestation.issuer)
        if cab is None:
            raise _Failure(Outcome.INVALID, ReasonCode.UNKNOWN_CAB,
                           f"The issuer {attestation.issuer!r} is not a conformity assessment body in the registry: "
                           "the attestation cannot be relied on.")
        self.cab = cab
        claimed_body = attestation.accreditation_body or None
        claimed_number = attestation.accreditation_number or None
        if claimed_body is not None and claimed_body not in snapshot.accreditation_bodies:
            raise _Failure(Outcome.INVALID, ReasonCode.UNRECOGNISED_ACCREDITATION_BODY,
                           f"The attestation claims accreditation by {claimed_body!r}, which is not a registered "
                           "accreditation body: the claim cannot be relied on.")
        if (claimed_body is not None or claimed_number is not None) and not any(
            (claimed_body is None or view.accreditation.accreditation_body == claimed_body)
            and (claimed_number is None or view.accreditation.number == claimed_number)
            for view in cab.accreditations
        ):
            claim = " ".join(part for part in (claimed_body, f"number {claimed_number}" if claimed_number else None) if part)
            raise _Failure(Outcome.INVALID, ReasonCode.ACCREDITATION_MISMATCH,
                           f"{cab.code} has never held an accreditation {claim} in the registry: the accreditation "
                           "claimed on the attestation does not belong to its issuer.")
        if self.d_issue > self.d_clear:
            raise _Failure(Outcome.INVALID, ReasonCode.FUTURE_DATED,
                           f"The attestation is dated {self.d_issue}, after the clearance date {self.d_clear}.")
        if attestation.credential is not None:
            # Verifying signed credentials (keys, issuer identifiers, status lists) is not supported yet:
            # an unverifiable credential must not be trusted, so it is refused rather than guessed at.
            raise _Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
                           "Signed credentials cannot be verified yet by this registry: present the attestation's "
                           "plain fields instead, or have the credential checked by other means.")

    # -- step 2: requirement -> NOT_REQUIRED --------------------------------------------------------------
    def requirement(self) -> Decision | None:
        snapshot, c, d_clear = self.snapshot, self.consignment, self.d_clear
        exporter_unions = snapshot.unions_of(c.exporter, d_clear)
        importer_unions = snapshot.unions_of(c.importer, d_clear)
        self.importer_unions = importer_unions
        shared = sorted(set(exporter_unions) & set(importer_unions)) if exporter_unions and importer_unions else ()
        if shared:
            union = shared[0]
            self.path.extend(self.links.membership_links(union, (c.exporter, c.importer)))
            return self.not_required(ReasonCode.INTRA_UNION,
                                     f"{c.exporter} and {c.importer} are both in the {union} single market on "
                                     f"{d_clear}: no import-specific attestation applies; internal-market rules do.")
        agreement = self.sps_agreement()
        if agreement is not None:
            arrangement, exporter_party, importer_party = agreement
            self.path.append(self.links.sps_link(arrangement))
            for economy, party in ((c.exporter, exporter_party), (c.importer, importer_party)):
                if party != economy:
                    self.path.extend(self.links.membership_links(party, (economy,)))
            self.warn(WarningCode.OFFICIAL_CERTIFICATE_REQUIRED,
                      f"Under {arrangement.code} the importer relies on the official certificate of {c.exporter}'s "
                      "competent authority: check that it accompanies the consignment.")
            return self.not_required(ReasonCode.SPS_EQUIVALENCE,
                                     f"The SPS equivalence agreement {arrangement.code} between {exporter_party} and "
                                     f"{importer_party} is in force on {d_clear} and covers HS {self.hs}: the importer "
                                     "does not retest.")
        presented = self.attestation.type if self.attestation is not None else None
        policy = snapshot.applicable_policy(c.importer, importer_unions, self.hs, d_clear, presented)
        if policy is None:
            self.warn(WarningCode.NO_POLICY_RECORDED,
                      f"The registry holds no import rule of {c.importer} for HS {self.hs}; national law may still "
                      "require an attestation.")
            return self.not_required(ReasonCode.NO_REQUIREMENT,
                                     f"No import policy of {c.importer} applies to HS {self.hs} on {d_clear}.")
        self.policy = policy
        if policy.policy.importer != c.importer:
            self.path.extend(self.links.membership_links(policy.policy.importer, (c.importer,)))
        self.path.append(self.links.policy_link(policy))
        return None

    def not_required(self, reason: ReasonCode, message: str) -> Decision:
        return self.finish(Outcome.NOT_REQUIRED, reason, (DecisionReason(reason, message),))

    def sps_agreement(self) -> tuple[model.Arrangement, str, str] | None:
        snapshot, c, d_clear = self.snapshot, self.consignment, self.d_clear
        importer_side = snapshot.parties_of(c.importer, d_clear)
        agreements = snapshot.sps_agreements_of(importer_side)
        if not agreements:
            return None
        exporter_side = snapshot.parties_of(c.exporter, d_clear)
        for arrangement in agreements:
            if not (holds_on(arrangement, d_clear)
                    and covers(arrangement.hs_prefixes, arrangement.excluded_hs_prefixes, self.hs)):
                continue
            for exporter_party in exporter_side:
                if exporter_party not in arrangement.parties:
                    continue
                for importer_party in importer_side:
                    if importer_party != exporter_party and importer_party in arrangement.parties:
                        return arrangement, exporter_party, importer_party
        return None

    # -- step 3: presence and type -> RETEST_REQUIRED ---------------------------------------------------------
    def presence_and_type(self) -> None:
        policy = self.policy.policy
        attestation = self.attestation
        if attestation is None:
            raise _Failure(Outcome.RETEST_REQUIRED, ReasonCode.NO_ATTESTATION,
                           f"Policy {policy.code} of {policy.importer} requires a {words(policy.required_type)} "
                           f"attestation for HS {self.hs} and none was presented.")
        if attestation.type is not policy.required_type:
            raise _Failure(Outcome.RETEST_REQUIRED, ReasonCode.WRONG_ATTESTATION_TYPE,
                           f"Policy {policy.code} requires a {words(policy.required_type)} attestation; a "
                           f"{words(attestation.type)} attestation was presented and cannot stand in for it.")
        self.path.append(self.links.cab_link(self.cab))

    # -- step 4: freshness and identity -> RETEST_REQUIRED ----------------------------------------------------
    def freshness_and_identity(self) -> None:
        policy = self.policy.policy
        attestation = self.attestation
        age = (self.d_clear - self.d_issue).days
        if policy.max_age_days is not None and age > policy.max_age_days:
            raise _Failure(Outcome.RETEST_REQUIRED, ReasonCode.REPORT_TOO_OLD,
                           f"The attestation is {age} days old on {self.d_clear}; policy {policy.code} accepts at most "
                           f"{policy.max_age_days} days.")
        if policy.lot_match:
            presented, shipped = attestation.lot or None, self.consignment.lot or None
            if presented is None or shipped is None or presented != shipped:
                raise _Failure(Outcome.RETEST_REQUIRED, ReasonCode.LOT_MISMATCH,
                               f"Policy {policy.code} requires the attestation to be for the consignment's lot: "
                               f"attestation lot {presented or 'not stated'}, consignment lot {shipped or 'not stated'}.")

    # -- step 5: the CAB's own accreditation -> RETEST_REQUIRED -----------------------------------------------
    def own_accreditation(self) -> None:
        attestation, cab, d_issue = self.attestation, self.cab, self.d_issue
        activity = ACTIVITY_OF_TYPE[attestation.type]
        if activity is None:
            raise _Failure(Outcome.RETEST_REQUIRED, ReasonCode.CAB_ACCREDITATION_NOT_ACTIVE,
                           f"A {words(attestation.type)} attestation is issued only by a regulatory authority; "
                           f"{cab.code} is not one.")
        self.activity = activity
        claimed = attestation.accreditation_body or None
        candidates = [view for view in cab.accreditations if view.accreditation.activity is activity
                      and (claimed is None or view.accreditation.accreditation_body == claimed)]
        qualifying = [view for view in candidates if view.accreditation.active_on(d_issue)]
        if not qualifying:
            raise _Failure(Outcome.RETEST_REQUIRED, ReasonCode.CAB_ACCREDITATION_NOT_ACTIVE,
                           _inactive_message(cab, activity, claimed, candidates, d_issue))
        self.qualifying = qualifying
        if not attestation.under_accreditation:
            raise _Failure(Outcome.RETEST_REQUIRED, ReasonCode.NOT_ISSUED_UNDER_ACCREDITATION,
                           f"The attestation does not bear the accreditation symbol or reference: {cab.code} issued it "
                           "outside its accreditation.")
        self.in_scope = qualifying  # until step 6 narrows them

    # -- step 6: scope -> RETEST_REQUIRED --------------------------------------------------------------------
    def scope(self) -> None:
        policy, attestation, hs = self.policy, self.attestation, self.hs
        required = policy.required
        if attestation.tests and required:
            listed = [method_key(test) for test in attestation.tests]
            missing = [policy.policy.required_tests[i] for i, key in enumerate(required)
                       if not any(keys_match(key, other) for other in listed)]
            if missing:
                raise _Failure(Outcome.RETEST_REQUIRED, ReasonCode.MISSING_REQUIRED_TEST,
                               f"Policy {policy.code} requires {listing(missing)}, which the attestation does not "
                               "list among the tests it covers.")
        in_scope = [view for view in self.qualifying if all(view.covers_method(key, hs) for key in required)]
        if not in_scope:
            first = self.qualifying[0]
            uncovered = [policy.policy.required_tests[i] for i, key in enumerate(required)
                         if not first.covers_method(key, hs)]
            self.in_scope = []
            raise _Failure(Outcome.RETEST_REQUIRED, ReasonCode.OUT_OF_SCOPE,
                           f"The accreditation scope of {self.cab.code} ({accreditation_words(first.accreditation)}) "
                           f"does not cover {listing(uncovered)} for HS {hs}.")
        self.in_scope = in_scope

    # -- step 7: recognition routes ---------------------------------------------------------------------------
    def routes(self) -> Decision:
        policy = self.policy.policy
        if not policy.routes:
            self.warn_accreditation_changed(self.in_scope[0] if self.in_scope else None)
            message = (f"Policy {policy.code} of {policy.importer} accepts no foreign recognition route for HS {self.hs}: "
                       "only bodies the importer itself designates are accepted.")
            reason = ReasonCode.ROUTE_NOT_ACCEPTED_FOR_SECTOR
            return self.finish(Outcome.RETEST_REQUIRED, reason, (DecisionReason(reason, message),))
        reasons: list[DecisionReason] = []
        first_failure: _RouteResult | None = None
        for route in policy.routes:
            if route.kind is RouteKind.ARRANGEMENT:
                result = self.arrangement_route(route)
            else:
                result = self.government_route(route)
            reasons.append(DecisionReason(result.reason, result.message, route.label()))
            if result.passed:
                self.path.extend(result.links)
                self.warn_accreditation_changed(result.relied_on or (self.in_scope[0] if self.in_scope else None))
                self.order_warnings()
                return self.finish(Outcome.RECOGNISED, result.reason, tuple(reasons), result.route)
            if first_failure is None:
                first_failure = result
        self.path.extend(first_failure.links)
        self.warn_accreditation_changed(self.in_scope[0] if self.in_scope else None)
        self.order_warnings()
        return self.finish(Outcome.RETEST_REQUIRED, first_failure.reason, tuple(reasons))

    def order_warnings(self) -> None:
        # Steps run in order but step 5's warning is only settled once step 7 has picked the accreditation relied
        # on; list warnings in the order of the steps that raised them.
        self.warnings.sort(key=lambda w: _WARNING_ORDER[w.code])

    # -- the accreditation-arrangement route ------------------------------------------------------------------
    def arrangement_route(self, route: model.Route) -> _RouteResult:
        cab = self.cab
        if cab.is_regulator:
            return _RouteResult(False, ReasonCode.AB_NOT_SIGNATORY_FOR_SCOPE,
                                f"{cab.code} is a regulatory authority: it holds no accreditation, so no accreditation "
                                f"arrangement ({', '.join(route.arrangements)}) can recognise it.")
        snapshot, d_issue, activity, schemes = self.snapshot, self.d_issue, self.activity, self.policy.required
        evaluated_already: set[str] = set()
        successions: list[tuple[str, str]] = []  # (named, evaluated in) where succession took the route elsewhere
        suspended: tuple[AccreditationView, StatusReading] | None = None
        other: tuple[AccreditationView, StatusReading] | None = None
        for named in route.arrangements:
            for evaluated in snapshot.evaluated_in(named, d_issue):
                if evaluated in evaluated_already:
                    continue
                evaluated_already.add(evaluated)
                elsewhere = evaluated not in route.arrangements  # a route naming both A and B needs no succession
                if elsewhere:
                    successions.append((named, evaluated))
                for view in self.in_scope:
                    body = view.accreditation.accreditation_body
                    for reading in snapshot.status_readings(body, evaluated, activity, d_issue, schemes):
                        status = reading.record.status
                        if status is _SIGNATORY:
                            if elsewhere:
                                self.warn_succession(named, evaluated)
                            return self.arrangement_passed(named if elsewhere else evaluated, evaluated, view, reading)
                        if status is _SUSPENDED and suspended is None:
                            suspended = (view, reading)
                        elif other is None:
                            other = (view, reading)
        if successions:  # the failure was read, at least in part, in arrangements the policy does not name
            self.warn_succession(*successions[0])
        names = ", ".join(sorted(evaluated_already))
        if suspended is not None:
            view, reading = suspended
            body = view.accreditation.accreditation_body
            return _RouteResult(False, ReasonCode.AB_SUSPENDED_AT_ISSUE,
                                f"{body} was suspended in {reading.arrangement} for {words(activity)} on {d_issue}, "
                                f"the issue date (suspended from {day_text(reading.record.valid_from)}): its accreditations did "
                                "not carry recognition then, and a later reinstatement does not change that.",
                                links=(self.links.status_link(body, reading, None, holds=False),))
        bodies = ", ".join(dict.fromkeys(view.accreditation.accreditation_body for view in self.in_scope))
        held = ""
        if other is not None:
            held = (f" ({other[1].record.accreditation_body} was {TEXT[other[1].record.status]} in "
                    f"{other[1].arrangement} then)")
        return _RouteResult(False, ReasonCode.AB_NOT_SIGNATORY_FOR_SCOPE,
                            f"{bodies} held no signatory status for {words(activity)} in {names} on {d_issue}{held}.",
                            links=(self.links.status_link(other[0].accreditation.accreditation_body, other[1], None, holds=False),)
                            if other is not None else ())

    def warn_succession(self, named: str, evaluated: str) -> None:
        relation = "succeeded" if is_successor(self.snapshot, named, evaluated) else "preceded"
        self.warn(WarningCode.SUCCESSION_APPLIED,
                  f"The policy names {named}; for an attestation issued on {self.d_issue} it was evaluated in "
                  f"{evaluated}, which {relation} it.")

    def arrangement_passed(self, named: str, evaluated: str, view: AccreditationView,
                           reading: StatusReading) -> _RouteResult:
        snapshot, d_clear = self.snapshot, self.d_clear
        body = view.accreditation.accreditation_body
        # The status on D_clear, read in the same arrangement continued through succession: a succession by
        # itself is no change.
        continued = snapshot.continued_on(evaluated, d_clear)
        now = snapshot.status_readings(body, continued, self.activity, d_clear, self.policy.required)
        signatory_now = next((r for r in now if r.record.status is _SIGNATORY), None)
        shown_now = signatory_now or (now[0] if now else None)
        if signatory_now is None:
            self.warn(WarningCode.AB_STATUS_CHANGED_SINCE_ISSUE,
                      f"{body} is no longer a signatory in {continued} for {words(self.activity)} on {d_clear} "
                      f"({TEXT[shown_now.record.status] if shown_now else 'no status recorded'}); the attestation "
                      f"was issued while it was, so the decision stands.")
        links: list[PathLink] = [self.links.accreditation_link(view)]
        for succession_link in self.links.succession_links(named, evaluated, reading):
            links.append(succession_link)
        links.append(self.links.status_link(body, reading, shown_now))
        via = f" (the policy names {named})" if evaluated != named else ""
        message = (f"{body}, which accredits {self.cab.code} for {words(self.activity)}, was a signatory of {evaluated}"
                   f"{via} for {words(self.activity)} on {self.d_issue}, the issue date.")
        return _RouteResult(True, ReasonCode.ARRANGEMENT_ROUTE, message,
                            PassedRoute(RouteKind.ARRANGEMENT, evaluated), tuple(links), view)

    # -- the government route ---------------------------------------------------------------------------------
    def government_route(self, route: model.Route) -> _RouteResult:
        snapshot, c, attestation_type = self.snapshot, self.consignment, self.attestation.type
        exporter_side = snapshot.parties_of(c.exporter, self.d_issue)
        importer_side = snapshot.parties_of(c.importer, self.d_clear)
        if route.arrangements:
            arrangements = [code for code in dict.fromkeys(route.arrangements) if _is_government(snapshot, code)]
        else:
            arrangements = list(snapshot.government_arrangements_between(exporter_side, importer_side))
        best: tuple[int, str, str, ReasonCode, str] | None = None  # furthest failure: (-progress, arrangement, sector, …)
        for code in arrangements:
            parties = snapshot.arrangements[code].parties
            pairs = [(e, i) for e in exporter_side if e in parties for i in importer_side if i in parties and i != e]
            if not pairs:
                continue
            for sector in snapshot.sectors_of(code):
                for exporter_party, importer_party in pairs:
                    progress, reason, message, links = self.candidate(code, sector, exporter_party, importer_party,
                                                                      importer_side)
                    if reason is ReasonCode.GOVERNMENT_ROUTE:
                        return _RouteResult(True, reason, message,
                                            PassedRoute(RouteKind.GOVERNMENT, code, sector.sector.code), links)
                    rank = (-progress, code, sector.sector.code, reason, message)
                    if best is None or rank[:3] < best[:3]:
                        best = rank
        if best is None or best[0] == 0:  # no candidate got past coverage: say so for all of them at once
            scope = ", ".join(route.arrangements) if route.arrangements else "any government arrangement"
            return _RouteResult(False, ReasonCode.SECTOR_NOT_COVERED,
                                f"No sector of {scope} between {c.exporter} and {c.importer} covers HS {self.hs} for "
                                f"{words(attestation_type)} attestations.")
        return _RouteResult(False, best[3], best[4])

    def candidate(self, code: str, sector: SectorView, exporter_party: str, importer_party: str,
                  importer_side: tuple[str, ...]) -> tuple[int, ReasonCode, str, tuple[PathLink, ...]]:
        """RULES.md step 7, government route: check one candidate sector; how far it got, and why it stopped."""
        attestation_type, d_issue, d_clear, cab = self.attestation.type, self.d_issue, self.d_clear, self.cab
        s = sector.sector
        name = f"{code} / {s.code}"
        if not (covers(s.hs_prefixes, s.excluded_hs_prefixes, self.hs) and attestation_type in s.attestation_types):
            return 0, ReasonCode.SECTOR_NOT_COVERED, (
                f"The sector {name} does not cover HS {self.hs} for {words(attestation_type)} attestations."), ()
        pair = PartyPair.of(exporter_party, importer_party)
        operation = sector.operation_on(pair, attestation_type, d_issue)
        if operation is None:
            others = [t for t in sector.types_by_pair.get(pair, ()) if t is not attestation_type
                      and t in s.attestation_types and sector.operation_on(pair, t, d_issue) is not None]
            if others:
                return 1, ReasonCode.PHASE_NOT_IMPLEMENTED, (
                    f"Under {name}, {words(attestation_type)} attestations were not operational between "
                    f"{exporter_party} and {importer_party} on {d_issue} (only {listing([words(t) for t in others])} "
                    "was): that phase is not implemented between them."), ()
            return 1, ReasonCode.SECTOR_NOT_OPERATIONAL, (
                f"The sector {name} was not operational between {exporter_party} and {importer_party} on {d_issue}, "
                "the issue date."), ()
        designation = None
        for party in importer_side:
            history = cab.designations.get((code, s.code, party))
            found = history.at(d_issue) if history is not None else None
            if found is not None and (not found.attestation_types or attestation_type in found.attestation_types):
                designation = found
                break
        if designation is None:
            if cab.is_regulator:
                return 2, ReasonCode.AUTHORITY_NOT_RECOGNISED_AT_ISSUE, (
                    f"{cab.code} was not recognised under {name} for {importer_party}'s requirements on {d_issue}, "
                    "the issue date: its inspections are not accepted."), ()
            return 2, ReasonCode.CAB_NOT_DESIGNATED, (
                f"{cab.code} was not designated under {name} to assess {words(attestation_type)} against "
                f"{importer_party}'s requirements on {d_issue}, the issue date."), ()
        termination = s.termination
        operation_now = sector.operation_on(pair, attestation_type, d_clear)
        if termination is not None and termination.voids_existing and operation_now is None:
            return 3, ReasonCode.SECTOR_TERMINATED_VOIDS_EXISTING, (
                f"The sector {name} ceased on {termination.effective} and the termination voids attestations issued "
                f"before it: on {d_clear}, the clearance date, it no longer applies."), ()
        links: list[PathLink] = []
        if self.in_scope:
            links.append(self.links.accreditation_link(self.in_scope[0]))
        if exporter_party != self.consignment.exporter:
            links.extend(self.links.membership_links(exporter_party, (self.consignment.exporter,), on_issue=True))
        links.append(self.links.operation_link(code, s, operation, pair, attestation_type, operation_now))
        links.append(self.links.designation_link(designation))
        message = (f"Under {name}, {words(attestation_type)} attestations were operational between {exporter_party} "
                   f"and {importer_party} on {d_issue}, and {cab.code} was "
                   f"{'recognised' if cab.is_regulator else 'designated'} for {designation.for_party}'s requirements then.")
        return 4, ReasonCode.GOVERNMENT_ROUTE, message, tuple(links)

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


_WARNING_ORDER = {code: index for index, code in enumerate((
    WarningCode.CREDENTIAL_CLAIM_DIFFERS,
    WarningCode.OFFICIAL_CERTIFICATE_REQUIRED,
    WarningCode.NO_POLICY_RECORDED,
    WarningCode.CAB_ACCREDITATION_CHANGED_SINCE_ISSUE,
    WarningCode.SUCCESSION_APPLIED,
    WarningCode.AB_STATUS_CHANGED_SINCE_ISSUE,
))}


def _is_government(snapshot: Snapshot, code: str) -> bool:
    arrangement = snapshot.arrangements.get(code)
    return arrangement is not None and arrangement.kind is ArrangementKind.GOVERNMENT


def _inactive_message(cab: CabView, activity: Activity, claimed: str | None,
                      candidates: list[AccreditationView], day: date) -> str:
    by = f" by {claimed}" if claimed else ""
    if not candidates:
        return f"{cab.code} holds no accreditation{by} for {words(activity)} in the registry."
    states = ", ".join(
        f"{view.accreditation.number}: {accreditation_state(view.accreditation, day).lower().replace('_', ' ')}"
        for view in candidates
    )
    return (f"{cab.code} held no active accreditation{by} for {words(activity)} on {day}, the issue date "
            f"({states}).")
