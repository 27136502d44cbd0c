"""What every request needs: a database session (the unit of work of the request) and who is
asking (a logged-in user from the session cookie, a bearer token's user, or nobody).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from dxplan.accounts.rules import Actor
from dxplan.accounts.services import token_actor, user_actor
from dxplan.errors import DxplanError
from dxplan.plans.visibility import reads_drafts_of


class UnauthenticatedError(DxplanError):
    """A request that needs a valid bearer token and has none (HTTP 401)."""


def db_session(request: Request) -> Iterator[Session]:
    """The request's session; a handler that writes commits, anything else is rolled back."""
    factory: sessionmaker[Session] = request.app.state.sessions
    session = factory()
    try:
        yield session
    finally:
        session.close()


DbSession = Annotated[Session, Depends(db_session)]


def page_actor(request: Request, session: DbSession) -> Actor | None:
    """The logged-in user of the session cookie, or None (a deactivated user is logged out)."""
    user_id = request.session.get("user_id")
    if not isinstance(user_id, int):
        return None
    actor = user_actor(session, user_id)
    if actor is None:
        request.session.clear()
    request.state.actor = actor
    return actor


def api_actor(request: Request, session: DbSession) -> Actor | None:
    """The user of the request's bearer token, None without one; a bad token is a 401."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthenticatedError("the Authorization header must be 'Bearer <token>'")
    actor = token_actor(session, token.strip())
    if actor is None:
        raise UnauthenticatedError("the bearer token is unknown or revoked")
    return actor


PageActor = Annotated[Actor | None, Depends(page_actor)]
ApiActor = Annotated[Actor | None, Depends(api_actor)]


def may_read(actor: Actor | None, municipality_code: str, public: bool) -> bool:
    """Anyone reads a published plan; a municipality's own users read its drafts as well."""
    return public or reads_drafts_of(actor, municipality_code)
