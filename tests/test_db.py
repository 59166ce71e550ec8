"""Engines and units of work: SQLite set up for safe concurrent use, one transaction per unit."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from dealflow import db
from dealflow.core.clock import FrozenClock
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Contact, PropertyChange, Workspace
from dealflow.settings import get_settings


class TestSqliteEngine:
    def test_a_file_database_uses_wal_foreign_keys_and_a_busy_timeout(self, tmp_path: Path) -> None:
        engine = db.make_engine(f"sqlite:///{tmp_path / 'crm.db'}")
        try:
            with engine.connect() as connection:
                pragma = connection.exec_driver_sql
                assert pragma("PRAGMA journal_mode").scalar() == "wal"
                assert pragma("PRAGMA foreign_keys").scalar() == 1
                assert (
                    pragma("PRAGMA busy_timeout").scalar() == get_settings().sqlite_busy_timeout_ms
                )
        finally:
            engine.dispose()

    def test_with_fresh_statistics_a_record_s_history_is_read_by_its_record_index(
        self, tmp_path: Path
    ) -> None:
        engine = db.make_engine(f"sqlite:///{tmp_path / 'crm.db'}")
        try:
            db.upgrade(engine)
            with db.unit_of_work(engine) as session:
                space = ensure_workspace(session, "acme")
                session.execute(
                    PropertyChange.__table__.insert(),
                    [
                        {
                            "workspace_id": space.id,
                            "object_type": "deals",
                            "record_id": n % 500,
                            "property": "stage_id",
                            "old_value": 1,
                            "new_value": 2,
                            "changed_at": datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=n),
                            "source": "test",
                        }
                        for n in range(5000)
                    ],
                )
            query = (
                "EXPLAIN QUERY PLAN SELECT * FROM property_changes WHERE workspace_id = 1 "
                "AND object_type = 'deals' AND record_id = 7 ORDER BY changed_at, id"
            )

            db.refresh_planner_statistics(engine)

            with engine.connect() as connection:
                plan = " ".join(str(row) for row in connection.exec_driver_sql(query))
            assert "ix_property_changes_record" in plan
        finally:
            engine.dispose()

    def test_a_reader_does_not_block_a_writer(self, tmp_path: Path) -> None:
        engine = db.make_engine(f"sqlite:///{tmp_path / 'crm.db'}")
        try:
            with engine.begin() as connection:
                connection.execute(text("CREATE TABLE notes (body TEXT)"))
                connection.execute(text("INSERT INTO notes VALUES ('first')"))
            with engine.connect() as reader, engine.connect() as writer:
                writer.exec_driver_sql("PRAGMA busy_timeout = 100")  # fail fast if blocked
                writer.commit()
                with reader.begin():
                    assert reader.execute(text("SELECT count(*) FROM notes")).scalar() == 1
                    with writer.begin():
                        writer.execute(text("INSERT INTO notes VALUES ('second')"))
                    assert reader.execute(text("SELECT count(*) FROM notes")).scalar() == 1
                assert reader.execute(text("SELECT count(*) FROM notes")).scalar() == 2
        finally:
            engine.dispose()

    @pytest.mark.parametrize("writes", [False, True], ids=["deferred", "write-lock-first"])
    def test_two_read_then_write_transactions(self, tmp_path: Path, writes: bool) -> None:
        """Deferred: both read, the second writer fails at once. Taking the write lock at
        BEGIN: the second waits for the first, reads its result, and both increments land."""
        engine = db.make_engine(f"sqlite:///{tmp_path / 'crm.db'}")
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE counter (n INTEGER)"))
            connection.execute(text("INSERT INTO counter VALUES (0)"))
        sessions = db.session_factory(engine, writes=writes)
        both_read = threading.Barrier(2, timeout=5)
        failures: list[Exception] = []

        def increment() -> None:
            try:
                with sessions() as session, session.begin():
                    n = session.execute(text("SELECT n FROM counter")).scalar_one()
                    if not writes:
                        both_read.wait()  # with the lock taken at BEGIN only one gets here
                    session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
            except OperationalError as error:
                failures.append(error)

        threads = [threading.Thread(target=increment) for _ in range(2)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=20)
            with engine.connect() as connection:
                final = connection.execute(text("SELECT n FROM counter")).scalar()
        finally:
            engine.dispose()

        if writes:
            assert (failures, final) == ([], 2)
        else:
            assert len(failures) == 1 and "locked" in str(failures[0])
            assert final == 1

    def test_an_in_memory_database_enforces_foreign_keys(self) -> None:
        engine = db.make_engine("sqlite://")
        try:
            with engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        finally:
            engine.dispose()


class TestUrls:
    @pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
    def test_a_plain_postgres_url_gets_the_psycopg_driver(self, scheme: str) -> None:
        engine = db.make_engine(f"{scheme}://sales@db.invalid:5432/crm")

        assert engine.url.drivername == "postgresql+psycopg"
        assert (engine.url.host, engine.url.database) == ("db.invalid", "crm")


class TestUnitOfWork:
    def test_a_block_that_succeeds_commits(
        self, database_url: str, frozen_clock: FrozenClock
    ) -> None:
        engine = db.make_engine(database_url)
        try:
            with db.unit_of_work(engine) as session:
                ensure_workspace(session, "acme")

            with db.session_factory(engine)() as session:
                assert session.scalars(select(Workspace.slug)).all() == ["acme"]
        finally:
            engine.dispose()

    def test_a_block_that_raises_rolls_everything_back(
        self, database_url: str, frozen_clock: FrozenClock
    ) -> None:
        engine = db.make_engine(database_url)
        try:
            with pytest.raises(LookupError), db.unit_of_work(engine) as session:
                ensure_workspace(session, "acme")
                raise LookupError("a later step failed")

            with db.session_factory(engine)() as session:
                assert session.scalar(select(func.count()).select_from(Workspace)) == 0
        finally:
            engine.dispose()


def test_the_database_refuses_a_link_to_a_missing_row(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock
) -> None:
    orphan = Contact(
        workspace_id=workspace.id,
        email="orphan@example.com",
        company_id=987654,
        lifecycle_stage="lead",
        do_not_email=False,
        do_not_call=False,
        properties={},
        created_at=frozen_clock.now(),
        updated_at=frozen_clock.now(),
    )

    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(orphan)
        session.flush()
