"""Request dependencies: one transaction per request, and the principal behind the token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from dealflow.core.errors import AuthenticationError
from dealflow.crm.access import Principal, principal_for
from dealflow.crm.tokens import resolve_token

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiToken",
    description="A personal API token (`dft_...`): `Authorization: Bearer <token>`.",
)


def unit_of_work(request: Request) -> Iterator[Session]:
    """A session whose transaction commits when the route returns and rolls back when it
    raises, before the response leaves (so a failed commit is never reported as success).
    Requests that change things queue for the write lock up front (SQLite)."""
    state = request.app.state
    sessions: sessionmaker[Session] = (
        state.sessions if request.method in READING_METHODS else state.write_sessions
    )
    with sessions() as session, session.begin():
        yield session


SessionDep = Annotated[Session, Depends(unit_of_work, scope="function")]


def current_principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The principal of the request's API token, or 401."""
    if credentials is None:
        raise AuthenticationError(
            "send a personal API token: Authorization: Bearer <token> "
            "(make one under Settings > API tokens)"
        )
    user = resolve_token(session, credentials.credentials)
    if user is None:
        raise AuthenticationError("the API token is unknown or revoked")
    return principal_for(user)


PrincipalDep = Annotated[Principal, Depends(current_principal)]
