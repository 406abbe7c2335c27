"""API tokens: created once and shown once; stored as a keyed digest; listed, revoked, expired.

A token reads ``mra_<id>_<secret>``: the id finds the row, the secret is checked against
HMAC-SHA256(key, secret) in constant time. Without the server's key a stolen table is useless."""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import models as m


class Role(str, Enum):
    ADMINISTRATOR = "ADMINISTRATOR"  # anything, including registry documents
    ACCREDITATION_BODY = "ACCREDITATION_BODY"  # scope: the body's code; its accreditations, suspensions, scopes
    ARRANGEMENT_SECRETARIAT = "ARRANGEMENT_SECRETARIAT"  # scope: an arrangement; signatory statuses in it
    DESIGNATING_AUTHORITY = "DESIGNATING_AUTHORITY"  # scope: a party (economy or union); its side's designations
    IMPORT_REGULATOR = "IMPORT_REGULATOR"  # scope: an importing economy or union; its import policies


SCOPED_ROLES = {Role.ACCREDITATION_BODY, Role.ARRANGEMENT_SECRETARIAT, Role.DESIGNATING_AUTHORITY,
                Role.IMPORT_REGULATOR}


class TokenRefused(Exception):
    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class Principal:
    token_id: str
    role: Role
    scope: str | None


def token_key() -> bytes:
    key = os.environ.get("MRA_TOKEN_KEY")
    if not key:
        # a development default keeps the embedded setup to two commands; production sets a secret
        key = "mra-registry-development-key-change-me"
    return key.encode()


def _digest(secret: str) -> str:
    return hmac.new(token_key(), secret.encode(), hashlib.sha256).hexdigest()


def create_token(session: Session, role: Role, scope: str | None, expires_on: date | None = None,
                 label: str | None = None) -> tuple[str, m.ApiToken]:
    if role in SCOPED_ROLES and not scope:
        raise ValueError(f"role {role.value} needs a scope (the code of what it owns)")
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    row = m.ApiToken(id=token_id, digest=_digest(secret), role=role.value, scope=scope, label=label,
                     created_at=datetime.now(timezone.utc), expires_on=expires_on)
    session.add(row)
    return f"mra_{token_id}_{secret}", row


def list_tokens(session: Session) -> list[m.ApiToken]:
    return list(session.scalars(select(m.ApiToken).order_by(m.ApiToken.created_at)))


def revoke_token(session: Session, token_id: str) -> bool:
    row = session.get(m.ApiToken, token_id)
    if row is None:
        return False
    if row.revoked_at is None:
        row.revoked_at = datetime.now(timezone.utc)
    return True


def authenticate(session: Session, token: str, today: date | None = None) -> Principal:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "mra" or not parts[1] or not parts[2]:
        raise TokenRefused("INVALID_TOKEN", "the bearer token is malformed")
    row = session.get(m.ApiToken, parts[1])
    if row is None or not hmac.compare_digest(row.digest, _digest(parts[2])):
        raise TokenRefused("INVALID_TOKEN", "the bearer token is not valid")
    if row.revoked_at is not None:
        raise TokenRefused("TOKEN_REVOKED", "the bearer token was revoked")
    today = today or datetime.now(timezone.utc).date()
    if row.expires_on is not None and today > row.expires_on:
        raise TokenRefused("TOKEN_EXPIRED", f"the bearer token expired on {row.expires_on.isoformat()}")
    return Principal(row.id, Role(row.role), row.scope)
