"""A CAB's credential records on `ConformityAssessmentBody` (issue 14): `identifier`, `verificationKeys` and
`statusLists`. A mixin, so that registry_types.py only names it; the object types are in credential_types.py,
which builds on registry_types (imported late)."""
from __future__ import annotations

import graphene

from .pagination import connection_args
from .scalars import Date


def _types():
    from . import credential_types

    return credential_types


class CabCredentialFields:
    identifier = graphene.String(description="The issuer its signed credentials name (a did:web DID or an https URL); "
                                 "a credential's issuer must equal it. Null: none registered.")
    verification_keys = graphene.Field(
        graphene.NonNull(lambda: _types().VerificationKeyConnection),
        description="The public keys its credentials are verified with, by key id.",
        **connection_args(as_of=Date(description="Only keys usable for a credential issued on this day: within "
                                                 "their interval and not revoked on or before it.")))
    status_lists = graphene.Field(
        graphene.NonNull(lambda: _types().StatusListConnection),
        description="The W3C Bitstring Status Lists the registry holds for it (uploaded or fetched beforehand; a "
                    "decision reads only these).",
        **connection_args())

    @staticmethod
    def resolve_identifier(parent, info):
        return parent.identifier

    @staticmethod
    def resolve_verification_keys(parent, info, as_of=None, first=None, after=None):
        return _types().resolve_verification_keys(parent, as_of, first, after)

    @staticmethod
    def resolve_status_lists(parent, info, first=None, after=None):
        return _types().resolve_status_lists(parent, first, after)
