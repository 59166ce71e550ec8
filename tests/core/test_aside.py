"""Reads aside run on connections of their own only when those see what the session sees."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from dealflow.core.aside import reads_aside
from dealflow.crm.workspaces import ensure_workspace
from dealflow.db import for_writes
from dealflow.models import Workspace


def _count_and_thread(session: Session) -> tuple[int, int]:
    return session.scalar(select(func.count(Workspace.id))) or 0, threading.get_ident()


def test_reads_of_a_transaction_that_wrote_run_in_it_and_see_its_rows(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session, session.begin():
        ensure_workspace(session, "acme", "Acme Sales")
        session.flush()
        with reads_aside(session) as aside:
            count, thread = aside.start(_count_and_thread).result()
    assert (count, thread) == (1, threading.get_ident())


def test_reads_of_a_transaction_that_only_read_overlap_on_other_connections(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session, session.begin():
        ensure_workspace(session, "acme", "Acme Sales")
    with sessions() as session, session.begin():
        before = _count_and_thread(session)[0]
        with reads_aside(session) as aside:
            started = [aside.start(_count_and_thread) for _ in range(3)]
            counts = [read.result()[0] for read in started]
            threads = {read.result()[1] for read in started}
    assert counts == [before] * 3 == [1] * 3
    assert threading.get_ident() not in threads


def test_a_session_on_a_callers_connection_reads_in_it(session: Session) -> None:
    """The test session's rows live in a transaction the fixture holds: only it sees them."""
    ensure_workspace(session, "acme", "Acme Sales")
    session.commit()  # a savepoint: still the fixture's transaction
    with reads_aside(session) as aside:
        count, thread = aside.start(_count_and_thread).result()
    assert (count, thread) == (1, threading.get_ident())


def test_a_transaction_meant_to_write_reads_aside_without_waiting_for_its_own_lock(
    sessions: sessionmaker[Session],
) -> None:
    """On SQLite it holds the write lock from BEGIN: reads aside must not ask for it too."""
    with sessions() as session, session.begin():
        ensure_workspace(session, "acme", "Acme Sales")
    with for_writes(sessions)() as session, session.begin():
        before = _count_and_thread(session)[0]
        with reads_aside(session) as aside:
            count, thread = aside.start(_count_and_thread).result(timeout=30)
    assert (count, thread != threading.get_ident()) == (before, True)
