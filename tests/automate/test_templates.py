"""The bundled templates: each saves in a workspace like the demo's and does its pattern."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.service import save_workflow, set_enabled
from dealflow.automate.templates import template, templates
from dealflow.core.clock import FrozenClock
from dealflow.core.errors import NotFoundError
from dealflow.crm import service
from dealflow.models import Activity, Workspace
from tests.automate.conftest import drain, trail_of
from tests.factories import make_contact, make_deal, make_user, stage_named


def use(session: Session, workspace: Workspace, key: str) -> None:
    workflow = save_workflow(session, workspace.id, template(key).document).workflow
    set_enabled(session, workspace.id, workflow.id, True)


def task_lines(session: Session) -> list[tuple[str | None, int | None]]:
    return [
        (task.subject, task.owner_id)
        for task in session.scalars(
            select(Activity).where(Activity.kind == "task").order_by(Activity.id)
        )
    ]


def test_every_template_is_listed_and_valid(session: Session, workspace: Workspace) -> None:
    keys = [item.key for item in templates()]

    assert keys == ["deal-stage-actions", "inbound-lead-routing", "inquiry-triage"]
    for key in keys:
        assert save_workflow(session, workspace.id, template(key).document).changed
    with pytest.raises(
        NotFoundError, match="templates: deal-stage-actions, inbound-lead-routing, inquiry-triage"
    ):
        template("nope")


def test_inbound_routing_gives_a_rep_the_lead_and_a_summary_task(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock
) -> None:
    rep = make_user(session, workspace, name="Sam")
    use(session, workspace, "inbound-lead-routing")
    lead = make_contact(session, workspace, first_name="Ada", source="website")
    service.record_engagement(
        session, workspace.id, lead.id, "form_submit", url="https://acme.test/demo"
    )

    drain(session)

    session.refresh(lead)
    assert (lead.owner_id, lead.lead_status) == (rep.id, "new")
    [(subject, owner)] = task_lines(session)
    assert (subject, owner) == (f"New inbound lead: Ada {lead.last_name}", rep.id)
    assert (
        "because a form was submitted (https://acme.test/demo)"
        in trail_of(session, "contacts", lead.id)[0]
    )


def test_deal_stage_actions_tasks_for_owner_and_manager_then_a_follow_up(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock
) -> None:
    manager = make_user(session, workspace, name="Mina", role="manager")
    owner = make_user(session, workspace, name="Kenji", manager_id=manager.id)
    use(session, workspace, "deal-stage-actions")
    deal = make_deal(session, workspace, name="Big deal", owner_id=owner.id)
    closing = make_deal(session, workspace, name="Closing", owner_id=owner.id)
    for moved in (deal, closing):
        service.move_deal(
            session, workspace.id, moved.id, stage_named(session, workspace, "Proposal").id
        )
    drain(session)
    service.move_deal(
        session, workspace.id, closing.id, stage_named(session, workspace, "Closed won").id
    )

    frozen_clock.advance(timedelta(days=3))
    drain(session)

    assert task_lines(session) == [
        ("Send the proposal for Big deal", owner.id),
        ("Review the proposal for Big deal (1000.00 USD)", manager.id),
        ("Send the proposal for Closing", owner.id),
        ("Review the proposal for Closing (1000.00 USD)", manager.id),
        ("Follow up on the proposal for Big deal", owner.id),
    ]
    assert trail_of(session, "deals", closing.id)[-1] == "left the workflow: it reached the goal"
