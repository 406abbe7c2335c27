"""The shape every mutation shares: one `input`, a payload with the object, the registry version and
`errors`; authentication first; one transaction holding the registry's write lock; a refusal changes
nothing; after a commit the snapshot is rebuilt before the answer, so decisions see the write at once."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Callable

import graphene
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ...interchange.problems import DocumentInvalid
from ...store.changes import Actor
from ...store.loading import lock_registry
from ...store.mapping import registry_version
from ...store.tokens import Principal
from ..auth import principal_of
from ..errors import InputPaths, MutationError, WriteRefused, from_problems
from ..text_input import input_text_refusals

log = logging.getLogger(__name__)


@dataclass
class Write:
    """What a mutation's `perform` gets: the transaction, who writes, and how to name them in the log. A write whose
    input is one item of an entity's list says where that item lands in the entity's document (``paths``, worked
    out only when the document check refuses the write), so that problems point at the input's values."""

    session: Session
    principal: Principal
    actor: Actor
    paths: Callable[[], InputPaths] | None = None


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

    # Where the input stands in the registry document the write is checked as (api/errors.py): by default the
    # input is nowhere in it, and a document problem has no field. A write of one whole entity names it here; a
    # write of one item of an entity's list sets `Write.paths` in `perform`.
    paths: InputPaths | None = None

    @classmethod
    def perform(cls, write: Write, data: Any) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def _run(cls, context, data, argument=None) -> dict[str, Any]:
        """``argument``: the GraphQL type of the `input` argument, which a problem's field must name a value of."""
        engine = context.engine
        write = None
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
                    write = Write(session, principal, actor)
                    output = cls.perform(write, data)
                    output["registry_version"] = registry_version(session)
                    return output | {"errors": []}
            except WriteRefused as refused:
                return {"errors": refused.errors}
            except DocumentInvalid as invalid:
                return {"errors": from_problems(invalid.problems, cls._paths(write), argument).errors}

    @classmethod
    def _paths(cls, write: Write | None) -> InputPaths | None:
        if write is None or write.paths is None:
            return cls.paths
        try:
            return write.paths()
        except Exception:  # a refusal stays a refusal, with null fields, if its paths cannot be worked out
            log.exception("%s: where the input stands in its document could not be worked out", cls.__name__)
            return None

    @classmethod
    async def mutate(cls, root, info, input):
        context = info.context
        argument = info.parent_type.fields[info.field_name].args["input"].type
        try:
            output = await asyncio.to_thread(cls._run, context, input, argument)
        except OperationalError:
            log.warning("write failed: database unavailable", exc_info=True)
            output = {"errors": WriteRefused((None, "the registry database is unavailable; nothing was written, "
                                                    "try again shortly", "SERVICE_UNAVAILABLE")).errors}
        if not output["errors"]:
            await context.services.refresh_now()
            # What this request read before the write is stale now (versions above all): start afresh.
            context.read_afresh()
        return cls(**output)
