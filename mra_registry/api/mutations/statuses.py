"""Record, suspend, reinstate and withdraw an accreditation body's signatory status in an arrangement, per
activity (and optionally one standard within it). A new event ends the open one the day before; events are
recorded in date order; nothing is deleted."""
from __future__ import annotations

import dataclasses
from datetime import date

import graphene

from ...domain import model
from ...domain.codes import Activity, SignatoryStatus
from ...domain.intervals import holds_on
from ...interchange import writer
from ...store import queries
from ...store.tokens import Role
from ...store.writes import apply_entities
from .. import enums
from ..auth import require
from ..errors import WriteRefused
from ..registry_types import AccreditationBody
from ..scalars import Date
from .base import RegistryMutation, Write
from .common import ProvenanceInput, check_version, day_before, item_paths, one, provenance, rendered_index


class SignatoryEventFields:
    accreditation_body = graphene.String(required=True)
    arrangement = graphene.String(required=True)
    activity = enums.Activity(required=True)
    standard = graphene.String(description="A standard within the activity (IAF sub-scope), when the status is for one.")
    valid_from = Date(required=True, description="The day the new status takes effect.")
    valid_to = Date(description="Last day, when known in advance.")
    expected_version = graphene.Int(required=True, description="The accreditation body's `version` you read.")
    provenance = ProvenanceInput()
    message = graphene.String()


class SignatoryStatusRecordInput(SignatoryEventFields, graphene.InputObjectType):
    status = enums.SignatoryStatus(required=True)


class SignatoryStatusEventInput(SignatoryEventFields, graphene.InputObjectType):
    pass


def record_event(write: Write, data, status: SignatoryStatus, require_previous: set[SignatoryStatus] | None = None):
    code, arrangement = data["accreditation_body"], data["arrangement"]
    activity = Activity(enums.value(data["activity"]))
    standard = data.get("standard")
    start: date = data["valid_from"]
    end: date | None = data.get("valid_to")
    require(write.principal, Role.ARRANGEMENT_SECRETARIAT, arrangement,
            f"record signatory statuses in {arrangement}")
    # An unknown arrangement (UNKNOWN_REFERENCE) or one that is not an accreditation arrangement (INCONSISTENT)
    # is refused by the document check every write goes through; here: an activity the arrangement does not
    # cover, where it lists the activities it covers.
    covered = queries.arrangements_by_codes(write.session, [arrangement]).get(arrangement)
    if covered is not None and covered.activities and activity not in covered.activities:
        listed = ", ".join(a.value for a in covered.activities)
        raise WriteRefused(("input.activity", f"{arrangement} does not cover {activity.value} (it covers {listed})",
                            "ACTIVITY_NOT_COVERED"))
    body = one(write.session, queries.bodies_by_codes, code, "accreditation body", "input.accreditationBody")
    check_version(write.session, "AccreditationBody", code, data["expected_version"])
    if end is not None and end < start:
        raise WriteRefused(("input.validTo",
                            f"'validTo' ({end}) is before 'validFrom' ({start})", "INVALID_DATE_RANGE"))
    key = (arrangement, activity, standard)
    history = sorted((s for s in body.statuses if (s.arrangement, s.activity, s.standard) == key),
                     key=lambda s: s.valid_from or date.min)
    later = [s for s in history if s.valid_from is not None and s.valid_from >= start]
    if later:
        raise WriteRefused(("input.validFrom", f"a status from {later[0].valid_from} is already recorded for this key: "
                            "record events in date order (load a corrected registry document to rewrite history)",
                            "OUT_OF_ORDER"))
    previous = next((s for s in reversed(history) if holds_on(s, day_before(start))), None)
    if require_previous is not None and (previous is None or previous.status not in require_previous):
        held = previous.status.value if previous else "no status"
        wanted = " or ".join(sorted(s.value for s in require_previous))
        raise WriteRefused(("input.validFrom",
                            f"{code} held {held} in {arrangement} for {activity.value} the day before "
                            f"{start}; this event needs {wanted}", "INVALID_TRANSITION"))
    kept = []
    for s in history:
        if s is previous and (s.valid_to is None or s.valid_to >= start):
            kept.append(dataclasses.replace(s, valid_to=day_before(start)))  # the newer event ends it
        else:
            kept.append(s)
    new_record = model.SignatoryStatusRecord(code, arrangement, activity, standard, status, start, end,
                                             provenance=provenance(data))
    others = [s for s in body.statuses if (s.arrangement, s.activity, s.standard) != key]
    new_body = dataclasses.replace(body, statuses=tuple(others + kept + [new_record]))
    write.paths = lambda: item_paths("accreditationBodies", "accreditationBody", "statuses", rendered_index(
        writer.accreditation_body, new_body, "statuses", "statuses", new_record))
    apply_entities(write.session, write.actor, before=model.Registry(0, accreditation_bodies=(body,)),
                   after=model.Registry(0, accreditation_bodies=(new_body,)))
    return {"accreditation_body": new_body}


class SignatoryStatusRecord(RegistryMutation):
    """Record a new status for a body in an arrangement and activity (the arrangement's secretariat)."""

    class Arguments:
        input = SignatoryStatusRecordInput(required=True)

    accreditation_body = graphene.Field(AccreditationBody)

    @classmethod
    def perform(cls, write: Write, data):
        return record_event(write, data, SignatoryStatus(enums.value(data["status"])))


class SignatoryStatusSuspend(RegistryMutation):
    """Suspend a signatory (it must be SIGNATORY the day before)."""

    class Arguments:
        input = SignatoryStatusEventInput(required=True)

    accreditation_body = graphene.Field(AccreditationBody)

    @classmethod
    def perform(cls, write: Write, data):
        return record_event(write, data, SignatoryStatus.SUSPENDED, {SignatoryStatus.SIGNATORY})


class SignatoryStatusReinstate(RegistryMutation):
    """Lift a suspension: SIGNATORY again from the date given (it must be SUSPENDED the day before)."""

    class Arguments:
        input = SignatoryStatusEventInput(required=True)

    accreditation_body = graphene.Field(AccreditationBody)

    @classmethod
    def perform(cls, write: Write, data):
        return record_event(write, data, SignatoryStatus.SIGNATORY, {SignatoryStatus.SUSPENDED})


class SignatoryStatusWithdraw(RegistryMutation):
    """Withdraw a body from an arrangement for an activity (it must be a signatory or suspended the day before)."""

    class Arguments:
        input = SignatoryStatusEventInput(required=True)

    accreditation_body = graphene.Field(AccreditationBody)

    @classmethod
    def perform(cls, write: Write, data):
        return record_event(write, data, SignatoryStatus.WITHDRAWN,
                            {SignatoryStatus.SIGNATORY, SignatoryStatus.SUSPENDED})
