"""Test databases: a SQLite file by default, PostgreSQL when DEALFLOW_TEST_POSTGRES_URL is set.

Each PostgreSQL database is a fresh schema in the server's database, dropped afterwards, so
runs never see each other's rows.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

from dealflow import db

POSTGRES_URL = os.environ.get("DEALFLOW_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("DEALFLOW_TEST_REQUIRE_POSTGRES") == "1"
BACKEND = "postgresql" if POSTGRES_URL else "sqlite"


def check_postgres_reachable() -> None:
    """Fail loudly (never skip) when PostgreSQL was asked for and cannot be reached."""
    if REQUIRE_POSTGRES and not POSTGRES_URL:
        raise RuntimeError(
            "DEALFLOW_TEST_REQUIRE_POSTGRES=1 but DEALFLOW_TEST_POSTGRES_URL is unset"
        )
    if POSTGRES_URL:
        engine = db.make_engine(POSTGRES_URL)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:
            raise RuntimeError(f"PostgreSQL at {POSTGRES_URL} is unreachable: {error}") from error
        finally:
            engine.dispose()


@contextmanager
def fresh_database(directory: Path, template: Path | None = None) -> Iterator[str]:
    """The URL of a new, migrated, empty database."""
    if BACKEND == "sqlite":
        path = directory / f"dealflow-{uuid.uuid4().hex[:8]}.db"
        if template is not None:
            shutil.copyfile(template, path)
            yield f"sqlite:///{path}"
            return
        url = f"sqlite:///{path}"
        engine = db.make_engine(url)
        db.upgrade(engine)
        engine.dispose()
        yield url
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def engine_for(url: str) -> Engine:
    return db.make_engine(url)
