"""Reads aside: read-only work run in threads, each on a connection of its own, while the
caller goes on with its own reads, so independent reads of a big workspace overlap on the
machine's cores (SQLite works inside our process but lets go of the GIL while it executes;
PostgreSQL works in processes of its own).

A read goes aside only when another connection sees what the session sees: the session is
bound to an engine (not to a connection whose transaction a caller holds), the database is not
an in-memory one (another connection would be another database), and the session's
transaction has written nothing (another connection would miss those rows). Otherwise the read
runs in the session, at once. A read aside sees the data committed when it starts: the
session's own view, or a little newer when another writer committed in between (as every
statement of a PostgreSQL transaction at READ COMMITTED does anyway).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import SingletonThreadPool, StaticPool

from dealflow.core.dialect import dialect_of
from dealflow.db import WRITES

T = TypeVar("T")
WORKERS = 2
"""Reads aside at once (the caller's own reads make one more)."""


class Aside:
    """Starts reads aside (see the module docstring); each read is given the session to read
    with and its result comes as a future."""

    def __init__(
        self, session: Session, engine: Engine | None, workers: ThreadPoolExecutor | None
    ) -> None:
        self._session = session
        self._engine = engine
        self._workers = workers

    def start(self, read: Callable[[Session], T]) -> Future[T]:
        """``read`` run in a thread on a session of its own, or at once in the session."""
        if self._engine is None or self._workers is None:
            done: Future[T] = Future()
            done.set_result(read(self._session))
            return done
        return self._workers.submit(_read_alone, self._engine, read)


@contextmanager
def reads_aside(session: Session) -> Iterator[Aside]:
    """Reads aside started in the block; leaving it does not wait for the reads still
    running (they finish on their own, their futures tell)."""
    engine = _engine_seeing_what_it_sees(session)
    if engine is None:
        yield Aside(session, None, None)
        return
    workers = ThreadPoolExecutor(WORKERS, thread_name_prefix="dealflow-aside")
    try:
        yield Aside(session, engine, workers)
    finally:
        workers.shutdown(wait=False)


def _engine_seeing_what_it_sees(session: Session) -> Engine | None:
    """The session's engine when its other connections see what the session sees."""
    engine = session.get_bind()
    if not isinstance(engine, Engine) or isinstance(engine.pool, StaticPool | SingletonThreadPool):
        return None
    in_memory = engine.url.database in (None, "", ":memory:") or "memory" in str(engine.url)
    if engine.dialect.name == "sqlite" and in_memory:
        return None
    if dialect_of(session).wrote_in_transaction(session):
        return None
    return engine.execution_options(**{WRITES: False})  # readers: never the write lock


def _read_alone(engine: Engine, read: Callable[[Session], T]) -> T:
    with Session(engine) as session:
        try:
            return read(session)
        finally:
            session.rollback()
