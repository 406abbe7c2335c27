"""The recognition engine: RULES.md steps 1 to 7, in order; the first terminal result wins.

``decide(snapshot, consignment)`` reads nothing but the snapshot and the consignment, so equal input and an
equal registry version give an equal decision. Step 1 runs on every presented attestation; step 2 finds what
the importer requires; steps 3 to 7 run once per requirement of the applied policy (``Attempt``), on the
presented attestation of its type that gets furthest; the requirements' results combine into one decision that
explains itself: reasons, the recognition path, warnings, the assurance it rests on and the checks it needs.
"""
from __future__ import annotations

import re
import string
from datetime import date

from . import model
from .attempt import Attempt
from .authenticity import Issuer, authenticate
from .codes import Assurance, Confidence, Outcome, ReasonCode, WarningCode
from .decision import (Consignment, Decision, DecisionCheck, DecisionReason, DecisionWarning, PathLink, new_decision,
                       new_reason, new_warning)
from .errors import InputErrorCode, InvalidInput
from .hs import is_hs_code
from .path_links import PathLinks
from .policy_step import policy_step
from .route_result import Failure, RouteState
from .snapshot import Snapshot
from .wording import a_words, listing, words

# RULES.md "Assurance": CONFIRMED > UNCONFIRMED > FIXTURE. A link names its confidence by value ("fixture") and a
# provenance by member (Confidence.FIXTURE): a str enum hashes and compares as its value, so one table reads both.
_RANK_OF_CONFIDENCE = {Confidence.CONFIRMED: 2, Confidence.UNCONFIRMED: 1, Confidence.FIXTURE: 0}
_ASSURANCE_BY_RANK = (Assurance.FIXTURE, Assurance.UNCONFIRMED, Assurance.CONFIRMED)
_ECONOMY = re.compile(r"[A-Z]{2}")  # two ASCII upper-case letters (the API checks ISO 3166-1 itself)
# every string _ECONOMY matches, all 676 of them: a plain str is checked with one set look-up instead of a regex
_TWO_LETTER_CODES = frozenset(first + second for first in string.ascii_uppercase for second in string.ascii_uppercase)
# furthest first: a requirement is decided on the presented document of its type that gets furthest
_PREFERENCE = {RouteState.PASS: 0, RouteState.UNKNOWN: 1, RouteState.FAIL: 2}


def decide(snapshot: Snapshot, consignment: Consignment) -> Decision:
    """Decide whether the importing economy must retest, re-inspect or re-certify (RULES.md).

    Raises ``InvalidInput`` for an HS code that is not 6 to 10 digits or an economy that is not a two-letter
    upper-case code (the API checks ISO 3166-1 itself; a well-formed economy the registry does not know
    simply has no policies)."""
    validate(consignment)
    return _Decision(snapshot, consignment).run()


def validate(consignment: Consignment) -> None:
    hs_code = consignment.hs_code
    # the plain-str checks here accept exactly what the patterns do (ASCII digits; two ASCII upper-case letters)
    # without a regex call; anything else (a str subclass, a wrong shape) is judged by the patterns themselves
    if not (type(hs_code) is str and 6 <= len(hs_code) <= 10 and hs_code.isascii() and hs_code.isdigit()) \
            and not is_hs_code(hs_code):
        raise InvalidInput(
            "hsCode", f"{hs_code!r} is not an HS code: give 6 to 10 digits, without dots or spaces.",
            InputErrorCode.INVALID_HS_CODE,
        )
    exporter, importer = consignment.exporter, consignment.importer
    if not (type(exporter) is str and exporter in _TWO_LETTER_CODES):
        _check_economy("exporter", exporter)
    if not (type(importer) is str and importer in _TWO_LETTER_CODES):
        _check_economy("importer", importer)
    if not isinstance(consignment.clearance_date, date):
        raise InvalidInput("clearanceDate", "the clearance date must be a calendar date.", InputErrorCode.INVALID_INPUT)
    attestation, attestations = consignment.attestation, consignment.attestations
    if attestation is not None:
        if attestations:
            raise InvalidInput("attestations", "give the documents either as attestation (one) or as attestations "
                               "(a list), not both.", InputErrorCode.INVALID_INPUT)
        if not isinstance(attestation.issue_date, date):
            raise InvalidInput("attestation.issueDate", "the issue date must be a calendar date.",
                               InputErrorCode.INVALID_INPUT)
        return
    for index, attestation in enumerate(attestations):
        if not isinstance(attestation.issue_date, date):
            raise InvalidInput(f"attestations[{index}].issueDate", "the issue date must be a calendar date.",
                               InputErrorCode.INVALID_INPUT)


def _check_economy(field: str, economy) -> None:
    if not (isinstance(economy, str) and _ECONOMY.fullmatch(economy)):
        raise InvalidInput(
            field, f"{economy!r} is not an economy: give an ISO 3166-1 alpha-2 code such as FR.",
            InputErrorCode.UNKNOWN_ECONOMY,
        )


class _Decision:
    """One decision: step 1 on every document, step 2, one ``Attempt`` per requirement, then the combination."""

    __slots__ = ("snapshot", "consignment", "presented", "links", "credential_notes")

    def __init__(self, snapshot: Snapshot, consignment: Consignment):
        self.snapshot = snapshot
        self.consignment = consignment
        self.presented = consignment.presented
        first = self.presented[0].issue_date if self.presented else None
        self.links = PathLinks(snapshot, first, consignment.clearance_date)
        self.credential_notes: tuple[tuple, tuple, tuple] | None = None  # None: no credential adds anything

    def run(self) -> Decision:
        snapshot, consignment = self.snapshot, self.consignment
        issuers: list[Issuer] = []
        for attestation in self.presented:  # in the order presented: a refuted document refuses the consignment
            try:
                issuers.append(authenticate(snapshot, attestation, consignment.clearance_date))
            except Failure as failure:
                return self.finish(failure.outcome, failure.reason, (new_reason(failure.reason, failure.message),),
                                   basis=list(failure.basis), issue_date=attestation.issue_date)
        # the documents as decided (a credential's claims fill the plain fields it leaves absent), and what their
        # credentials add to any decision that follows (warnings, checks, the keys and status lists relied on)
        if len(issuers) == 1:  # most consignments: one document (no comprehension to call)
            presented = self.presented = (issuers[0].attestation or self.presented[0],)
        else:
            presented = self.presented = tuple([issuer.attestation or attestation
                                                for issuer, attestation in zip(issuers, self.presented)])
        for issuer in issuers:
            if issuer.warnings or issuer.checks or issuer.basis:
                self.credential_notes = (tuple(w for i in issuers for w in i.warnings),
                                         tuple(c for i in issuers for c in i.checks),
                                         tuple(b for i in issuers for b in i.basis))
                break
        step = policy_step(snapshot, consignment, self.links)
        if step.outcome is not None:
            first = presented[0].issue_date if presented else None
            return self.finish(step.outcome, step.reason, step.reasons, path=step.path, warnings=step.warnings,
                               basis=step.basis, checks=step.checks, issue_date=first)
        policy = step.policy
        attempts: list[Attempt | None] = []
        reasons: list[DecisionReason] = []
        used: set[int] = set()
        for index, requirement in enumerate(policy.requirements):
            wanted = requirement.requirement.required_type
            best: Attempt | None = None
            best_at = -1
            for i, attestation in enumerate(presented):
                if attestation.type is wanted:
                    tried = Attempt(snapshot, consignment, policy, index, requirement, attestation, issuers[i]).run()
                    # furthest first; on a tie the first presented (as min over the tried ones picks)
                    if best is None or _PREFERENCE[tried.state] < _PREFERENCE[best.state]:
                        best, best_at = tried, i
            if best is None:
                attempts.append(None)
                reasons.append(self.missing(policy, index, wanted))
                continue
            used.add(best_at)
            attempts.append(best)
            reasons.extend(best.reasons)
        return self.combine(step, attempts, reasons, used)

    def missing(self, policy, index: int, wanted) -> DecisionReason:
        """RULES.md step 3: nothing presented at all, or nothing of the type the requirement asks for."""
        code = policy.code
        if not self.presented:
            return new_reason(ReasonCode.NO_ATTESTATION,
                              f"Policy {code} of {policy.policy.importer} requires {a_words(wanted)} attestation for "
                              f"HS {self.consignment.hs_code} and none was presented.", None, index)
        presented = listing(sorted({words(a.type) for a in self.presented}))
        return new_reason(ReasonCode.WRONG_ATTESTATION_TYPE,
                          f"Policy {code} requires {a_words(wanted)} attestation; only {presented} "
                          f"{'attestations were' if len(self.presented) > 1 else 'attestation was'} presented, "
                          "which cannot stand in for it.", None, index)

    def combine(self, step, attempts: list[Attempt | None], reasons: list[DecisionReason], used: set[int]) -> Decision:
        """INVALID was settled by step 1; else RETEST_REQUIRED if any requirement fails (the first failing one's
        reason), else UNDETERMINED if any is unknown (the first unknown one's), else RECOGNISED."""
        # the step's own lists, extended in place: nothing reads them after this decision
        path, warnings, basis = step.path, step.warnings, step.basis
        checks: list[DecisionCheck] = []
        unknown_checks: list[DecisionCheck] = []
        start_unknown = False
        failing: ReasonCode | None = None
        unknown: ReasonCode | None = None
        for index, attempt in enumerate(attempts):
            if attempt is None:
                if failing is None:
                    failing = next(r.code for r in reasons if r.requirement == index)
                continue
            state = attempt.state
            if state is RouteState.FAIL:
                if failing is None:
                    failing = attempt.reason
            elif state is RouteState.UNKNOWN and unknown is None:
                unknown = attempt.reason
            path.extend(attempt.path)
            warnings.extend(attempt.warnings)
            basis.extend(attempt.basis)
            checks.extend(attempt.start_checks)
            unknown_checks.extend(attempt.checks)
            start_unknown = start_unknown or attempt.start_unknown
        presented = self.presented
        if len(used) < len(presented):
            unused = [a for i, a in enumerate(presented) if i not in used]
            warnings.append(new_warning(
                WarningCode.ATTESTATION_NOT_REQUIRED,
                f"Policy {step.policy.code} uses no {listing([f'{words(a.type)} attestation from {a.issuer}' for a in unused])}"
                f": {'it was' if len(unused) == 1 else 'they were'} presented but no requirement asks for "
                f"{'it' if len(unused) == 1 else 'them'}."))
        first = attempts[0]
        issue_date = first.d_issue if first is not None else None
        if first is None and len(attempts) == 1 and presented:
            # one requirement answers exactly as before: the presented document's date, even of the wrong type
            issue_date = presented[0].issue_date
        if failing is not None:
            return self.finish(Outcome.RETEST_REQUIRED, failing, tuple(reasons), step.policy.code, path, warnings,
                               basis, checks, start_unknown, issue_date)
        if unknown is not None:
            return self.finish(Outcome.UNDETERMINED, unknown, tuple(reasons), step.policy.code, path, warnings,
                               basis, checks + unknown_checks, start_unknown, issue_date)
        routes = (first.route,) if len(attempts) == 1 else tuple([attempt.route for attempt in attempts])
        return self.finish(Outcome.RECOGNISED, first.reason, tuple(reasons), step.policy.code, path, warnings, basis,
                           checks, start_unknown, issue_date, routes)

    def finish(self, outcome: Outcome, reason: ReasonCode, reasons: tuple[DecisionReason, ...],
               policy: str | None = None, path: list[PathLink] = (), warnings: list[DecisionWarning] = (),
               basis: list[model.Provenance] = (), checks: list[DecisionCheck] = (), start_unknown: bool = False,
               issue_date: date | None = None, routes: tuple = ()) -> Decision:
        if outcome is not Outcome.INVALID and self.credential_notes is not None:
            extra_warnings, extra_checks, extra_basis = self.credential_notes
            warnings, checks, basis = [*extra_warnings, *warnings], [*checks, *extra_checks], [*basis, *extra_basis]
        return new_decision(  # positionally, in Decision's field order (a call with keywords costs more)
            outcome, reason, reasons, routes[0] if routes else None, tuple(path),
            tuple(warnings) if len(warnings) < 2 else _ordered(warnings),  # (most decisions: nothing to order)
            policy, issue_date, self.consignment.clearance_date, self.snapshot.version,
            _assurance(path, basis, start_unknown), (tuple(dict.fromkeys(checks)) if len(checks) > 1 else tuple(checks)), routes,  # (one: nothing to hash)
        )


def _assurance(path, basis, start_unknown: bool) -> Assurance:
    """RULES.md "Assurance": the weakest confidence among the facts the decision rested on (its path, the records
    and declarations behind its results); a relied-on start that is not known caps it at UNCONFIRMED."""
    rank_of = _RANK_OF_CONFIDENCE
    rank = 1 if start_unknown else 2
    for link in path:
        if link.confidence is not None:
            found = rank_of[link.confidence]
            if found < rank:
                rank = found
    for provenance in basis:
        found = rank_of[provenance.confidence]
        if found < rank:
            rank = found
    return _ASSURANCE_BY_RANK[rank]


def _ordered(warnings) -> tuple[DecisionWarning, ...]:
    """One warning per code, in the order of the steps that raise them."""
    if len(warnings) < 2:  # most decisions: nothing to order
        return tuple(warnings)
    seen: dict[WarningCode, DecisionWarning] = {}
    for warning in warnings:
        seen.setdefault(warning.code, warning)
    return tuple(sorted(seen.values(), key=lambda w: _WARNING_ORDER[w.code]))


_WARNING_ORDER = {code: index for index, code in enumerate((
    WarningCode.CREDENTIAL_NOT_VERIFIED,
    WarningCode.CREDENTIAL_STATUS_UNKNOWN,
    WarningCode.CREDENTIAL_CLAIM_DIFFERS,
    WarningCode.OFFICIAL_CERTIFICATE_REQUIRED,
    WarningCode.NO_POLICY_RECORDED,
    WarningCode.BORDER_CHECKS,
    WarningCode.CAB_ACCREDITATION_CHANGED_SINCE_ISSUE,
    WarningCode.SUCCESSION_APPLIED,
    WarningCode.AB_STATUS_CHANGED_SINCE_ISSUE,
    WarningCode.STATUS_START_UNKNOWN,
    WarningCode.ATTESTATION_NOT_REQUIRED,
))}
