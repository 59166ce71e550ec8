"""Workflow pages: the list with enable/disable for admins, a workflow's definition and recent
runs (only on records the viewer may see), dead steps retried from the page, a record's run
trail on its page, and the deal's forecast category set from the deal page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dealflow.automate.enrolments import STEP_JOB
from dealflow.automate.service import enrol_manually, save_workflow
from dealflow.core import jobs
from dealflow.crm.history import history_of
from dealflow.models import Deal, Job, Workflow
from tests.web.conftest import Org, SignedIn, csrf_of

DOCUMENT = {
    "name": "Call new contacts",
    "object": "contacts",
    "description": "A task for the owner of each new contact.",
    "trigger": {"type": "record_created"},
    "steps": [{"action": {"type": "create_task", "subject": "Call {{ first_name }}"}}],
}


@pytest.fixture
def workflow(sessions: sessionmaker[Session], org: Org) -> Iterator[Workflow]:
    """A workflow with the rep's and the west rep's contacts enrolled; the rep's first step
    died after its last attempt."""
    with sessions() as session, session.begin():
        saved = save_workflow(session, org.workspace_id, DOCUMENT).workflow
        mine = enrol_manually(session, org.workspace_id, saved.id, org.owned["rep"]["contacts"])
        enrol_manually(session, org.workspace_id, saved.id, org.owned["west_rep"]["contacts"])
        assert mine is not None
        session.flush()
        job = session.scalars(
            select(Job).where(
                Job.kind == STEP_JOB, Job.payload["enrolment_id"].as_integer() == mine.id
            )
        ).one()
        job.max_attempts = 1
        (claimed,) = jobs.claim(session, "test-worker", limit=1, kinds=[STEP_JOB])
        assert claimed.id == job.id
        jobs.fail(session, claimed, "test-worker", "the CRM said no")
        workflow_id = saved.id
    with sessions() as session:
        yield session.get_one(Workflow, workflow_id)
    with sessions() as session, session.begin():
        session.delete(session.get_one(Workflow, workflow_id))
        session.execute(Job.__table__.delete().where(Job.kind == STEP_JOB))


def test_an_admin_disables_and_enables_a_workflow_from_the_list(
    signed_in: SignedIn, workflow: Workflow, sessions: sessionmaker[Session]
) -> None:
    client = signed_in("admin")
    page = client.get("/workflows").text
    assert "Call new contacts" in page and "1 dead steps" in page and "Disabled" in page

    answer = client.post(
        f"/workflows/{workflow.id}/switch", data={"enabled": "true", "csrf_token": csrf_of(page)}
    )

    assert answer.status_code == 303 and answer.headers["location"] == "/workflows"
    with sessions() as session:
        assert session.get_one(Workflow, workflow.id).is_enabled
    assert "Enabled" in client.get("/workflows").text


def test_a_rep_reads_workflows_but_cannot_switch_or_retry_them(
    signed_in: SignedIn, workflow: Workflow, sessions: sessionmaker[Session]
) -> None:
    client = signed_in("rep")
    page = client.get("/workflows").text
    assert "Call new contacts" in page and f"/workflows/{workflow.id}/switch" not in page
    token = csrf_of(page)

    switched = client.post(
        f"/workflows/{workflow.id}/switch", data={"enabled": "true", "csrf_token": token}
    )
    retried = client.post(
        f"/workflows/{workflow.id}/retry", data={"enrolment_id": "1", "csrf_token": token}
    )

    assert switched.status_code == 403 and retried.status_code == 403
    with sessions() as session:
        assert not session.get_one(Workflow, workflow.id).is_enabled


def test_the_workflow_page_shows_runs_of_records_the_viewer_may_see(
    signed_in: SignedIn, workflow: Workflow, org: Org
) -> None:
    mine, theirs = org.owned["rep"]["contacts"], org.owned["west_rep"]["contacts"]

    as_rep = signed_in("rep").get(f"/workflows/{workflow.id}").text
    as_admin = signed_in("admin").get(f"/workflows/{workflow.id}").text

    assert "A task for the owner of each new contact." in as_rep and "create_task" in as_rep
    assert f'href="/contacts/{mine}"' in as_rep and f'href="/contacts/{theirs}"' not in as_rep
    assert f'href="/contacts/{mine}"' in as_admin and f'href="/contacts/{theirs}"' in as_admin
    assert "the CRM said no" in as_rep and "Retry</button>" not in as_rep
    assert "Retry</button>" in as_admin


def test_an_admin_retries_a_dead_step_and_the_record_s_trail_says_so(
    signed_in: SignedIn, workflow: Workflow, org: Org, sessions: sessionmaker[Session]
) -> None:
    client = signed_in("admin")
    page = client.get(f"/workflows/{workflow.id}").text
    with sessions() as session:
        (job,) = session.scalars(select(Job).where(Job.status == jobs.DEAD)).all()
        enrolment_id = int(job.payload["enrolment_id"])

    answer = client.post(
        f"/workflows/{workflow.id}/retry",
        data={"enrolment_id": str(enrolment_id), "csrf_token": csrf_of(page)},
    )

    assert answer.status_code == 303
    with sessions() as session:
        assert session.get_one(Job, job.id).status == jobs.QUEUED
    assert "No dead steps." in client.get(f"/workflows/{workflow.id}").text
    contact_page = signed_in("rep").get(f"/contacts/{org.owned['rep']['contacts']}").text
    assert "Workflow runs" in contact_page and "retried the dead step 1" in contact_page


def test_a_rep_puts_their_deal_in_commit_from_the_deal_page(
    signed_in: SignedIn, org: Org, sessions: sessionmaker[Session]
) -> None:
    deal_id = org.owned["rep"]["deals"]
    client = signed_in("rep")
    page = client.get(f"/deals/{deal_id}").text
    assert 'name="category"' in page and "Forecast category" in page

    answer = client.post(
        f"/deals/{deal_id}/category", data={"category": "commit", "csrf_token": csrf_of(page)}
    )
    wrong = client.post(
        f"/deals/{deal_id}/category", data={"category": "maybe", "csrf_token": csrf_of(page)}
    )
    other = client.post(
        f"/deals/{org.owned['teammate']['deals']}/category",
        data={"category": "commit", "csrf_token": csrf_of(page)},
    )

    assert answer.status_code == 303
    assert wrong.status_code == 422 and "forecast_category" in wrong.text
    assert other.status_code == 404
    with sessions() as session:
        assert session.get_one(Deal, deal_id).forecast_category == "commit"
        changes = history_of(session, org.workspace_id, "deals", deal_id)
        assert [(c.property, c.new_value) for c in changes][-1] == ("forecast_category", "commit")
    assert '<option value="commit" selected>' in client.get(f"/deals/{deal_id}").text
