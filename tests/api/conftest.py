"""API tests: the real app over the run's database, in-process (ASGI) for speed.

The test and every request share one connection inside an outer transaction: each request
commits to its own savepoint, exactly as a real unit of work commits, and the test rolls
everything back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from dealflow.api.app import create_api
from dealflow.crm import tokens
from dealflow.crm.access import principal_for
from dealflow.models import User
from tests.crm.test_access import org  # noqa: F401  (the authorization matrix's people)


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


def _sessions(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """The test's own session, on the connection the API uses (overrides the root one)."""
    session = _sessions(connection)()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def api(connection: Connection) -> Iterator[TestClient]:
    with TestClient(
        create_api(_sessions(connection)), base_url="http://testserver/api/v1/"
    ) as client:
        yield client


def bearer(session: Session, user: User) -> dict[str, str]:
    """Authorization headers with a new API token of ``user``."""
    secret = tokens.create_token(session, principal_for(user), "tests").secret
    session.flush()
    return {"Authorization": f"Bearer {secret}"}
