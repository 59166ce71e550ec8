"""Where a ``Reader`` runs a quick read: on the event loop only when that cannot hold it up
(SQLite, the token's use already written down, SQLite's work cut short), else in a thread."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from dealflow import db
from dealflow.api.deps import Reader
from dealflow.crm import tokens
from dealflow.crm.access import Principal, principal_for
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import ApiToken
from tests.factories import make_user

COUNT_TO = 300_000
SLOW_COUNT = text(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :last) "
    "SELECT count(*) FROM n"
).bindparams(last=COUNT_TO)
"""A count that takes SQLite far longer than a quick read may hold the loop."""


@pytest.fixture
def reader(sessions: sessionmaker[Session]) -> Reader:
    with sessions() as session, session.begin():
        user = make_user(session, ensure_workspace(session, "acme"))
        secret = tokens.create_token(session, principal_for(user), "tests").secret
    return Reader(sessions, db.for_writes(sessions), secret)


def _last_used(sessions: sessionmaker[Session]) -> datetime | None:
    with sessions() as session:
        return session.scalars(select(ApiToken.last_used_at)).one()


def _on_sqlite(sessions: sessionmaker[Session]) -> bool:
    with sessions() as session:
        return session.get_bind().dialect.name == "sqlite"


def test_the_first_use_of_a_token_is_written_down_and_later_reads_skip_the_thread(
    reader: Reader, sessions: sessionmaker[Session]
) -> None:
    threads: list[threading.Thread] = []

    def read(_session: Session, principal: Principal) -> int:
        threads.append(threading.current_thread())
        return principal.user_id

    async def twice() -> list[int]:
        return [await reader.quick(read), await reader.quick(read)]

    first, second = asyncio.run(twice())

    assert first == second
    assert _last_used(sessions) is not None
    loop_thread = threading.current_thread()  # asyncio.run's loop runs in this thread
    # the first use is written down in a thread; later reads run on the loop (SQLite)
    assert [thread is loop_thread for thread in threads] == [False, _on_sqlite(sessions)]


def test_a_quick_read_that_turns_out_slow_is_stopped_and_finishes_in_a_thread(
    reader: Reader, sessions: sessionmaker[Session]
) -> None:
    threads: list[threading.Thread] = []

    def read(session: Session, _principal: Principal) -> int:
        threads.append(threading.current_thread())
        return int(session.scalar(SLOW_COUNT) or 0)

    async def run() -> int:
        await reader.quick(lambda _session, principal: principal.user_id)  # use written
        threads.clear()
        return await reader.quick(read)

    assert asyncio.run(run()) == COUNT_TO
    loop_thread = threading.current_thread()
    expected = [True, False] if _on_sqlite(sessions) else [False]  # stopped, run again
    assert [thread is loop_thread for thread in threads] == expected


def test_an_unknown_token_is_refused_on_the_loop_too(sessions: sessionmaker[Session]) -> None:
    reader = Reader(sessions, db.for_writes(sessions), "dft_unknown")

    with pytest.raises(Exception, match="unknown or revoked"):
        asyncio.run(reader.quick(lambda _session, principal: principal.user_id))
