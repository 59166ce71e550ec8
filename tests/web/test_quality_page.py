"""The data quality page: the score and the worst problems in the viewer's language (right
to left in Persian), the agent run and its changes applied and undone from the page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dealflow.core import clock
from dealflow.core.jobs import Worker
from dealflow.crm.quality import tasks as quality_tasks
from dealflow.crm.quality.problems import Problem
from dealflow.models import Changeset, Contact, QualitySnapshot, Workspace
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


def test_the_page_shows_the_kept_diagnosis_until_a_new_one_is_asked_for(
    signed_in: SignedIn, org: Org, sessions: sessionmaker[Session]
) -> None:
    _dirty(sessions, org)
    kept = Problem("won_deal_without_amount", "consistency", "deals", None, 7, 10, 4.5)
    with sessions() as session, session.begin():
        session.add(
            QualitySnapshot(
                workspace_id=org.workspace_id,
                measured_at=clock.now(),
                score=12.3,
                dimensions={"consistency": 12.3},
                problems=[kept.as_dict()],
            )
        )
    admin = signed_in("admin")
    page = admin.get("/quality").text
    assert "12.3" in page and "7 won deals have no amount" in page and "Diagnosed at" in page
    assert "likely a misspelling of" not in page  # the records were not diagnosed again

    token = csrf_of(page)
    assert admin.post("/quality/diagnose", data={"csrf_token": token}).status_code == 303
    page = admin.get("/quality").text
    assert "A new diagnosis is on its way" in page and "Re-run the diagnosis" not in page
    assert "7 won deals have no amount" in page  # shown until the worker has diagnosed

    assert Worker(sessions, quality_tasks.JOB_HANDLERS).run_pending() == 1
    page = admin.get("/quality").text
    assert "likely a misspelling of “technology”" in page and "7 won deals" not in page
    assert "Re-run the diagnosis" in page
