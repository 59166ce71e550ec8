"""The data quality page: the score and the worst problems in the viewer's language (right
to left in Persian), the agent run and its changes applied and undone from the page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dealflow.models import Changeset, Contact, Workspace
from tests.crm.cleansing.dirty_data import build_dirty_workspace
from tests.web.conftest import Org, SignedIn, csrf_of


def _dirty(sessions: sessionmaker[Session], org: Org) -> None:
    """The dirty records, once (the web tests share their database)."""
    with sessions() as session, session.begin():
        if session.scalars(select(Contact).where(Contact.first_name == "Ada")).first():
            return
        build_dirty_workspace(session, session.get_one(Workspace, org.workspace_id))


def test_an_admin_reviews_applies_and_undoes_the_agent_s_changes(
    signed_in: SignedIn, org: Org, sessions: sessionmaker[Session]
) -> None:
    _dirty(sessions, org)
    client = signed_in("admin")
    page = client.get("/quality")
    assert page.status_code == 200, page.text
    assert 'href="/quality" aria-current="page"' in page.text
    assert "likely a misspelling of “technology”" in page.text
    token = csrf_of(page.text)

    assert client.post("/quality/run", data={"csrf_token": token}).status_code == 303
    with sessions() as session:
        changeset = session.scalars(select(Changeset)).one()
    assert "Changes waiting for review" in client.get("/quality").text
    applied = client.post(f"/quality/changesets/{changeset.id}/apply", data={"csrf_token": token})
    assert applied.status_code == 303
    with sessions() as session:
        adas = session.scalars(
            select(Contact).where(Contact.first_name == "Ada", Contact.last_name == "Lovelace")
        ).all()
    assert len(adas) == 1
    assert (
        client.post(
            f"/quality/changesets/{changeset.id}/undo", data={"csrf_token": token}
        ).status_code
        == 303
    )
    with sessions() as session:
        adas = session.scalars(
            select(Contact).where(Contact.first_name == "Ada", Contact.last_name == "Lovelace")
        ).all()
    assert len(adas) == 2


def test_reps_do_not_see_it_and_persian_reads_right_to_left(
    signed_in: SignedIn, org: Org, sessions: sessionmaker[Session]
) -> None:
    _dirty(sessions, org)
    rep = signed_in("rep")
    assert 'href="/quality"' not in rep.get("/").text
    assert rep.get("/quality").status_code == 403
    manager = signed_in("west_manager")
    token = csrf_of(manager.get("/quality").text)
    manager.post("/language", data={"locale": "fa", "next": "/quality", "csrf_token": token})
    page = manager.get("/quality").text
    assert 'dir="rtl"' in page and "کیفیت داده" in page and "غلط املایی" in page
    assert "Run the agent" not in page and "اجرای عامل" not in page  # managers read, admins act
