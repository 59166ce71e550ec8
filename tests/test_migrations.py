"""Migrations: a fresh database reaches head, matches the models exactly, and can go back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from dealflow import db
from dealflow.models import Base

# The PostgreSQL-only ranking index is an expression index, which Alembic cannot reflect on
# SQLite (where it does not exist): it is compared on PostgreSQL only.
pytestmark = pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index"
)


@pytest.fixture
def fresh_engine(database_url: str) -> Iterator[Engine]:
    engine = db.make_engine(database_url)
    yield engine
    engine.dispose()


def differences(engine: Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def head(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(db.alembic_config(engine)).get_current_head()


def test_a_fresh_database_is_at_head_and_matches_the_models(fresh_engine: Engine) -> None:
    assert db.current_revision(fresh_engine) == head(fresh_engine)
    assert differences(fresh_engine) == []
    assert set(inspect(fresh_engine).get_table_names()) == {
        *Base.metadata.tables,
        "alembic_version",
    }


def test_downgrading_to_base_and_upgrading_again_rebuilds_the_same_schema(
    fresh_engine: Engine,
) -> None:
    command.downgrade(db.alembic_config(fresh_engine), "base")

    assert db.current_revision(fresh_engine) is None
    assert set(inspect(fresh_engine).get_table_names()) <= {"alembic_version"}

    db.upgrade(fresh_engine)

    assert db.current_revision(fresh_engine) == head(fresh_engine)
    assert differences(fresh_engine) == []


def test_upgrading_a_database_at_head_changes_nothing(fresh_engine: Engine) -> None:
    db.upgrade(fresh_engine)

    assert db.current_revision(fresh_engine) == head(fresh_engine)
    assert differences(fresh_engine) == []
