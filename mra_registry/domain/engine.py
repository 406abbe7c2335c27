"""The recognition engine: RULES.md steps 1 to 7, in order; the first terminal result wins.

``decide(snapshot, consignment)`` reads nothing but the snapshot and the consignment, so equal input and an
equal registry version give an equal decision. Every decision explains itself: reasons with messages an
officer can read, the recognition path (each link with its record, dates and provenance) and warnings from
the steps that ran.
"""
from __future__ import annotations

from datetime import date

from . import model
from .arrangement_route import arrangement_route, signatory_list_sources
from .codes import (
    ACTIVITY_OF_TYPE,
    ASSURANCE_OF,
    ASSURANCE_RANK,
    Activity,
    Assurance,
    Confidence,
    Outcome,
    ReasonCode,
    RouteKind,
    WarningCode,
)
from .completeness import known_since
from .decision import Consignment, Decision, DecisionCheck, DecisionReason, DecisionWarning, PassedRoute, PathLink
from .errors import InputErrorCode, InvalidInput
from .government_route import government_route
from .hs import covers, is_hs_code
from .intervals import holds_on
from .methods import keys_match, method_key
from .path_links import PathLinks, is_successor
from .route_result import Failure, RouteResult, RouteState, start_unknown_on
from .snapshot import AccreditationView, CabView, PolicyView, Snapshot
from .wording import TEXT, a_words, accreditation_state, accreditation_words, listing, words

_ASSURANCE_BY_RANK = {rank: assurance for assurance, rank in ASSURANCE_RANK.items()}


def decide(snapshot: Snapshot, consignment: Consignment) -> Decision:
    """Decide whether the importing economy must retest, re-inspect or re-certify (RULES.md).

    Raises ``InvalidInput`` for an HS code that is not 6 to 10 digits or an economy that is not a two-letter
    upper-case code (the API checks ISO 3166-1 itself; a well-formed economy the registry does not know
    simply has no policies)."""
    validate(consignment)
    return Evaluation(snapshot, consignment).run()


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


class Evaluation:
    """One decision's working state: the dates, the warnings, the path and the facts it rests on, as the steps
    find them. The routes (``arrangement_route``, ``government_route``) read and extend it."""

    __slots__ = ("snapshot", "consignment", "attestation", "d_issue", "d_clear", "hs", "warnings", "path",
                 "policy", "cab", "activity", "qualifying", "in_scope", "importer_unions", "links", "unheld",
                 "claimed_body", "basis", "checks", "start_unknown")

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
        # CAB_NOT_RECORDED (issuer not held) or ACCREDITATION_NOT_RECORDED (claimed accreditation not held):
        # the document is decided on what it claims, and no route can pass on it.
        self.unheld: ReasonCode | None = None
        self.claimed_body: str | None = None
        self.basis: list[model.Provenance] = []  # facts the decision rests on beside its path
        self.checks: list[DecisionCheck] = []
        self.start_unknown = False

    # -- driver --------------------------------------------------------------------------------------------
    def run(self) -> Decision:
        try:
            self.authenticity()
            decision = self.requirement()
            if decision is not None:
                return decision
            self.presence_and_type()
            self.freshness_and_identity()
            self.activity = ACTIVITY_OF_TYPE[self.attestation.type]
            if self.unheld is not None:  # steps 5 and 6 read what the document says only
                self.under_accreditation()
                self.missing_tests()
            elif not self.cab.is_regulator:  # regulators are recognised by the government route only
                self.own_accreditation()
                self.scope()
            else:
                self.missing_tests()
            return self.routes()
        except Failure as failure:
            self.basis.extend(failure.basis)
            self.warn_accreditation_changed(self.in_scope[0] if self.in_scope else None)
            self.order_warnings()
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
            assurance=self.assurance(),
            checks=tuple(dict.fromkeys(self.checks)),
        )

    def assurance(self) -> Assurance:
        """RULES.md "Assurance": the weakest confidence among the facts the decision rested on (its path, the
        records and declarations behind its results); a relied-on start that is not known caps it."""
        rank = 2
        for link in self.path:
            if link.confidence is not None:
                rank = min(rank, ASSURANCE_RANK[ASSURANCE_OF[Confidence(link.confidence)]])
        for provenance in self.basis:
            rank = min(rank, ASSURANCE_RANK[ASSURANCE_OF[provenance.confidence]])
        if self.start_unknown:
            rank = min(rank, ASSURANCE_RANK[Assurance.UNCONFIRMED])
        return _ASSURANCE_BY_RANK[rank]

    def warn(self, code: WarningCode, message: str) -> None:
        if all(w.code is not code for w in self.warnings):
            self.warnings.append(DecisionWarning(code, message))

    def order_warnings(self) -> None:
        # Steps run in order but step 5's warning is only settled once step 7 has picked the accreditation relied
        # on; list warnings in the order of the steps that raised them.
        self.warnings.sort(key=lambda w: _WARNING_ORDER[w.code])

    # -- step 1: authenticity -> INVALID -----------------------------------------------------------------
    def authenticity(self) -> None:
        """Refute the document only on what the registry knows: a record (a look-alike body, the CAB's own
        accreditations) or a completeness declaration. An issuer or claim it simply does not hold is decided
        on what the document says (``unheld``)."""
        attestation = self.attestation
        if attestation is None:
            return
        snapshot, d_issue, completeness = self.snapshot, self.d_issue, self.snapshot.completeness
        claimed_body = attestation.accreditation_body or None
        claimed_number = attestation.accreditation_number or None
        self.claimed_body = claimed_body
        body = snapshot.accreditation_bodies.get(claimed_body) if claimed_body is not None else None
        body_declaration = completeness.accreditations(claimed_body, d_issue) if body is not None else None
        cab = snapshot.cabs.get(attestation.issuer)
        if cab is None:
            declaration = completeness.cabs(d_issue)
            if declaration is not None:
                raise Failure(Outcome.INVALID, ReasonCode.UNKNOWN_CAB,
                              f"The issuer {attestation.issuer!r} is not a conformity assessment body in the registry, "
                              f"which declares it holds every one on {d_issue} ({declaration.code}): the attestation "
                              "cannot be relied on.", (declaration.provenance,))
            if body_declaration is not None:
                raise Failure(Outcome.INVALID, ReasonCode.UNKNOWN_CAB,
                              f"The attestation claims accreditation by {claimed_body}, and the registry holds every "
                              f"accreditation {claimed_body} granted on {d_issue} ({body_declaration.code}): none is "
                              f"held by {attestation.issuer!r}, so the claim is refuted.",
                              (body_declaration.provenance, body.provenance))
            self.unheld = ReasonCode.CAB_NOT_RECORDED
        else:
            self.cab = cab
        if claimed_body is not None and body is None:
            lookalike = snapshot.lookalike_bodies.get(claimed_body)
            if lookalike is not None:
                raise Failure(Outcome.INVALID, ReasonCode.UNRECOGNISED_ACCREDITATION_BODY,
                              f"The attestation claims accreditation by {claimed_body!r}, which the registry records as "
                              "not an accreditation body (a look-alike of one): the claim cannot be relied on.",
                              (lookalike.provenance,))
            declaration = completeness.accreditation_bodies(d_issue)
            if declaration is not None:
                raise Failure(Outcome.INVALID, ReasonCode.UNRECOGNISED_ACCREDITATION_BODY,
                              f"The attestation claims accreditation by {claimed_body!r}, which is not an accreditation "
                              f"body: the registry holds every one on {d_issue} ({declaration.code}).",
                              (declaration.provenance,))
        if cab is not None and (claimed_body is not None or claimed_number is not None) and not any(
            (claimed_body is None or view.accreditation.accreditation_body == claimed_body)
            and (claimed_number is None or view.accreditation.number == claimed_number)
            for view in cab.accreditations
        ):
            if body_declaration is not None:
                claim = " ".join(part for part in (claimed_body, f"number {claimed_number}" if claimed_number else None)
                                 if part)
                raise Failure(Outcome.INVALID, ReasonCode.ACCREDITATION_MISMATCH,
                              f"{cab.code} has never held an accreditation {claim}, and the registry holds every "
                              f"accreditation {claimed_body} granted ({body_declaration.code}): the accreditation claimed "
                              "on the attestation does not belong to its issuer.",
                              (body_declaration.provenance, cab.cab.provenance))
            self.unheld = ReasonCode.ACCREDITATION_NOT_RECORDED
        if self.d_issue > self.d_clear:
            self.basis.clear()
            raise Failure(Outcome.INVALID, ReasonCode.FUTURE_DATED,
                          f"The attestation is dated {self.d_issue}, after the clearance date {self.d_clear}.")
        if attestation.credential is not None:
            # Verifying signed credentials (keys, issuer identifiers, status lists) is not supported yet:
            # an unverifiable credential must not be trusted, so it is refused rather than guessed at.
            raise Failure(Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID,
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
            return self.no_policy()
        self.policy = policy
        if policy.policy.importer != c.importer:
            self.path.extend(self.links.membership_links(policy.policy.importer, (c.importer,)))
        self.path.append(self.links.policy_link(policy))
        return None

    def no_policy(self) -> Decision:
        """No policy applies: nothing is required only where the registry declares it holds every rule of the
        importer (and of each union it belongs to) for this code; otherwise the rule is not known."""
        c, d_clear, completeness = self.consignment, self.d_clear, self.snapshot.completeness
        unions = [u for u in self.importer_unions if u != c.importer]
        own = completeness.import_policies(c.importer, self.hs, d_clear)
        if own is None:
            own = next((found for u in unions
                        if (found := completeness.import_policies(u, self.hs, d_clear, members_only=True))), None)
        union_declarations = [completeness.import_policies(u, self.hs, d_clear) for u in unions]
        for union in unions:
            membership = self.snapshot.membership(c.importer, union, d_clear)
            if membership is not None:
                self.basis.append(membership.provenance)
        if own is not None and all(union_declarations):
            used = list(dict.fromkeys((own, *union_declarations)))
            self.basis.extend(d.provenance for d in used)
            codes = ", ".join(d.code for d in used)
            return self.not_required(ReasonCode.NO_REQUIREMENT,
                                     f"No import policy of {c.importer} applies to HS {self.hs} on {d_clear}, and the "
                                     f"registry holds every import rule of {c.importer} for that code ({codes}).")
        nearest = [d for d in (own, *union_declarations) if d is not None]
        self.basis.extend(d.provenance for d in nearest)
        missing = c.importer if own is None else next(u for u, d in zip(unions, union_declarations) if d is None)
        sources = tuple(dict.fromkeys(s for d in nearest for s in d.provenance.sources))
        self.checks.append(DecisionCheck(
            ReasonCode.NO_POLICY_RECORDED,
            f"Verify {c.importer}'s import requirement for HS {self.hs} on {d_clear} (documents, tests, accepted "
            f"bodies) with its regulator{'' if missing == c.importer else f' and the rules of {missing}'}.",
            sources))
        reason = ReasonCode.NO_POLICY_RECORDED
        message = (f"The registry holds no import rule of {c.importer} for HS {self.hs} on {d_clear} and does not "
                   f"declare its record of {missing}'s rules for that code complete: whether {c.importer} requires an "
                   "attestation is not known here.")
        return self.finish(Outcome.UNDETERMINED, reason, (DecisionReason(reason, message),))

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
            raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.NO_ATTESTATION,
                          f"Policy {policy.code} of {policy.importer} requires {a_words(policy.required_type)} "
                          f"attestation for HS {self.hs} and none was presented.")
        if attestation.type is not policy.required_type:
            raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.WRONG_ATTESTATION_TYPE,
                          f"Policy {policy.code} requires {a_words(policy.required_type)} attestation; "
                          f"{a_words(attestation.type)} attestation was presented and cannot stand in for it.")
        if self.cab is not None:
            self.path.append(self.links.cab_link(self.cab))

    # -- step 4: freshness and identity -> RETEST_REQUIRED ----------------------------------------------------
    def freshness_and_identity(self) -> None:
        policy = self.policy.policy
        attestation = self.attestation
        age = (self.d_clear - self.d_issue).days
        if policy.max_age_days is not None and age > policy.max_age_days:
            raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.REPORT_TOO_OLD,
                          f"The attestation is {age} days old on {self.d_clear}; policy {policy.code} accepts at most "
                          f"{policy.max_age_days} days.")
        if policy.lot_match:
            presented, shipped = attestation.lot or None, self.consignment.lot or None
            if presented is None or shipped is None or presented != shipped:
                raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.LOT_MISMATCH,
                              f"Policy {policy.code} requires the attestation to be for the consignment's lot: "
                              f"attestation lot {presented or 'not stated'}, consignment lot {shipped or 'not stated'}.")

    # -- step 5: the CAB's own accreditation -> RETEST_REQUIRED -----------------------------------------------
    def own_accreditation(self) -> None:
        attestation, cab, d_issue, activity = self.attestation, self.cab, self.d_issue, self.activity
        if activity is None:
            raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.CAB_ACCREDITATION_NOT_ACTIVE,
                          f"A {words(attestation.type)} attestation is issued only by a regulatory authority; "
                          f"{cab.code} is not one.", (cab.cab.provenance,))
        claimed = attestation.accreditation_body or None
        candidates = [view for view in cab.accreditations if view.accreditation.activity is activity
                      and (claimed is None or view.accreditation.accreditation_body == claimed)]
        qualifying = [view for view in candidates if view.accreditation.active_on(d_issue)]
        if not qualifying:
            raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.CAB_ACCREDITATION_NOT_ACTIVE,
                          _inactive_message(cab, activity, claimed, candidates, d_issue),
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
        policy, attestation = self.policy, self.attestation
        required = policy.required
        if attestation.tests and required:
            listed = [method_key(test) for test in attestation.tests]
            missing = [policy.policy.required_tests[i] for i, key in enumerate(required)
                       if not any(keys_match(key, other) for other in listed)]
            if missing:
                raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.MISSING_REQUIRED_TEST,
                              f"Policy {policy.code} requires {listing(missing)}, which the attestation does not "
                              "list among the tests it covers.")

    def scope(self) -> None:
        policy, hs = self.policy, self.hs
        required = policy.required
        self.missing_tests()
        in_scope = [view for view in self.qualifying if all(view.covers_method(key, hs) for key in required)]
        if not in_scope:
            first = self.qualifying[0]
            uncovered = [policy.policy.required_tests[i] for i, key in enumerate(required)
                         if not first.covers_method(key, hs)]
            self.in_scope = []
            raise Failure(Outcome.RETEST_REQUIRED, ReasonCode.OUT_OF_SCOPE,
                          f"The accreditation scope of {self.cab.code} ({accreditation_words(first.accreditation)}) "
                          f"does not cover {listing(uncovered)} for HS {hs}.",
                          tuple(view.accreditation.provenance for view in self.qualifying))
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
        results: list[RouteResult] = []
        for route in policy.routes:
            if route.kind is RouteKind.ARRANGEMENT:
                result = arrangement_route(self, route)
            else:
                result = government_route(self, route)
            reasons.append(DecisionReason(result.reason, result.message, route.label()))
            results.append(result)
            self.basis.extend(result.basis)
            if result.passed:
                self.path.extend(result.links)
                self.note_start_unknown((result,))
                self.warn_accreditation_changed(result.relied_on or (self.in_scope[0] if self.in_scope else None))
                self.order_warnings()
                return self.finish(Outcome.RECOGNISED, result.reason, tuple(reasons), result.route)
        unknown = next((r for r in results if r.state is RouteState.UNKNOWN), None)
        decisive = unknown or results[0]
        self.path.extend(decisive.links)
        self.note_start_unknown(results)
        if unknown is not None:
            for result in results:
                self.checks.extend(result.checks)
        self.warn_accreditation_changed(self.in_scope[0] if self.in_scope else None)
        self.order_warnings()
        outcome = Outcome.UNDETERMINED if unknown is not None else Outcome.RETEST_REQUIRED
        return self.finish(outcome, decisive.reason, tuple(reasons))

    def note_start_unknown(self, results) -> None:
        """STATUS_START_UNKNOWN for every status relied on before the registry knows it held."""
        for result in results:
            for reading in result.readings:
                record = reading.record
                if not start_unknown_on(record, self.d_issue):
                    continue
                self.start_unknown = True
                since = known_since(record.reported_since)
                known = f"sources show it from {since}" if since is not None else "no source dates its start"
                arrangement = self.snapshot.arrangements.get(record.arrangement)
                bound = arrangement.activity_start(record.activity) if arrangement is not None else None
                self.warn(WarningCode.STATUS_START_UNKNOWN,
                          f"{record.accreditation_body}'s {TEXT[record.status]} status in {record.arrangement} for "
                          f"{words(record.activity)} has no recorded start ({known}); the decision takes it as holding "
                          f"on {self.d_issue}, the issue date, since {record.arrangement} covered {words(record.activity)}"
                          f"{f' (from {bound})' if bound else ''}.")
                self.checks.append(DecisionCheck(
                    WarningCode.STATUS_START_UNKNOWN,
                    f"Verify that {record.accreditation_body} held {TEXT[record.status]} status in {record.arrangement} "
                    f"for {words(record.activity)} on {self.d_issue}, the issue date.",
                    signatory_list_sources(self, record.arrangement, record.accreditation_body)))

    def warn_succession(self, named: str, evaluated: str) -> None:
        relation = "succeeded" if is_successor(self.snapshot, named, evaluated) else "preceded"
        self.warn(WarningCode.SUCCESSION_APPLIED,
                  f"The policy names {named}; for an attestation issued on {self.d_issue} it was evaluated in "
                  f"{evaluated}, which {relation} it.")

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
    WarningCode.STATUS_START_UNKNOWN,
))}


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
