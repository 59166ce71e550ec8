"""Schemathesis against the OpenAPI document, with a valid admin token: on any generated
input every operation answers without a server error, with a documented status and a body
that matches the document."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session, sessionmaker

from dealflow import db
from dealflow.api.app import create_api
from dealflow.crm import service, tokens
from dealflow.crm.access import principal_for
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import User
from tests import backends
from tests.factories import make_company, make_contact, make_deal, make_ticket, make_user


@pytest.fixture(scope="module")
def fuzz_sessions(
    tmp_path_factory: pytest.TempPathFactory, database_template: Path | None
) -> Iterator[sessionmaker[Session]]:
    """A database with a small workspace, shared by every generated request."""
    with backends.fresh_database(tmp_path_factory.mktemp("fuzz"), database_template) as url:
        engine = db.make_engine(url)
        sessions = db.session_factory(engine)
        with sessions() as session, session.begin():
            workspace = ensure_workspace(session, "acme", "Acme")
            admin = make_user(session, workspace, role="admin")
            for _ in range(3):
                company = make_company(session, workspace, owner_id=admin.id)
                contact = make_contact(session, workspace, company_id=company.id, score=70)
                make_deal(session, workspace, company_id=company.id)
                make_ticket(session, workspace, contact_id=contact.id)
                service.log_activity(
                    session, workspace.id, "task", links={"contact_id": contact.id}
                )
        yield sessions
        engine.dispose()


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
"""What every answer must satisfy. Whether input is refused is not checked here: some rules
are beyond a schema (a made-up cursor, an email's syntax, custom properties the workspace has
not defined), and the token added to every request turns "no token" cases into valid ones."""
COVERAGE = os.environ.get("DEALFLOW_FUZZ_COVERAGE") == "1"
APP_SESSIONS: list[sessionmaker[Session]] = []


def _app() -> object:
    return create_api(_LazySessions(writes=False), _LazySessions(writes=True))


@dataclass(frozen=True)
class _LazySessions:
    """Hands the module's sessionmaker to the app, which is built at collection time."""

    writes: bool

    def __call__(self) -> Session:
        sessions = APP_SESSIONS[0]
        return (db.for_writes(sessions) if self.writes else sessions)()


schema = schemathesis.openapi.from_asgi(
    "/api/v1/openapi.json",
    _app(),
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}}),
)


@pytest.fixture(autouse=True)
def _wire(fuzz_sessions: sessionmaker[Session]) -> Iterator[None]:
    APP_SESSIONS[:] = [fuzz_sessions]
    yield


def admin_token(sessions: sessionmaker[Session]) -> str:
    with sessions() as session, session.begin():
        admin = session.query(User).filter_by(role="admin").one()
        return tokens.create_token(session, principal_for(admin), "fuzz").secret


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_generated_request_breaks_the_api(
    case: schemathesis.Case, fuzz_sessions: sessionmaker[Session]
) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_token(fuzz_sessions)}"}, checks=CHECKS
    )
