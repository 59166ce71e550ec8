"""The web app over a real database of the run's backend, with an organisation to sign in as.

One database per test module holds a workspace with an admin, two teams (a manager and two
reps in East, a manager and a rep in West) and another workspace; each rep owns a company, a
contact, a deal, a ticket and a task. Clients sign in through a real session row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dealflow import db
from dealflow.crm import auth, service, users
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Team
from dealflow.web.app import create_app
from tests import backends
from tests.factories import make_company, make_contact, make_deal, make_ticket

PASSWORD = "a long enough password"


@dataclass
class Org:
    """Who is who (by key), their emails, and what each rep owns, by object type."""

    workspace_id: int
    other_workspace_id: int
    user_ids: dict[str, int]
    emails: dict[str, str]
    owned: dict[str, dict[str, int]]
    names: dict[str, dict[str, str]]
    """owner key -> object type -> the record's name, to look for on pages"""


@pytest.fixture(scope="module")
def web_engine(
    tmp_path_factory: pytest.TempPathFactory, database_template: Path | None
) -> Iterator[Engine]:
    with backends.fresh_database(tmp_path_factory.mktemp("web"), database_template) as url:
        engine = db.make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture(scope="module")
def sessions(web_engine: Engine) -> sessionmaker[Session]:
    return db.session_factory(web_engine)


@pytest.fixture(scope="module")
def org(sessions: sessionmaker[Session]) -> Org:
    with sessions() as session, session.begin():
        return _build_org(session)


SignedIn = Callable[[str], TestClient]


@pytest.fixture
def signed_in(web_engine: Engine, sessions: sessionmaker[Session], org: Org) -> Iterator[SignedIn]:
    """``signed_in("rep")``: a client with a live session of that person."""
    clients: list[TestClient] = []
    app = create_app(web_engine)

    def sign_in(key: str) -> TestClient:
        with sessions() as session, session.begin():
            user = users.get_user(session, _workspace_of(org, key), org.user_ids[key])
            token = auth.create_session(session, user)
        client = TestClient(app, follow_redirects=False)
        client.cookies.set("dealflow_session", token)
        clients.append(client)
        return client

    yield sign_in
    for client in clients:
        client.close()


def csrf_of(page_html: str) -> str:
    """The CSRF token a page carries (in its meta tag)."""
    found = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', page_html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def _workspace_of(org: Org, key: str) -> int:
    return org.other_workspace_id if key == "stranger" else org.workspace_id


def _build_org(session: Session) -> Org:
    created = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    workspace = ensure_workspace(session, "acme", "Acme Sales")
    other = ensure_workspace(session, "globex", "Globex")
    east = Team(workspace_id=workspace.id, name="East", created_at=created)
    west = Team(workspace_id=workspace.id, name="West", created_at=created)
    session.add_all([east, west])
    session.flush()
    specs = {
        "admin": (workspace, "admin", None),
        "manager": (workspace, "manager", east.id),
        "rep": (workspace, "rep", east.id),
        "teammate": (workspace, "rep", east.id),
        "west_manager": (workspace, "manager", west.id),
        "west_rep": (workspace, "rep", west.id),
        "stranger": (other, "admin", None),
    }
    people = {
        key: users.add_user(
            session,
            space.id,
            f"{key}@example.com",
            name=f"{key.replace('_', ' ').title()} Person",
            role=role,
            team_id=team_id,
            password=PASSWORD,
        )
        for key, (space, role, team_id) in specs.items()
    }
    owned: dict[str, dict[str, int]] = {}
    names: dict[str, dict[str, str]] = {}
    for key in ("rep", "teammate", "west_rep", "stranger"):
        space = other if key == "stranger" else workspace
        owner = people[key]
        label = key.replace("_", "").capitalize()
        company = make_company(session, space, owner_id=owner.id, name=f"{label} Holdings")
        contact = make_contact(
            session,
            space,
            owner_id=owner.id,
            company_id=company.id,
            first_name=label,
            last_name="Customer",
        )
        deal = make_deal(
            session, space, owner_id=owner.id, company_id=company.id, name=f"{label} Big Deal"
        )
        ticket = make_ticket(
            session, space, owner_id=owner.id, contact_id=contact.id, subject=f"{label} question?"
        )
        task = service.log_activity(
            session,
            space.id,
            "task",
            subject=f"Call {label} back",
            due_at=created - timedelta(days=1),
            links={"contact_id": contact.id, "deal_id": deal.id, "owner_id": owner.id},
        )
        owned[key] = {
            "companies": company.id,
            "contacts": contact.id,
            "deals": deal.id,
            "tickets": ticket.id,
            "tasks": task.id,
        }
        names[key] = {
            "contacts": f"{label} Customer",
            "deals": f"{label} Big Deal",
            "tasks": f"Call {label} back",
        }
    return Org(
        workspace_id=workspace.id,
        other_workspace_id=other.id,
        user_ids={key: user.id for key, user in people.items()},
        emails={key: user.email or "" for key, user in people.items()},
        owned=owned,
        names=names,
    )
