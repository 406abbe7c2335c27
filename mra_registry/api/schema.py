"""The schema: the fixed core (`clearance`, `clearances`), registry browsing, the change feed, and the
mutations; plus what the web layer needs to serve it (validation rules, the per-request context)."""
from __future__ import annotations

import graphene
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from . import input_containers
from .clearance import ClearanceQueries
from .context import make_context  # noqa: F401  (the web layer's entry point)
from .input_lists import BATCH_ARGUMENT, BATCH_FIELD, input_list_rule, variable_list_refusals
from .input_values import input_value_rule, variable_value_refusals
from .limits import Limits, document_cost, limit_rules, request_cost, sized_by_variables, too_costly
from .text_input import text_input_rule, variable_text_refusals
from .variable_checks import VariableChecks
from .mutations.accreditations import (
    AccreditationExtend,
    AccreditationGrant,
    AccreditationScopeSet,
    AccreditationSuspend,
    AccreditationWithdraw,
)
from .mutations.bodies import (
    AccreditationBodyCreate,
    AccreditationBodyUpdate,
    ConformityAssessmentBodyCreate,
    ConformityAssessmentBodyUpdate,
)
from .mutations.credentials import CabIdentifierSet, CabStatusListUpload, CabVerificationKeyRecord, CabVerificationKeyRevoke  # noqa: E501
from .mutations.declarations import CompletenessDeclarationEnd, CompletenessDeclarationRecord
from .mutations.designations import DesignationCreate, DesignationEnd
from .mutations.documents import RegistryDocumentLoad
from .mutations.policies import ImportPolicyAmend, ImportPolicyCreate
from .mutations.requirements import (
    AcceptanceListCreate,
    AcceptanceListEntryEnd,
    AcceptanceListEntryRecord,
    CompetenceEnd,
    CompetenceRecord,
)
from .mutations.statuses import (
    SignatoryStatusRecord,
    SignatoryStatusReinstate,
    SignatoryStatusSuspend,
    SignatoryStatusWithdraw,
)
from .queries import RegistryQueries
from .receipts import ClearanceRecord
from .reverse import ReverseQueries
from .services import Services  # noqa: F401  (the web layer's entry point)


class Query(ClearanceQueries, ReverseQueries, RegistryQueries, graphene.ObjectType):
    """Reads are public. Decisions and browsing read the registry in memory, at the version being served; the
    change log and the latest registry version are read from the database."""


class Mutation(graphene.ObjectType):
    """Writes need a bearer token whose role and scope own the fact written (docs/security.md). Each returns
    its errors as data; a refused write changes nothing."""

    accreditation_body_create = AccreditationBodyCreate.Field()
    accreditation_body_update = AccreditationBodyUpdate.Field()
    conformity_assessment_body_create = ConformityAssessmentBodyCreate.Field()
    conformity_assessment_body_update = ConformityAssessmentBodyUpdate.Field()
    signatory_status_record = SignatoryStatusRecord.Field()
    signatory_status_suspend = SignatoryStatusSuspend.Field()
    signatory_status_reinstate = SignatoryStatusReinstate.Field()
    signatory_status_withdraw = SignatoryStatusWithdraw.Field()
    accreditation_grant = AccreditationGrant.Field()
    accreditation_suspend = AccreditationSuspend.Field()
    accreditation_extend = AccreditationExtend.Field()
    accreditation_withdraw = AccreditationWithdraw.Field()
    accreditation_scope_set = AccreditationScopeSet.Field()
    designation_create = DesignationCreate.Field()
    designation_end = DesignationEnd.Field()
    import_policy_create = ImportPolicyCreate.Field()
    import_policy_amend = ImportPolicyAmend.Field()
    completeness_declaration_record = CompletenessDeclarationRecord.Field()
    completeness_declaration_end = CompletenessDeclarationEnd.Field()
    acceptance_list_create = AcceptanceListCreate.Field()
    acceptance_list_entry_record = AcceptanceListEntryRecord.Field()
    acceptance_list_entry_end = AcceptanceListEntryEnd.Field()
    competence_record = CompetenceRecord.Field()
    competence_end = CompetenceEnd.Field()
    cab_identifier_set = CabIdentifierSet.Field()
    cab_verification_key_record = CabVerificationKeyRecord.Field()
    cab_verification_key_revoke = CabVerificationKeyRevoke.Field()
    cab_status_list_upload = CabStatusListUpload.Field()
    registry_document_load = RegistryDocumentLoad.Field()
    clearance_record = ClearanceRecord.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)
# The root field deciding a batch and its argument holding the lines (the web layer's entry point: a batch's lines
# decide where it runs, web/placement.py).
BATCH_ARGUMENTS = {BATCH_FIELD: BATCH_ARGUMENT}
input_containers.install(schema.graphql_schema)


def limits_of(settings) -> Limits:
    return Limits(max_depth=settings.max_query_depth, max_aliases=settings.max_aliases,
                  max_cost=settings.max_query_cost, max_batch=settings.max_batch)


def validation_rules(settings) -> list:
    return [*limit_rules(limits_of(settings)), input_list_rule(settings.max_input_list), text_input_rule(),
            input_value_rule()]


def document_extensions(settings):
    """What every response to a document carries in `extensions`: its cost, as the limits count it."""
    limits = limits_of(settings)
    return lambda document: {"cost": document_cost(document, limits)}


def request_limits(settings):
    """The per-request half of the limits: the lists and the texts in the variables, and the cost of a batch passed in a
    variable at its real size (the validated document counted it as one line). None when neither applies."""
    limits = limits_of(settings)
    variable_checks = VariableChecks(schema.graphql_schema, settings.max_input_list)

    def check(document, operation, variables):
        if variable_checks.all_fine(document, operation, variables):
            refusals = []
        else:  # only the walks word a refusal, with its path
            refusals = (variable_list_refusals(operation, variables, settings.max_input_list)
                        + variable_text_refusals(operation, variables)
                        + variable_value_refusals(schema.graphql_schema, document, operation, variables))
        if not sized_by_variables(operation):
            return (None, refusals) if refusals else None
        cost = request_cost(document, operation, variables, limits)
        if cost > limits.max_cost:
            refusals.append(too_costly(cost, limits, operation))
        return {"cost": cost}, refusals
    return check


def translate_error(error: Exception) -> dict | None:
    """What a client reads when a resolver meets the database away (browsing during an outage): the same
    SERVICE_UNAVAILABLE as decisions and writes, not a masked internal error."""
    if isinstance(error, (OperationalError, InterfaceError, PoolTimeoutError)):
        return {"message": "the registry database cannot be reached; try again shortly",
                "extensions": {"code": "SERVICE_UNAVAILABLE"}}
    return None


def print_schema() -> str:
    return str(schema).rstrip("\n") + "\n"
