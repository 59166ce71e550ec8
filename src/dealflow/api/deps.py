"""Request dependencies: one transaction per request, and the principal behind the token.

Routes that change things take ``SessionDep`` and ``PrincipalDep``. Hot read routes take a
``Reader`` instead: it opens the transaction, resolves the token and runs the read in one
trip to a worker thread (each sync dependency of FastAPI is a trip of its own), or on SQLite
a quick read (a page of a list) on the event loop with no trip at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, cast

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from dealflow.core import clock
from dealflow.core.dialect import dialect_of
from dealflow.core.errors import AuthenticationError
from dealflow.crm.access import Principal
from dealflow.crm.tokens import TokenHolder, record_token_use, token_holder

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
Result = TypeVar("Result")
QUICK_READ_SECONDS = 0.005
"""CPU time a quick read may take on the event loop (SQLite); a longer one runs in a thread.
CPU time, not time passed: on a busy machine reads are not sent to threads (to do their work
twice) only because the machine is busy."""

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
    """Runs one read for the request's token in a single worker-thread trip, or none."""

    sessions: sessionmaker[Session]
    write_sessions: sessionmaker[Session]
    secret: str

    async def __call__(self, read: Callable[[Session, Principal], Result]) -> Result:
        """``read(session, principal)`` inside one transaction, committed when it returns."""
        return await run_in_threadpool(self._run, read)

    async def quick(self, read: Callable[[Session, Principal], Result]) -> Result:
        """``read`` as ``__call__`` runs it, but on the event loop (no thread trip) when that
        cannot hold the loop up: on SQLite (in our process, no network) with a pooled
        connection free, for a token whose use needs no writing now, and with SQLite's work
        stopped after ``QUICK_READ_SECONDS`` (the read then runs again in a thread). For
        reads whose own Python work is small and bounded, such as one page of a list."""
        done, result = self._run_on_loop(read)
        if done:
            return cast(Result, result)
        return await self(read)

    def _run(self, read: Callable[[Session, Principal], Result]) -> Result:
        with self.sessions() as session, session.begin():
            principal = _principal(session, self.secret, self.write_sessions, None)
            return read(session, principal)

    def _run_on_loop(self, read: Callable[[Session, Principal], Result]) -> tuple[bool, Any]:
        """``(True, result)``, or ``(False, None)`` when the read is not for the loop."""
        limit = None
        try:
            with self.sessions() as session:
                if not _quick_here(session):
                    return False, None
                with session.begin():
                    holder = _holder(session, self.secret)
                    if holder.use_to_record(clock.now()):
                        return False, None
                    with dialect_of(session).work_limit(session, QUICK_READ_SECONDS) as limit:
                        return True, read(session, holder.principal)
        except OperationalError:
            if limit is None or not limit.reached:
                raise
            return False, None


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
    holder = _holder(session, secret)
    now = clock.now()
    if holder.use_to_record(now):
        if recorder is not None:
            record_token_use(recorder, holder.token_id, now)
        else:
            with write_sessions() as writer, writer.begin():
                record_token_use(writer, holder.token_id, now)
    return holder.principal


def _holder(session: Session, secret: str) -> TokenHolder:
    """Who the token acts for, or 401."""
    holder = token_holder(session, secret)
    if holder is None:
        raise AuthenticationError("the API token is unknown or revoked")
    return holder


def _quick_here(session: Session) -> bool:
    """Whether a quick read of ``session`` may run on the event loop: its database works in
    our process, and a connection is free (waiting for one would hold the loop up)."""
    if dialect_of(session).server_process:
        return False
    pool = getattr(session.get_bind(), "pool", None)  # an engine's; a connection has none
    return not isinstance(pool, QueuePool) or pool.checkedout() < pool.size()
