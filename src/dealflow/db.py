"""Database engine, sessions (one transaction per unit of work) and the migration runner."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from dealflow.settings import get_settings, with_psycopg_driver

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
WRITES = "dealflow_writes"
"""Execution option: the transaction will write, so on SQLite take the write lock at BEGIN."""
CHANGES_AT_BEGIN = "dealflow_changes_at_begin"
"""Connection info: the SQLite connection's ``total_changes`` when its transaction began."""


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: the configured one), with SQLite set up for safe use.

    SQLite gets WAL (readers never block the writer), foreign keys, a busy timeout, and
    transactions that SQLAlchemy begins itself so savepoints and DDL behave as on PostgreSQL.
    """
    settings = get_settings()
    url = with_psycopg_driver(url or settings.database_url)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
    return engine


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A deferred transaction that reads and then writes fails at once ("database is
        # locked") when another writer committed after its first read; one that takes the
        # write lock up front waits its turn (busy timeout) and reads the newest data.
        # Sent to the driver as it is: every unit of work begins so, and SQLAlchemy's
        # statement machinery would cost more than SQLite's work (SQLAlchemy logs the begin).
        writes = connection.get_execution_options().get(WRITES, False)
        driver = connection.connection.driver_connection
        driver.execute("BEGIN IMMEDIATE" if writes else "BEGIN")  # type: ignore[union-attr]
        # whether the transaction wrote, for reads on other connections (reads_aside)
        connection.info[CHANGES_AT_BEGIN] = driver.total_changes  # type: ignore[union-attr]


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for the configured database."""
    return make_engine()


def session_factory(engine: Engine | None = None, *, writes: bool = False) -> sessionmaker[Session]:
    """Sessions on ``engine``; with ``writes``, transactions that mean to write (on SQLite they
    queue for the write lock at BEGIN instead of failing when they write after reading)."""
    engine = engine or get_engine()
    if writes:
        engine = engine.execution_options(**{WRITES: True})
    return sessionmaker(bind=engine, expire_on_commit=False)


def for_writes(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The writing counterpart of ``sessions`` (same engine and pool)."""
    return session_factory(sessions.kw["bind"], writes=True)


@contextmanager
def unit_of_work(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction: commit when the block succeeds, roll back when it raises."""
    with session_factory(engine)() as session, session.begin():
        yield session


ANALYSIS_LIMIT = 1000
"""Rows SQLite samples per index when it refreshes the planner's statistics (bounded time on
any size of database, good enough to pick the right index)."""


def refresh_planner_statistics(engine: Engine | None = None) -> None:
    """Give SQLite's query planner statistics of the tables as they are now, so it picks
    the selective index (a record's history by record, not by the workspace's time order).
    PostgreSQL keeps its own statistics (autovacuum)."""
    engine = engine or get_engine()
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        connection.exec_driver_sql("ANALYZE")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    """Bring the database schema up to ``revision`` (default: the newest)."""
    command.upgrade(alembic_config(engine or get_engine()), revision)


def head_revision() -> str | None:
    """The newest revision the code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def current_revision(engine: Engine | None = None) -> str | None:
    """The schema revision the database is at, or None when it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    with (engine or get_engine()).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
