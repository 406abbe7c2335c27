"""RULES.md step 1 on signed credentials (CREDENTIAL_INVALID, CREDENTIAL_REVOKED, CREDENTIAL_CLAIM_DIFFERS)
through the engine, on the scenario fixtures as the reader gives them and as the store reads them back."""
from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from mra_registry.domain import model
from mra_registry.domain.codes import Assurance, AttestationType, Outcome, ReasonCode, WarningCode
from mra_registry.domain.engine import decide
from mra_registry.domain.snapshot import Snapshot
from tests.credentials import factory
from tests.credentials import keys as K
from tests.credentials.cases import CREDENTIAL_CASES, consignment


@pytest.mark.parametrize("case", CREDENTIAL_CASES, ids=lambda c: c.id)
def test_each_fixture_credential_gives_the_rules_outcome(document_snapshot, case):
    decision = decide(document_snapshot, consignment(case.make(), case.lot))
    assert (decision.outcome, decision.reason) == (case.outcome, case.reason), [r.message for r in decision.reasons]
    assert {w.code for w in decision.warnings} == case.warnings


@pytest.mark.parametrize("case", CREDENTIAL_CASES, ids=lambda c: c.id)
def test_the_same_through_the_store(scenario_snapshot, case):
    decision = decide(scenario_snapshot, consignment(case.make(), case.lot))
    assert (decision.outcome, decision.reason) == (case.outcome, case.reason), [r.message for r in decision.reasons]


def test_a_valid_credential_fills_the_tests_lot_and_accreditation_body_and_is_recognised_via_ilac(document_snapshot):
    decision = decide(document_snapshot, consignment(factory.valid()))
    assert decision.route.arrangement == "ILAC_MRA"
    assert decision.assurance is Assurance.FIXTURE  # the key and status list are fixtures
    assert decision.checks == ()


def test_messages_name_what_failed(document_snapshot):
    def message(credential):
        return decide(document_snapshot, consignment(credential)).reasons[0].message

    assert "does not verify" in message(factory.forged())
    assert "did:web:fixtures.invalid:someone-else" in message(factory.wrong_issuer())
    assert "2025-09-01" in message(factory.expired()) and "before the clearance date" in message(factory.expired())
    assert "revoked its key" in message(factory.revoked_key())
    assert "entry 40" in decide(document_snapshot, consignment(factory.revoked(), "S40-LOT")).reasons[0].message


def test_a_credential_failing_its_own_proof_rests_on_no_registry_fact(document_snapshot):
    assert decide(document_snapshot, consignment(factory.forged())).assurance is Assurance.CONFIRMED
    assert decide(document_snapshot, consignment(factory.expired())).assurance is Assurance.CONFIRMED


@pytest.mark.parametrize("plain, both", [
    ({"issue_date": date(2025, 8, 9)}, ("2025-08-09", "2025-08-10")),
    ({"lot": "OTHER-LOT"}, ("OTHER-LOT", "S03-LOT")),
    ({"tests": ("ISO 11290-1",)}, ("ISO 11290-1", "ISO 14501")),
    ({"type": AttestationType.CALIBRATION}, ("CALIBRATION", "'testing'")),
])
def test_plain_fields_contradicting_the_signed_claims_are_refused_naming_both(document_snapshot, plain, both):
    lot = plain.get("lot", "S03-LOT")
    decision = decide(document_snapshot, consignment(factory.valid(), lot, **plain))
    assert (decision.outcome, decision.reason) == (Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID)
    assert all(part in decision.reasons[0].message for part in both), decision.reasons[0].message


def test_a_plain_accreditation_body_contradicting_the_claimed_one_is_refused(document_snapshot):
    credential = factory.sign(factory.dcc(authority="UKAS"))
    decision = decide(document_snapshot, consignment(credential, accreditation_body="COFRAC"))
    assert decision.reason is ReasonCode.CREDENTIAL_INVALID
    assert "COFRAC" in decision.reasons[0].message and "UKAS" in decision.reasons[0].message


def test_plain_fields_equal_to_the_claims_are_accepted(document_snapshot):
    decision = decide(document_snapshot, consignment(
        factory.valid(), accreditation_body="COFRAC", lot="S03-LOT", tests=("EN ISO 11290-1", "ISO 6579-1", "ISO 14501")))
    assert decision.outcome is Outcome.RECOGNISED


def test_the_issuer_may_be_left_to_the_credential(document_snapshot):
    decision = decide(document_snapshot, consignment(factory.valid(), issuer=""))
    assert decision.outcome is Outcome.RECOGNISED


def test_a_credential_of_another_held_cab_presented_as_l02_is_a_mismatch(document_snapshot):
    cabs = {c.code: c.cab for c in document_snapshot.cabs.values()}
    registry = _registry(document_snapshot, dataclasses.replace(cabs["L19"], identifier="did:web:fixtures.invalid:l19"))
    credential = factory.sign(factory.dcc(issuer="did:web:fixtures.invalid:l19"))
    decision = decide(Snapshot.build(registry), consignment(credential))
    assert decision.reason is ReasonCode.CREDENTIAL_INVALID and "L19" in decision.reasons[0].message


def test_a_status_list_the_registry_does_not_hold_leaves_the_status_unknown_and_asks_for_a_check(document_snapshot):
    credential = factory.sign(factory.dcc(status_list="https://fixtures.invalid/l02/status/other"))
    decision = decide(document_snapshot, consignment(credential))
    assert decision.outcome is Outcome.RECOGNISED
    assert WarningCode.CREDENTIAL_STATUS_UNKNOWN in {w.code for w in decision.warnings}
    assert [c.code for c in decision.checks] == [WarningCode.CREDENTIAL_STATUS_UNKNOWN]
    assert decision.checks[0].sources == ("https://fixtures.invalid/l02/status/other",)
    assert decision.assurance in (Assurance.UNCONFIRMED, Assurance.FIXTURE)


def test_a_credential_without_a_status_entry_needs_no_status_list(document_snapshot):
    decision = decide(document_snapshot, consignment(factory.sign(factory.dcc(status_index=None))))
    assert decision.outcome is Outcome.RECOGNISED and decision.checks == ()


def test_the_plain_json_form_fills_the_claims_and_says_nothing_was_verified(document_snapshot):
    vc = factory.dcc(issuer="did:web:fixtures.invalid:someone", valid_until="2020-01-01T00:00:00Z")
    decision = decide(document_snapshot, consignment(json.dumps(vc)))
    assert decision.outcome is Outcome.RECOGNISED  # nothing verified: not its issuer, dates or status
    assert {w.code for w in decision.warnings} == {WarningCode.CREDENTIAL_NOT_VERIFIED}


def test_the_plain_json_form_still_refuses_contradicting_plain_fields(document_snapshot):
    decision = decide(document_snapshot, consignment(json.dumps(factory.dcc()), "OTHER-LOT", lot="OTHER-LOT"))
    assert decision.reason is ReasonCode.CREDENTIAL_INVALID


def test_es256_credentials_verify_against_a_registered_p256_key(document_snapshot):
    from joserfc import jwk

    key = jwk.ECKey.generate_key("P-256")
    cabs = {c.code: c.cab for c in document_snapshot.cabs.values()}
    registered = model.VerificationKey("L02", "es-key", json.dumps(key.as_dict(private=False), sort_keys=True),
                                       date(2025, 1, 1), None)
    l02 = dataclasses.replace(cabs["L02"], verification_keys=(*cabs["L02"].verification_keys, registered))
    snapshot = Snapshot.build(_registry(document_snapshot, l02))
    good = factory.sign(factory.dcc(), key.as_dict(private=True), "es-key", "ES256")
    assert decide(snapshot, consignment(good)).outcome is Outcome.RECOGNISED
    assert decide(snapshot, consignment(factory.tamper(good))).reason is ReasonCode.CREDENTIAL_INVALID
    # an Ed25519 signature under the P-256 key's id does not verify (the algorithm must fit the key)
    confused = factory.sign(factory.dcc(), K.L02_KEY_1, "es-key")
    assert decide(snapshot, consignment(confused)).reason is ReasonCode.CREDENTIAL_INVALID


def test_the_fully_specified_ed25519_algorithm_name_is_accepted(document_snapshot):
    assert decide(document_snapshot, consignment(factory.sign(factory.dcc(), alg="Ed25519"))).outcome is Outcome.RECOGNISED


@pytest.mark.parametrize("credential", ["", "not a credential", "a.b.c", "{", '{"type": ["X"]}',
                                        factory.sign({"type": ["VerifiableCredential"]}),
                                        factory.tamper(factory.valid())])
def test_unreadable_or_malformed_credentials_are_invalid(document_snapshot, credential):
    decision = decide(document_snapshot, consignment(credential))
    assert (decision.outcome, decision.reason) == (Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID)


def test_a_key_outside_its_validity_verifies_nothing(document_snapshot):
    credential = factory.sign(factory.dcc(valid_from="2024-12-01T00:00:00Z"))
    decision = decide(document_snapshot, consignment(credential, issue_date=date(2024, 12, 1)))
    assert decision.reason is ReasonCode.CREDENTIAL_INVALID and "not on the credential's issue date" in \
        decision.reasons[0].message


def test_the_order_of_step_1_holds_a_future_dated_credential_is_future_dated(document_snapshot):
    credential = factory.sign(factory.dcc(valid_from="2025-10-01T00:00:00Z"))
    decision = decide(document_snapshot, consignment(credential, issue_date=date(2025, 10, 1)))
    assert decision.reason is ReasonCode.FUTURE_DATED


def _registry(snapshot: Snapshot, replaced: model.ConformityAssessmentBody) -> model.Registry:
    cabs = tuple(replaced if c.code == replaced.code else c.cab for c in snapshot.cabs.values())
    return model.Registry(snapshot.version, tuple(snapshot.unions.values()), tuple(snapshot.arrangements.values()),
                          tuple(snapshot.accreditation_bodies.values()), cabs,
                          tuple(p.policy for p in snapshot.policies.values()), tuple(snapshot.lookalike_bodies.values()),
                          snapshot.completeness.all(), tuple(v.acceptance_list for v in snapshot.acceptance_lists.values()))
