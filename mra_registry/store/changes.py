"""The registry version and the change log: every write transaction that changes something moves the
version by exactly one and records what changed, before and after, by whom."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from . import models as m
from .notifications import notify_version


@dataclass(frozen=True)
class Actor:
    """Who writes: a token's id and role, or a local operator at the command line."""

    name: str | None = None
    role: str | None = None
    request_id: str | None = None
    message: str | None = None


_FACET_LENGTH = m.ChangeRecord.facet.type.length
_REQUEST_ID_LENGTH = m.RegistryVersion.request_id.type.length


CLI_OPERATOR = Actor(name="cli", role="ADMINISTRATOR")


class ChangeLog:
    """Bound to one session/transaction. The version moves on the first recorded change only, so a write
    that changes nothing (loading the same document twice) leaves the version where it was."""

    def __init__(self, session: Session, actor: Actor = CLI_OPERATOR):
        self.session = session
        self.actor = actor
        self._version: int | None = None
        self.changes = 0

    @property
    def version(self) -> int:
        """The version this transaction writes; taking it locks the registry state row until commit, which
        serialises writers and keeps versions gap-free and monotonic."""
        if self._version is None:
            new_version = self.session.execute(
                update(m.RegistryState).where(m.RegistryState.id == 1).values(version=m.RegistryState.version + 1)
                .returning(m.RegistryState.version)
            ).scalar_one()
            self.session.add(m.RegistryVersion(
                version=new_version, created_at=datetime.now(timezone.utc), actor=self.actor.name,
                role=self.actor.role, message=self.actor.message,
                # callers other than the HTTP layer (which caps ids at the column's length) are cut to fit
                request_id=self.actor.request_id[:_REQUEST_ID_LENGTH] if self.actor.request_id else None,
            ))
            self.session.flush()
            notify_version(self.session, new_version)
            self._version = new_version
        return self._version

    @property
    def changed(self) -> bool:
        return self._version is not None

    def record(self, entity_type: str, entity_code: str, action: str, before: Any, after: Any, facet: str = "") -> None:
        self.session.add(m.ChangeRecord(
            version=self.version, entity_type=entity_type, entity_code=entity_code,
            facet=facet[:_FACET_LENGTH],  # a label (the longest key of a status can exceed it); before/after are whole
            action=action,
            before=before, after=after,
        ))
        self.changes += 1
