"""CRM write operations: creating and updating records, deals in pipelines, engagement and
activities, with the checks that keep bad input out."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.crm import service
from dealflow.crm.workspaces import create_pipeline, default_pipeline, stages_of
from dealflow.models import Workspace
from tests.factories import make_company, make_contact, make_deal, make_user, stage_named


class TestCreateRecord:
    def test_a_record_gets_its_defaults_and_timestamps(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = service.create_record(
            session, workspace.id, "contact", {"email": "ada@example.com"}
        )

        assert contact.workspace_id == workspace.id
        assert (contact.lifecycle_stage, contact.do_not_email, contact.properties) == (
            "lead",
            False,
            {},
        )
        assert contact.created_at == contact.updated_at == frozen_clock.now()

    def test_an_unknown_field_is_refused_by_name(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        with pytest.raises(InvalidInputError, match="contacts have no field 'shoe_size'"):
            service.create_record(session, workspace.id, "contacts", {"shoe_size": 42})

    @pytest.mark.parametrize("field", ["id", "workspace_id"])
    def test_ids_cannot_be_chosen_by_the_caller(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock, field: str
    ) -> None:
        with pytest.raises(InvalidInputError, match=repr(field)):
            service.create_record(session, workspace.id, "companies", {"name": "A", field: 999})

    def test_a_value_outside_a_fields_options_is_refused(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        with pytest.raises(InvalidInputError, match="lifecycle_stage 'hot' is not one of"):
            make_contact(session, workspace, lifecycle_stage="hot")

    def test_a_link_to_a_missing_record_is_refused(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        with pytest.raises(NotFoundError, match="companies #424242 not found"):
            make_contact(session, workspace, company_id=424242)

    def test_an_unknown_object_type_lists_the_known_ones(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        with pytest.raises(ValueError, match="unknown object type 'leads'; choose one of: "):
            service.create_record(session, workspace.id, "leads", {})


class TestDeals:
    def test_a_new_deal_starts_in_the_first_stage_of_the_default_pipeline(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(session, workspace)

        pipeline = default_pipeline(session, workspace.id)
        assert (deal.pipeline_id, deal.stage_id) == (
            pipeline.id,
            stages_of(session, pipeline.id)[0].id,
        )
        assert deal.closed_at is None

    def test_a_deal_created_won_is_closed_now(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(
            session, workspace, stage_id=stage_named(session, workspace, "Closed won").id
        )

        assert deal.closed_at == frozen_clock.now()

    def test_a_deal_in_another_pipeline_starts_in_that_pipelines_first_stage(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        renewals = create_pipeline(
            session, workspace.id, "Renewals", [("Due", 0.5, "open"), ("Renewed", 1.0, "won")]
        )

        deal = make_deal(session, workspace, pipeline_id=renewals.id)

        assert deal.stage_id == stages_of(session, renewals.id)[0].id

    def test_a_stage_outside_the_deals_pipeline_is_refused(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        renewals = create_pipeline(session, workspace.id, "Renewals", [("Due", 0.5, "open")])
        [due] = stages_of(session, renewals.id)

        with pytest.raises(InvalidInputError, match=f"stage #{due.id} is not a stage"):
            make_deal(session, workspace, stage_id=due.id)


class TestUpdateRecord:
    def test_an_update_returns_its_changes_and_moves_updated_at(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        company = make_company(session, workspace, employees=10)
        frozen_clock.advance(timedelta(days=1))

        changes = service.update_record(
            session,
            workspace.id,
            "companies",
            company.id,
            {"employees": 12, "annual_revenue": Decimal("1500000.00")},
        )

        assert [(c.property, c.old, c.new) for c in changes] == [
            ("employees", 10, 12),
            ("annual_revenue", None, Decimal("1500000.00")),
        ]
        assert (company.employees, company.updated_at) == (12, frozen_clock.now())

    def test_updating_a_missing_record_is_not_found(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        with pytest.raises(NotFoundError, match="contacts #424242 not found in this workspace"):
            service.update_record(session, workspace.id, "contacts", 424242, {"city": "Oslo"})

    def test_a_bad_field_leaves_the_record_unchanged(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace, city="Oslo")

        with pytest.raises(InvalidInputError):
            service.update_record(
                session,
                workspace.id,
                "contacts",
                contact.id,
                {"city": "Bergen", "lead_status": "?"},
            )

        assert contact.city == "Oslo"

    def test_an_owner_can_be_assigned_and_removed(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        rep = make_user(session, workspace)
        contact = make_contact(session, workspace)

        service.update_record(session, workspace.id, "contacts", contact.id, {"owner_id": rep.id})
        assert contact.owner_id == rep.id
        service.update_record(session, workspace.id, "contacts", contact.id, {"owner_id": None})
        assert contact.owner_id is None


class TestEngagementAndActivities:
    def test_an_engagement_is_stored_for_the_contact_and_its_company(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        company = make_company(session, workspace)
        contact = make_contact(session, workspace, company_id=company.id)

        event = service.record_engagement(
            session, workspace.id, contact.id, "form_submit", properties={"form": "demo"}
        )

        assert (event.contact_id, event.company_id, event.occurred_at, event.properties) == (
            contact.id,
            company.id,
            frozen_clock.now(),
            {"form": "demo"},
        )

    def test_an_unknown_engagement_kind_is_refused(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace)

        with pytest.raises(InvalidInputError, match="engagement kind 'telepathy'"):
            service.record_engagement(session, workspace.id, contact.id, "telepathy")

    def test_a_task_starts_open_and_other_activities_have_no_status(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        due = frozen_clock.now() + timedelta(days=2)

        task = service.log_activity(session, workspace.id, "task", subject="Send quote", due_at=due)
        note = service.log_activity(session, workspace.id, "note", body="Met at the fair")

        assert (task.status, task.due_at, task.occurred_at) == ("open", due, frozen_clock.now())
        assert note.status is None

    def test_an_unknown_activity_kind_or_link_is_refused(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        with pytest.raises(InvalidInputError, match="activity kind 'fax'"):
            service.log_activity(session, workspace.id, "fax")
        with pytest.raises(InvalidInputError, match="unknown link 'lead_id'"):
            service.log_activity(session, workspace.id, "call", links={"lead_id": 1})
