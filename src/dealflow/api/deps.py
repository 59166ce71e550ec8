"""Request dependencies: one transaction per request, and the principal behind the token.

Routes that change things take ``SessionDep`` and ``PrincipalDep``. Hot read routes take a
``Reader`` instead: it opens the transaction, resolves the token and runs the read in one
trip to a worker thread (each sync dependency of FastAPI is a trip of its own).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from dealflow.core import clock
from dealflow.core.errors import AuthenticationError
from dealflow.crm.access import Principal
from dealflow.crm.tokens import record_token_use, token_holder

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
Result = TypeVar("Result")

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
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The principal of the request's API token, or 401."""
    holds_write_lock = request.method not in READING_METHODS
    recorder = session if holds_write_lock else None
    return _principal(session, _secret(credentials), request.app.state.write_sessions, recorder)


PrincipalDep = Annotated[Principal, Depends(current_principal)]


@dataclass(frozen=True)
class Reader:
    """Runs one read for the request's token in a single worker-thread trip."""

    sessions: sessionmaker[Session]
    write_sessions: sessionmaker[Session]
    secret: str

    async def __call__(self, read: Callable[[Session, Principal], Result]) -> Result:
        """``read(session, principal)`` inside one transaction, committed when it returns."""
        return await run_in_threadpool(self._run, read)

    def _run(self, read: Callable[[Session, Principal], Result]) -> Result:
        with self.sessions() as session, session.begin():
            principal = _principal(session, self.secret, self.write_sessions, None)
            return read(session, principal)


async def reader(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Reader:
    """A ``Reader`` for the request's token (401 when there is none)."""
    state = request.app.state
    return Reader(state.sessions, state.write_sessions, _secret(credentials))


ReaderDep = Annotated[Reader, Depends(reader)]


def _secret(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None:
        raise AuthenticationError(
            "send a personal API token: Authorization: Bearer <token> "
            "(make one under Settings > API tokens)"
        )
    return credentials.credentials


def _principal(
    session: Session,
    secret: str,
    write_sessions: sessionmaker[Session],
    recorder: Session | None,
) -> Principal:
    """The token's principal; its use is written down in ``recorder`` (a session that holds
    the write lock already) or else in a short transaction of its own, so concurrent reads
    never each try to turn into a write (SQLite refuses all but one of them)."""
    holder = token_holder(session, secret)
    if holder is None:
        raise AuthenticationError("the API token is unknown or revoked")
    now = clock.now()
    if holder.use_to_record(now):
        if recorder is not None:
            record_token_use(recorder, holder.token_id, now)
        else:
            with write_sessions() as writer, writer.begin():
                record_token_use(writer, holder.token_id, now)
    return holder.principal
