"""Load a registry document through the API (administrators): the same validation and all-or-nothing
transaction as `mra-registry load`."""
from __future__ import annotations


import graphene

from ...interchange.reader import decode
from ...store.loading import load_documents
from ...store.tokens import Role
from ..auth import require
from ..errors import InputPaths
from .base import RegistryMutation, Write


class RegistryDocumentLoadInput(graphene.InputObjectType):
    document = graphene.JSONString(required=True, description="A registry document (docs/registry-document.md).")
    message = graphene.String()


class RegistryDocumentLoad(RegistryMutation):
    """Validate a registry document, then apply it in one transaction; every problem comes back with its path."""

    class Arguments:
        input = RegistryDocumentLoadInput(required=True)

    paths = InputPaths(root="$", at="input.document")  # every problem at its full path in the document

    changed = graphene.Boolean(description="False when the registry already held everything the document says.")
    changes = graphene.Int(description="Change records written.")

    @classmethod
    def perform(cls, write: Write, data):
        require(write.principal, Role.ADMINISTRATOR, None, "load registry documents")
        document = data["document"]
        if isinstance(document, str):  # a JSON string inside the JSON string: decode it with the loader's errors
            document = decode("input.document", document)
        result = load_documents(write.session, [("input.document", document)], write.actor)
        return {"changed": result.changed, "changes": result.changes}


