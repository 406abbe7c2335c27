"""``frozen.fast_constructor`` builds the very objects the dataclass's own constructor builds: same class, equal,
same hash, frozen, copyable and picklable (the engine's output and the snapshot's views are made with it)."""
from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field
from datetime import date

import pytest

from mra_registry.domain import decision, views
from mra_registry.domain.codes import Assurance, AttestationType, Outcome, PathLinkKind, ReasonCode, RouteKind
from mra_registry.domain.decision import Decision, DecisionCheck, DecisionReason, PassedRoute, PathLink
from mra_registry.domain.frozen import fast_constructor

LINK = dict(kind=PathLinkKind.CAB, subject="L02", record="L02 Laboratoire (FR; LABORATORY)", valid_from=None,
            valid_to=date(2027, 1, 1), status_on_issue="ACTIVE", confidence="fixture", sources=("https://x",),
            requirement=1)


def test_the_object_is_the_dataclass_s_own():
    made, expected = decision.new_link(**LINK), PathLink(**LINK)
    assert type(made) is PathLink
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
    assert dataclasses.asdict(made) == dataclasses.asdict(expected)
    assert pickle.loads(pickle.dumps(made)) == expected
    assert copy.deepcopy(made) == expected
    assert dataclasses.replace(made, requirement=2) == PathLink(**{**LINK, "requirement": 2})


def test_it_stays_frozen():
    made = decision.new_link(**LINK)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.subject = "L03"  # type: ignore[misc]


def test_positional_arguments_and_defaults_are_the_constructor_s():
    assert decision.new_reason(ReasonCode.OUT_OF_SCOPE, "m") == DecisionReason(ReasonCode.OUT_OF_SCOPE, "m")
    assert decision.new_check(ReasonCode.CAB_NOT_RECORDED, "m") == DecisionCheck(ReasonCode.CAB_NOT_RECORDED, "m")
    assert decision.new_route(RouteKind.LIST, None, acceptance_list="X") == PassedRoute(RouteKind.LIST, None, None, "X")
    args = (Outcome.RECOGNISED, ReasonCode.ARRANGEMENT_ROUTE, (), None, (), (), "P", None, date(2026, 1, 1), 3)
    assert decision.new_decision(*args) == Decision(*args)
    assert decision.new_decision(*args).assurance is Assurance.CONFIRMED
    attestation = decision.new_attestation(AttestationType.TESTING, "L01", date(2025, 1, 2), tests=("X",))
    assert attestation == decision.Attestation(AttestationType.TESTING, "L01", date(2025, 1, 2), tests=("X",))
    consignment = decision.new_consignment("KR", "US", "851712", date(2025, 3, 1), attestation=attestation)
    assert consignment == decision.Consignment("KR", "US", "851712", date(2025, 3, 1), attestation=attestation)
    assert consignment.presented == (attestation,)
    with pytest.raises(TypeError):
        decision.new_reason(ReasonCode.OUT_OF_SCOPE)  # a field without a default is required, as in the constructor


def test_every_output_and_view_constructor_covers_every_field():
    for made, cls in ((decision.new_reason, DecisionReason), (decision.new_check, DecisionCheck),
                      (decision.new_link, PathLink), (decision.new_route, PassedRoute),
                      (decision.new_decision, Decision), (views.new_cab_view, views.CabView),
                      (decision.new_attestation, decision.Attestation), (decision.new_consignment, decision.Consignment),
                      (views.new_accreditation_view, views.AccreditationView)):
        assert made.__code__.co_varnames[:made.__code__.co_argcount] == tuple(f.name for f in dataclasses.fields(cls))


def test_it_refuses_what_it_cannot_build_faithfully():
    @dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self):
            raise ValueError

    @dataclass(frozen=True, slots=True)
    class Factory:
        a: list = field(default_factory=list)

    for cls in (NoSlots, Checked, Factory):
        with pytest.raises(TypeError):
            fast_constructor(cls)
