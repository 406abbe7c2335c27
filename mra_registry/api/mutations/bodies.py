"""Create and update accreditation bodies and conformity assessment bodies."""
from __future__ import annotations

import dataclasses

import graphene

from ...domain import model
from ...domain.codes import CabKind
from ...store import queries
from ...store.tokens import Role
from ...store.writes import apply_entities
from .. import enums
from ..auth import require, require_any_of
from ..errors import WriteRefused
from ..registry_types import AccreditationBody, ConformityAssessmentBody
from ..scalars import CountryCode
from .base import RegistryMutation, Write
from .common import ProvenanceInput, check_version, entity_paths, one, provenance


class AccreditationBodyCreateInput(graphene.InputObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    economy = CountryCode()
    region = graphene.String()
    provenance = ProvenanceInput()
    message = graphene.String()


class AccreditationBodyUpdateInput(graphene.InputObjectType):
    code = graphene.String(required=True)
    expected_version = graphene.Int(required=True)
    name = graphene.String()
    economy = CountryCode()
    region = graphene.String()
    provenance = ProvenanceInput()
    message = graphene.String()


def _non_empty_code(code: str, field: str = "input.code") -> str:
    if not code or not code.strip() or len(code) > 64 or code != code.strip():
        raise WriteRefused((field, "a code is 1 to 64 characters without surrounding spaces", "INVALID"))
    return code


def _name(data, default: str | None = None) -> str:
    """The name given (or, on an update that gives none, the current one); a blank name is refused."""
    name = data.get("name")
    if name is None and default is not None:
        return default
    if name is None or not name.strip():
        raise WriteRefused(("input.name", "a name cannot be blank", "INVALID"))
    return name


class AccreditationBodyCreate(RegistryMutation):
    """Register an accreditation body (administrators)."""

    class Arguments:
        input = AccreditationBodyCreateInput(required=True)

    accreditation_body = graphene.Field(AccreditationBody)

    paths = entity_paths("accreditationBodies")

    @classmethod
    def perform(cls, write: Write, data):
        require(write.principal, Role.ADMINISTRATOR, None, "register accreditation bodies")
        code = _non_empty_code(data["code"])
        if queries.bodies_by_codes(write.session, [code]):
            raise WriteRefused(("input.code", f"an accreditation body {code!r} already exists", "ALREADY_EXISTS"))
        body = model.AccreditationBody(code, _name(data), data.get("economy"), data.get("region"),
                                       provenance=provenance(data))
        apply_entities(write.session, write.actor, before=model.Registry(0),
                       after=model.Registry(0, accreditation_bodies=(body,)))
        return {"accreditation_body": body}


class AccreditationBodyUpdate(RegistryMutation):
    """Change an accreditation body's name, economy or region (administrators, or the body itself)."""

    class Arguments:
        input = AccreditationBodyUpdateInput(required=True)

    accreditation_body = graphene.Field(AccreditationBody)

    paths = entity_paths("accreditationBodies")

    @classmethod
    def perform(cls, write: Write, data):
        code = data["code"]
        old = one(write.session, queries.bodies_by_codes, code, "accreditation body", "input.code")
        require(write.principal, Role.ACCREDITATION_BODY, code, f"update accreditation body {code}")
        check_version(write.session, "AccreditationBody", code, data["expected_version"])
        new = dataclasses.replace(
            old,
            name=_name(data, old.name),
            economy=data["economy"] if "economy" in data and data["economy"] is not None else old.economy,
            region=data["region"] if data.get("region") is not None else old.region,
            provenance=provenance(data, old.provenance),
        )
        apply_entities(write.session, write.actor, before=model.Registry(0, accreditation_bodies=(old,)),
                       after=model.Registry(0, accreditation_bodies=(new,)))
        return {"accreditation_body": new}


class ConformityAssessmentBodyCreateInput(graphene.InputObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    economy = CountryCode(required=True)
    kinds = graphene.List(graphene.NonNull(enums.CabKind), required=True)
    provenance = ProvenanceInput()
    message = graphene.String()


class ConformityAssessmentBodyUpdateInput(graphene.InputObjectType):
    code = graphene.String(required=True)
    expected_version = graphene.Int(required=True)
    name = graphene.String()
    economy = CountryCode()
    kinds = graphene.List(graphene.NonNull(enums.CabKind))
    provenance = ProvenanceInput()
    message = graphene.String()


def _kinds(values) -> tuple[CabKind, ...]:
    kinds = tuple(CabKind(enums.value(v)) for v in values)
    if not kinds:
        raise WriteRefused(("input.kinds", "name at least one kind", "INVALID"))
    return kinds


class ConformityAssessmentBodyCreate(RegistryMutation):
    """Register a laboratory, inspection body, certification body or regulatory authority
    (administrators and accreditation bodies)."""

    class Arguments:
        input = ConformityAssessmentBodyCreateInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    paths = entity_paths("conformityAssessmentBodies")

    @classmethod
    def perform(cls, write: Write, data):
        if write.principal.role not in (Role.ADMINISTRATOR, Role.ACCREDITATION_BODY):
            raise WriteRefused((None, f"a {write.principal.role.value} token may not register bodies", "FORBIDDEN"))
        code = _non_empty_code(data["code"])
        if queries.cabs_by_codes(write.session, [code]):
            raise WriteRefused(("input.code",
                                f"a conformity assessment body {code!r} already exists", "ALREADY_EXISTS"))
        cab = model.ConformityAssessmentBody(code, _name(data), data["economy"], _kinds(data["kinds"]),
                                             provenance=provenance(data))
        apply_entities(write.session, write.actor, before=model.Registry(0), after=model.Registry(0, cabs=(cab,)))
        return {"conformity_assessment_body": cab}


def registrant(session, code: str) -> tuple[Role, str] | None:
    """The accreditation body that registered the CAB through the API (conformityAssessmentBodyCreate with its
    token), read from the change log: the creating write's token and its scope. None when an administrator, a
    registry document or the CLI created it: then only administrators own it."""
    from sqlalchemy import select

    from ...store import models as m

    created = session.execute(
        select(m.RegistryVersion.actor, m.RegistryVersion.role)
        .join(m.ChangeRecord, m.ChangeRecord.version == m.RegistryVersion.version)
        .where(m.ChangeRecord.entity_type == "ConformityAssessmentBody", m.ChangeRecord.entity_code == code,
               m.ChangeRecord.facet == "", m.ChangeRecord.action == "CREATE")
        .order_by(m.ChangeRecord.version).limit(1)).first()
    if created is None or created.role != Role.ACCREDITATION_BODY.value or not created.actor:
        return None
    scope = session.scalar(select(m.ApiToken.scope).where(m.ApiToken.id == created.actor))
    return (Role.ACCREDITATION_BODY, scope) if scope else None


class ConformityAssessmentBodyUpdate(RegistryMutation):
    """Change a body's name, economy or kinds (administrators, or the accreditation body that registered it)."""

    class Arguments:
        input = ConformityAssessmentBodyUpdateInput(required=True)

    conformity_assessment_body = graphene.Field(ConformityAssessmentBody)

    # the CAB's competences need the REGULATORY_AUTHORITY kind: taking it away is the kinds' fault
    paths = entity_paths("conformityAssessmentBodies",
                         outside={"$.conformityAssessmentBodies[0].competences": "input.kinds"})

    @classmethod
    def perform(cls, write: Write, data):
        code = data["code"]
        old = one(write.session, queries.cabs_by_codes, code, "conformity assessment body", "input.code")
        # The record (name, economy, kinds: the economy decides which designating authority may designate it)
        # belongs to whoever registered it, or to an administrator. Accrediting it gives no rights over it:
        # any accreditation body may grant its own accreditation to any CAB, so rights that followed
        # accreditations could be bootstrapped (grant, withdraw, then rewrite the laboratory's economy).
        owner = registrant(write.session, code)
        require_any_of(write.principal, [owner] if owner else [],
                       f"update {code} (a CAB's record belongs to the accreditation body that registered it, or to "
                       "an administrator)")
        check_version(write.session, "ConformityAssessmentBody", code, data["expected_version"])
        new = dataclasses.replace(
            old,
            name=_name(data, old.name),
            economy=data.get("economy") or old.economy,
            kinds=_kinds(data["kinds"]) if data.get("kinds") is not None else old.kinds,
            provenance=provenance(data, old.provenance),
        )
        apply_entities(write.session, write.actor, before=model.Registry(0, cabs=(old,)),
                       after=model.Registry(0, cabs=(new,)))
        return {"conformity_assessment_body": new}
