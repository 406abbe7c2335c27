"""The registry version and the change log: every write transaction that changes something moves the
version by exactly one and records what changed, before and after, by whom."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import and_, func, or_, select, update
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


# The change feed: change records in the order they were written, addressed by (registry version, record id).
# Writers take the version under the registry state row's lock and write their records inside that transaction,
# so a version is committed whole, after every earlier one, and its records' ids follow the earlier versions'
# ids: a reader that has seen a position has seen everything before it, and what is written later always
# comes after it. A page read after a write never repeats an item nor skips one.

FeedKey = tuple[int, int]  # (version, change record id)


def _feed_query(entity_type: str | None, entity_code: str | None, since: int | None):
    query = select(m.ChangeRecord, m.RegistryVersion).join(
        m.RegistryVersion, m.RegistryVersion.version == m.ChangeRecord.version)
    if entity_type:
        query = query.where(m.ChangeRecord.entity_type == entity_type)
    if entity_code:
        query = query.where(m.ChangeRecord.entity_code == entity_code)
    if since is not None:
        query = query.where(m.ChangeRecord.version > since)
    return query


def _after(key: FeedKey):
    version, record = key
    return or_(m.ChangeRecord.version > version,
               and_(m.ChangeRecord.version == version, m.ChangeRecord.id > record))


def _before(key: FeedKey):
    version, record = key
    return or_(m.ChangeRecord.version < version,
               and_(m.ChangeRecord.version == version, m.ChangeRecord.id < record))


def feed_page(session: Session, *, entity_type: str | None = None, entity_code: str | None = None,
              since: int | None = None, after: FeedKey | None = None, before: FeedKey | None = None,
              limit: int, backward: bool = False) -> tuple[list[tuple[m.ChangeRecord, m.RegistryVersion]], bool]:
    """Up to `limit` changes between the positions `after` and `before` (both exclusive), oldest first: the first
    ones of that range, or with `backward` the last ones. The flag says whether the range holds more."""
    query = _feed_query(entity_type, entity_code, since)
    if after is not None:
        query = query.where(_after(after))
    if before is not None:
        query = query.where(_before(before))
    if backward:
        order = (m.ChangeRecord.version.desc(), m.ChangeRecord.id.desc())
    else:
        order = (m.ChangeRecord.version, m.ChangeRecord.id)
    rows = [tuple(r) for r in session.execute(query.order_by(*order).limit(limit + 1)).all()]
    page = rows[:limit]
    if backward:
        page.reverse()
    return page, len(rows) > limit


def feed_count(session: Session, entity_type: str | None = None, entity_code: str | None = None,
               since: int | None = None) -> int:
    query = select(func.count()).select_from(m.ChangeRecord)
    if entity_type:
        query = query.where(m.ChangeRecord.entity_type == entity_type)
    if entity_code:
        query = query.where(m.ChangeRecord.entity_code == entity_code)
    if since is not None:
        query = query.where(m.ChangeRecord.version > since)
    return session.execute(query).scalar_one()


def feed_has(session: Session, key: FeedKey, entity_type: str | None = None, entity_code: str | None = None,
             since: int | None = None, *, before: bool) -> bool:
    """Whether the feed (with these filters) holds a change before (or after) the position `key`."""
    query = _feed_query(entity_type, entity_code, since).where(_before(key) if before else _after(key))
    return session.execute(query.with_only_columns(m.ChangeRecord.id).limit(1)).first() is not None
