"""The shape every mutation shares: one `input`, a payload with the object, the registry version and
`errors`; authentication first; one transaction holding the registry's write lock; a refusal changes
nothing; after a commit the snapshot is rebuilt before the answer, so decisions see the write at once."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import graphene
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ...interchange.problems import DocumentInvalid
from ...store.changes import Actor
from ...store.loading import lock_registry
from ...store.mapping import registry_version
from ...store.tokens import Principal
from ..auth import principal_of
from ..dataloaders import Loaders
from ..errors import MutationError, WriteRefused, from_problems
from ..text_input import input_text_refusals

log = logging.getLogger(__name__)


@dataclass
class Write:
    """What a mutation's `perform` gets: the transaction, who writes, and how to name them in the log."""

    session: Session
    principal: Principal
    actor: Actor


class RegistryMutation(graphene.Mutation):
    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, name=None, **options):
        # The payload type is `<Mutation>Payload` (API.md convention 3). Without this graphene names it after the
        # class, and `SignatoryStatusRecord` (the mutation) collided with the object type of the same name.
        super().__init_subclass_with_meta__(name=name or f"{cls.__name__}Payload", **options)

    errors = graphene.List(graphene.NonNull(MutationError), required=True,
                           description="Why the write was refused; empty when it was applied.")
    registry_version = graphene.Int(description="The registry version after this write.")

    @classmethod
    def perform(cls, write: Write, data: Any) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def _run(cls, context, data) -> dict[str, Any]:
        engine = context.engine
        with Session(engine) as session:
            try:
                with session.begin():
                    principal = principal_of(session, context.authorization)
                    refused_texts = input_text_refusals(data)
                    if refused_texts:  # the transport refuses these first; this keeps any other caller honest
                        raise WriteRefused(*((where, f"{where} {why}", "INVALID") for where, why in refused_texts))
                    lock_registry(session)
                    actor = Actor(name=principal.token_id, role=principal.role.value,
                                  request_id=context.request_id, message=getattr(data, "get", lambda *_: None)("message"))
                    output = cls.perform(Write(session, principal, actor), data)
                    output["registry_version"] = registry_version(session)
                    return output | {"errors": []}
            except WriteRefused as refused:
                return {"errors": refused.errors}
            except DocumentInvalid as invalid:
                return {"errors": from_problems(invalid.problems).errors}

    @classmethod
    async def mutate(cls, root, info, input):
        context = info.context
        try:
            output = await asyncio.to_thread(cls._run, context, input)
        except OperationalError:
            log.warning("write failed: database unavailable", exc_info=True)
            output = {"errors": WriteRefused((None, "the registry database is unavailable; nothing was written, "
                                                    "try again shortly", "SERVICE_UNAVAILABLE")).errors}
        if not output["errors"]:
            await context.services.refresh_now()
            # What this request loaded before the write is stale now (versions above all): start afresh.
            context.loaders = Loaders(context.engine)
        return cls(**output)
