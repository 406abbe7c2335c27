"""The snapshot's as-of look-ups (the API reuses them) and the purity of the domain layer."""
from __future__ import annotations

import ast
from pathlib import Path

from engine_world import A, S, T, consignment, d, standard_world

from mra_registry.domain import model
from mra_registry.domain.codes import Outcome, ReasonCode as R, SignatoryStatus
from mra_registry.domain.engine import decide
from mra_registry.domain.snapshot import Snapshot

DOMAIN = Path(__file__).resolve().parents[2] / "mra_registry" / "domain"


def test_the_domain_layer_imports_no_framework():
    forbidden = {"sqlalchemy", "starlette", "graphene", "graphql", "alembic", "uvicorn", "psycopg"}
    for source in DOMAIN.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{source.name} imports {name}"
                assert not name.startswith("mra_registry.") or name.startswith("mra_registry.domain"), source.name


def test_union_membership_as_of_a_day():
    snapshot = standard_world().snapshot()
    assert snapshot.unions_of("GB", d("2020-12-31")) == ("EU",)
    assert snapshot.unions_of("GB", d("2021-01-01")) == ()
    assert snapshot.unions_of("EU", d("2021-01-01")) == ("EU",)  # a union stands for itself
    assert snapshot.unions_of("QQ", d("2021-01-01")) == ()
    assert snapshot.parties_of("DE", d("2021-01-01")) == ("DE", "EU")


def test_succession_resolution():
    snapshot = standard_world().snapshot()
    assert snapshot.evaluated_in("ILAC_MRA", d("2025-12-31")) == ("ILAC_MRA",)
    assert snapshot.evaluated_in("ILAC_MRA", d("2026-01-01")) == ("GLOBAL_ACI_MRA",)
    assert snapshot.evaluated_in("GLOBAL_ACI_MRA", d("2025-12-31")) == ("IAF_MLA", "ILAC_MRA")
    assert snapshot.evaluated_in("GLOBAL_ACI_MRA", d("2026-01-01")) == ("GLOBAL_ACI_MRA",)
    assert snapshot.evaluated_in("APAC_MRA", d("2026-01-01")) == ("APAC_MRA",)
    assert snapshot.continued_on("ILAC_MRA", d("2026-01-01")) == "GLOBAL_ACI_MRA"
    assert snapshot.continued_on("ILAC_MRA", d("2025-12-31")) == "ILAC_MRA"


def test_signatory_status_is_read_through_succession():
    snapshot = standard_world().snapshot()
    (reading,) = snapshot.signatory_status("NZAB", "ILAC_MRA", A.TESTING, d("2026-02-01"))
    assert reading.status is SignatoryStatus.SIGNATORY
    assert (reading.arrangement, reading.continued_from) == ("GLOBAL_ACI_MRA", "ILAC_MRA")
    assert (reading.valid_from, reading.valid_to) == (d("2026-01-01"), None)
    (before,) = snapshot.signatory_status("NZAB", "GLOBAL_ACI_MRA", A.TESTING, d("2025-06-01"))
    assert (before.arrangement, before.continued_from) == ("ILAC_MRA", None)


def test_a_continuation_ends_the_day_before_the_bodys_own_event():
    snapshot = standard_world().status("NZAB", "GLOBAL_ACI_MRA", A.TESTING, S.WITHDRAWN, "2026-03-01").snapshot()
    (continued,) = snapshot.status_readings("NZAB", "GLOBAL_ACI_MRA", A.TESTING, d("2026-02-28"))
    assert continued.continued_from == "ILAC_MRA" and continued.valid_to == d("2026-02-28")
    (own,) = snapshot.status_readings("NZAB", "GLOBAL_ACI_MRA", A.TESTING, d("2026-03-01"))
    assert own.continued_from is None and own.status is SignatoryStatus.WITHDRAWN


def test_statuses_for_a_standard_are_read_only_when_asked_for():
    snapshot = standard_world().snapshot()
    assert snapshot.signatory_status("BWAB", "IAF_MLA", A.MS_CERTIFICATION, d("2020-01-01")) == ()
    (reading,) = snapshot.signatory_status("BWAB", "IAF_MLA", A.MS_CERTIFICATION, d("2020-01-01"), "EN ISO 9001")
    assert reading.record.standard == "ISO 9001"


def test_an_empty_registry_builds_and_decides():
    snapshot = Snapshot.build(model.Registry(version=7))
    decision = decide(snapshot, consignment(issuer=None))
    # an empty registry knows nothing: no rule, no issuer, and it says so instead of answering NOT_REQUIRED
    assert (decision.outcome, decision.reason, decision.registry_version) == (
        Outcome.UNDETERMINED, R.NO_POLICY_RECORDED, 7)
    assert decide(snapshot, consignment()).reason is R.NO_POLICY_RECORDED


def test_cab_views_precompute_scope_keys():
    snapshot = standard_world().snapshot()
    (view,) = snapshot.cabs["LNZ"].accreditations
    assert set(view.scope) == {"ISO11290-1", "ISO6579-1"}
    from mra_registry.domain.methods import method_key

    assert view.covers_method(method_key("BS EN ISO 11290-1:2017"), "040690")
    assert not view.covers_method(method_key("ISO 11290-1"), "851762")


def test_the_snapshot_does_not_depend_on_registry_order():
    w = standard_world()
    registry = w.registry()
    reversed_registry = model.Registry(
        registry.version, registry.unions[::-1], registry.arrangements[::-1], registry.accreditation_bodies[::-1],
        registry.cabs[::-1], registry.policies[::-1],
    )
    one, two = Snapshot.build(registry), Snapshot.build(reversed_registry)
    for c in (consignment(), consignment(exporter="DE", importer="US", hs="851762", issuer="LDE", body="DEAB",
                                         issue="2026-05-01", clear="2026-06-01"),
              consignment(exporter="IN", importer="SG", hs="382290", issuer="LIN", body="INAB",
                          type=T.RM_CERTIFICATE)):
        assert decide(one, c) == decide(two, c)
