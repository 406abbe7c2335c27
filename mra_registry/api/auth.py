"""Who may write what. Reads are public; writes need a bearer token whose role and scope own the fact:
an accreditation body writes its own accreditations; an arrangement's secretariat its signatory statuses;
a designating authority designations on its own side; an importing regulator its own policies; an
administrator anything. Each mutation declares the permission it needs (see mutations/base.py)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..store.tokens import Principal, Role, TokenRefused, authenticate
from .errors import WriteRefused


def principal_of(session: Session, authorization: str | None) -> Principal:
    if not authorization:
        raise WriteRefused((None, "writes need a bearer token (Authorization: Bearer mra_…)", "UNAUTHENTICATED"))
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise WriteRefused((None, "use the Bearer scheme: Authorization: Bearer mra_…", "UNAUTHENTICATED"))
    try:
        return authenticate(session, token.strip())
    except TokenRefused as refused:
        raise WriteRefused((None, str(refused), refused.code)) from None


def require(principal: Principal, role: Role, owner: str | None, what: str) -> None:
    """Allow an administrator, or ``role`` scoped to ``owner``; refuse anyone else with FORBIDDEN."""
    if principal.role is Role.ADMINISTRATOR:
        return
    if principal.role is role and owner is not None and principal.scope == owner:
        return
    raise WriteRefused((None, f"a {principal.role.value} token scoped to {principal.scope or '-'} may not {what}",
                        "FORBIDDEN"))


def require_any_of(principal: Principal, allowed: list[tuple[Role, str | None]], what: str) -> None:
    """Allow an administrator (even when ``allowed`` is empty), or any of the scoped owners listed."""
    if principal.role is Role.ADMINISTRATOR:
        return
    for role, owner in allowed:
        if principal.role is role and owner is not None and principal.scope == owner:
            return
    raise WriteRefused((None, f"a {principal.role.value} token scoped to {principal.scope or '-'} may not {what}",
                        "FORBIDDEN"))
