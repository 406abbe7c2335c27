"""RULES.md step 2: does the importing economy require anything for this movement, and which policy applies?
Inside a single-market union or under an SPS equivalence agreement, nothing import-specific; otherwise the
policy that applies, or, where none does, nothing only inside an ``IMPORT_POLICIES`` declaration (else the
rule is unknown)."""
from __future__ import annotations

from . import model
from .codes import AttestationType, Outcome, ReasonCode, WarningCode
from .decision import (Consignment, DecisionCheck, DecisionReason, DecisionWarning, PathLink, new_check, new_reason,
                       new_warning)
from .hs import covers
from .intervals import holds_on
from .path_links import PathLinks
from .snapshot import PolicyView, Snapshot


class PolicyStep:
    """Step 2's finding: a terminal outcome (``outcome`` set) or the policy that applies. (A plain class with
    slots: one is made per decision, and a dataclass's field factories would cost it more.)"""

    __slots__ = ("policy", "outcome", "reason", "message", "path", "warnings", "basis", "checks")

    def __init__(self):
        self.policy: PolicyView | None = None
        self.outcome: Outcome | None = None
        self.reason: ReasonCode | None = None
        self.message = ""
        self.path: list[PathLink] = []
        self.warnings: list[DecisionWarning] = []
        self.basis: list[model.Provenance] = []
        self.checks: list[DecisionCheck] = []

    @property
    def reasons(self) -> tuple[DecisionReason, ...]:
        return (new_reason(self.reason, self.message),)


def policy_step(snapshot: Snapshot, c: Consignment, links: PathLinks) -> PolicyStep:
    d_clear, hs = c.clearance_date, c.hs_code
    step = PolicyStep()
    # each side's memberships on D_clear, read once: the unions, the parties and the SPS check all start from them
    exporter, importer = c.exporter, c.importer
    exporter_member_of = snapshot.member_of(exporter, d_clear)
    importer_member_of = snapshot.member_of(importer, d_clear)
    exporter_unions = snapshot.unions_of(exporter, d_clear, exporter_member_of)
    importer_unions = snapshot.unions_of(importer, d_clear, importer_member_of)
    shared = sorted(set(exporter_unions) & set(importer_unions)) if exporter_unions and importer_unions else ()
    if shared:
        union = shared[0]
        step.path.extend(links.membership_links(union, (exporter, importer)))
        return _terminal(step, Outcome.NOT_REQUIRED, ReasonCode.INTRA_UNION,
                         f"{exporter} and {importer} are both in the {union} single market on {d_clear}: no "
                         "import-specific attestation applies; internal-market rules do.")
    if c.attestation is not None and not c.attestations:  # one document (Consignment.presented, without a call)
        presented = (c.attestation.type,)
    else:
        presented = tuple([a.type for a in c.presented])
    exporter_side = snapshot.parties_of(exporter, d_clear, exporter_member_of)
    importer_side = snapshot.parties_of(importer, d_clear, importer_member_of)
    policy = snapshot.applicable_policy(importer, importer_unions, hs, d_clear, presented, exporter_side)
    # An SPS agreement rests on the exporter's official certificate: a policy asking for one applies instead.
    agreement = None
    if policy is None or AttestationType.OFFICIAL_CERTIFICATE not in policy.required_types:
        agreement = _sps_agreement(snapshot, c, exporter_side, importer_side)
    if agreement is not None:
        arrangement, exporter_party, importer_party = agreement
        step.path.append(links.sps_link(arrangement))
        for economy, party in ((c.exporter, exporter_party), (c.importer, importer_party)):
            if party != economy:
                step.path.extend(links.membership_links(party, (economy,)))
        step.warnings.append(new_warning(
            WarningCode.OFFICIAL_CERTIFICATE_REQUIRED,
            f"Under {arrangement.code} the importer relies on the official certificate of {c.exporter}'s competent "
            "authority: check that it accompanies the consignment."))
        return _terminal(step, Outcome.NOT_REQUIRED, ReasonCode.SPS_EQUIVALENCE,
                         f"The SPS equivalence agreement {arrangement.code} between {exporter_party} and "
                         f"{importer_party} is in force on {d_clear} and covers HS {hs}: the importer does not retest.")
    if policy is None:
        return _no_policy(step, snapshot, c, importer_unions)
    step.policy = policy
    if policy.policy.importer != c.importer:
        step.path.extend(links.membership_links(policy.policy.importer, (c.importer,)))
    step.path.append(links.policy_link(policy, hs))
    checks = policy.policy.border_checks
    if checks is not None:
        what = f": {checks.note.rstrip('.')}" if checks.note else " (identity and physical checks, sampling)"
        step.warnings.append(new_warning(
            WarningCode.BORDER_CHECKS,
            f"Under {policy.code}, {policy.policy.importer} still checks {checks.percent:g} % of consignments at the "
            f"border whatever the documents say{what}. A recognised document is not a promise that nothing will be "
            "sampled."))
    return step


def _terminal(step: PolicyStep, outcome: Outcome, reason: ReasonCode, message: str) -> PolicyStep:
    step.outcome, step.reason, step.message = outcome, reason, message
    return step


def _no_policy(step: PolicyStep, snapshot: Snapshot, c: Consignment, importer_unions: tuple[str, ...]) -> PolicyStep:
    """Nothing is required only where the registry declares it holds every rule of the importer (and of each
    union it belongs to) for this code; otherwise the rule is not known."""
    d_clear, hs, completeness = c.clearance_date, c.hs_code, snapshot.completeness
    unions = [u for u in importer_unions if u != c.importer]
    own = completeness.import_policies(c.importer, hs, d_clear)
    if own is None:
        own = next((found for u in unions if (found := completeness.import_policies(u, hs, d_clear, members_only=True))),
                   None)
    union_declarations = [completeness.import_policies(u, hs, d_clear) for u in unions]
    for union in unions:
        membership = snapshot.membership(c.importer, union, d_clear)
        if membership is not None:
            step.basis.append(membership.provenance)
    if own is not None and all(union_declarations):
        used = list(dict.fromkeys((own, *union_declarations)))
        step.basis.extend(d.provenance for d in used)
        return _terminal(step, Outcome.NOT_REQUIRED, ReasonCode.NO_REQUIREMENT,
                         f"No import policy of {c.importer} applies to HS {hs} on {d_clear}, and the registry holds "
                         f"every import rule of {c.importer} for that code ({', '.join(d.code for d in used)}).")
    nearest = [d for d in (own, *union_declarations) if d is not None]
    step.basis.extend(d.provenance for d in nearest)
    missing = c.importer if own is None else next(u for u, d in zip(unions, union_declarations) if d is None)
    sources = tuple(dict.fromkeys(s for d in nearest for s in d.provenance.sources))
    step.checks.append(new_check(
        ReasonCode.NO_POLICY_RECORDED,
        f"Verify {c.importer}'s import requirement for HS {hs} on {d_clear} (documents, tests, accepted bodies) "
        f"with its regulator{'' if missing == c.importer else f' and the rules of {missing}'}.", sources))
    return _terminal(step, Outcome.UNDETERMINED, ReasonCode.NO_POLICY_RECORDED,
                     f"The registry holds no import rule of {c.importer} for HS {hs} on {d_clear} and does not declare "
                     f"its record of {missing}'s rules for that code complete: whether {c.importer} requires an "
                     "attestation is not known here.")


def _sps_agreement(snapshot: Snapshot, c: Consignment, exporter_side: tuple[str, ...],
                   importer_side: tuple[str, ...]) -> tuple[model.Arrangement, str, str] | None:
    """The SPS agreement in force on D_clear between the two sides (each: the economy, then its unions then)."""
    d_clear = c.clearance_date
    agreements = snapshot.sps_agreements_of(importer_side)
    if not agreements:
        return None
    for arrangement in agreements:
        if not (holds_on(arrangement, d_clear)
                and covers(arrangement.hs_prefixes, arrangement.excluded_hs_prefixes, c.hs_code)):
            continue
        for exporter_party in exporter_side:
            if exporter_party not in arrangement.parties:
                continue
            for importer_party in importer_side:
                if importer_party != exporter_party and importer_party in arrangement.parties:
                    return arrangement, exporter_party, importer_party
    return None
