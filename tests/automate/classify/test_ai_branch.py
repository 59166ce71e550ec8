"""The AI branch in a workflow, and the inquiry-triage template (the seed's pattern 2)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.classify import service as inquiries_service
from dealflow.automate.service import save_workflow, set_enabled
from dealflow.automate.templates import template
from dealflow.core.clock import FrozenClock
from dealflow.core.errors import InvalidFieldsError
from dealflow.crm import service
from dealflow.models import Activity, InquiryClassification, Ticket, Workspace
from tests.automate.classify.conftest import RememberingEmbedder
from tests.automate.classify.inquiries import inquiries
from tests.automate.conftest import drain, trail_of
from tests.factories import make_contact, make_user

SALES = "Could you send us a quote for 30 AirPanel units? We are choosing a vendor this month."
SUPPORT = "SenseHubが3日前から動かなくなり、エラーが表示されます。どう直せばよいですか。"


def test_an_unknown_label_or_object_is_refused_at_save_with_its_path(
    session: Session, workspace: Workspace
) -> None:
    document = {
        "name": "Triage",
        "object": "contacts",
        "trigger": {"type": "manual"},
        "steps": [
            {
                "action": {
                    "type": "ai_branch",
                    "label": ["sales_inquiry", "sales"],
                    "then": [{"action": {"type": "stop"}}],
                }
            }
        ],
    }
    with pytest.raises(InvalidFieldsError) as caught:
        save_workflow(session, workspace.id, document)
    assert caught.value.problems == [
        (
            "steps[0].action.label[1]",
            "unknown label 'sales'; labels: sales_inquiry, support, billing, partnership, "
            "spam, other",
        )
    ]
    with pytest.raises(InvalidFieldsError, match="ai_branch reads inquiries of tickets or"):
        save_workflow(session, workspace.id, {**document, "object": "deals"})


def test_inquiry_triage_alerts_a_rep_for_sales_and_opens_a_ticket_for_support(
    session: Session,
    workspace: Workspace,
    frozen_clock: FrozenClock,
    embedder: RememberingEmbedder,
) -> None:
    for text, label, _ in inquiries(range(2)):
        inquiries_service.add_labelled(session, workspace.id, text, label)
    inquiries_service.train(session, workspace.id, embedder)
    rep = make_user(session, workspace, name="Sam")
    workflow = save_workflow(session, workspace.id, template("inquiry-triage").document).workflow
    set_enabled(session, workspace.id, workflow.id, True)
    buyer = make_contact(session, workspace, first_name="Ada", lifecycle_stage="lead")
    customer = make_contact(session, workspace, first_name="Yui", lifecycle_stage="customer")
    for contact, message in ((buyer, SALES), (customer, SUPPORT)):
        service.record_engagement(
            session,
            workspace.id,
            contact.id,
            "form_submit",
            url="https://acme.test/contact",
            properties={"message": message},
        )

    drain(session)

    session.refresh(buyer)
    assert (buyer.owner_id, buyer.lead_status) == (rep.id, "open")
    [task] = session.scalars(select(Activity).where(Activity.kind == "task")).all()
    assert (task.subject, task.owner_id, task.contact_id) == (
        f"Sales inquiry from Ada {buyer.last_name}: reply within the hour", rep.id, buyer.id
    )  # fmt: skip
    [ticket] = session.scalars(select(Ticket)).all()
    assert (ticket.subject, ticket.description, ticket.contact_id) == (
        f"Inquiry from Yui {customer.last_name}", SUPPORT, customer.id
    )  # fmt: skip
    kept = {
        row.record_id: (row.label, row.model_version)
        for row in session.scalars(select(InquiryClassification))
    }
    assert kept == {buyer.id: ("sales_inquiry", 1), customer.id: ("support", 1)}
    trail = " | ".join(trail_of(session, "contacts", buyer.id))
    assert "the inquiry is 'sales_inquiry' (confidence" in trail
    assert "model v1): took then" in trail
    assert "opened support ticket" in " | ".join(trail_of(session, "contacts", customer.id))
