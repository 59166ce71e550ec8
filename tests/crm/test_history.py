"""Property history: every change kept with who, when and how, and values "as of" a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.core.errors import InvalidInputError
from dealflow.crm import history, outbox, service
from dealflow.crm.properties import define_property
from dealflow.crm.workspaces import create_pipeline, stages_of
from dealflow.models import OutboxEvent, Workspace
from tests.factories import make_contact, make_deal, make_user, stage_named

HOUR = timedelta(hours=1)


def changes_of(
    session: Session, workspace: Workspace, object_type: str, record_id: int
) -> list[tuple]:
    return [
        (change.property, change.old_value, change.new_value)
        for change in history.history_of(session, workspace.id, object_type, record_id)
    ]


class TestChanges:
    def test_each_change_is_kept_with_old_and_new_value_time_author_and_source(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        rep = make_user(session, workspace)
        contact = make_contact(session, workspace, job_title="Engineer", lifecycle_stage="lead")
        frozen_clock.advance(HOUR)

        returned = service.update_record(
            session,
            workspace.id,
            "contacts",
            contact.id,
            {"job_title": "CTO", "lifecycle_stage": "sql"},
            source="import",
            actor_id=rep.id,
        )

        [title, stage] = history.history_of(session, workspace.id, "contacts", contact.id)
        assert [(c.property, c.old, c.new) for c in returned] == [
            ("job_title", "Engineer", "CTO"),
            ("lifecycle_stage", "lead", "sql"),
        ]
        assert (title.property, title.old_value, title.new_value) == (
            "job_title",
            "Engineer",
            "CTO",
        )
        assert (stage.old_value, stage.new_value) == ("lead", "sql")
        for change in (title, stage):
            assert (change.changed_at, change.changed_by, change.source) == (
                frozen_clock.now(),
                rep.id,
                "import",
            )
        assert contact.job_title == "CTO"
        assert contact.updated_at == frozen_clock.now()

    def test_creating_a_record_is_not_a_change(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace)

        assert changes_of(session, workspace, "contacts", contact.id) == []

    def test_writing_the_same_value_again_is_no_change(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace, job_title="Engineer")
        created = contact.updated_at
        frozen_clock.advance(HOUR)

        changes = service.update_record(
            session, workspace.id, "contacts", contact.id, {"job_title": "Engineer"}
        )

        assert changes == []
        assert changes_of(session, workspace, "contacts", contact.id) == []
        assert contact.updated_at == created

    @pytest.mark.parametrize("same_amount", [Decimal("1000"), Decimal("1000.000"), 1000])
    def test_an_amount_written_in_another_form_is_no_change(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock, same_amount: object
    ) -> None:
        deal = make_deal(session, workspace, amount=Decimal("1000.00"))
        session.expire_all()  # read the stored amount back, as a later request would

        changes = service.update_record(
            session, workspace.id, "deals", deal.id, {"amount": same_amount}
        )

        assert changes == []
        assert changes_of(session, workspace, "deals", deal.id) == []

    def test_amounts_and_times_are_kept_in_json_form(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(session, workspace, amount=Decimal("1000.00"))

        service.update_record(
            session, workspace.id, "deals", deal.id, {"amount": Decimal("2500.50")}
        )
        service.move_deal(
            session, workspace.id, deal.id, stage_named(session, workspace, "Closed won").id
        )

        recorded = {
            prop: (old, new) for prop, old, new in changes_of(session, workspace, "deals", deal.id)
        }
        assert recorded["amount"] == ("1000.00", "2500.50")
        assert recorded["closed_at"] == (None, frozen_clock.now().isoformat())

    def test_custom_property_changes_are_kept_too(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        define_property(
            session, workspace.id, "contacts", "tier", "enum", options=["gold", "silver"]
        )
        contact = make_contact(session, workspace)

        service.update_record(
            session, workspace.id, "contacts", contact.id, {"properties": {"tier": "Gold"}}
        )
        frozen_clock.advance(HOUR)
        service.update_record(
            session, workspace.id, "contacts", contact.id, {"properties": {"tier": "silver"}}
        )
        service.update_record(
            session, workspace.id, "contacts", contact.id, {"properties": {"tier": "SILVER"}}
        )

        assert changes_of(session, workspace, "contacts", contact.id) == [
            ("tier", None, "gold"),
            ("tier", "gold", "silver"),
        ]
        assert contact.properties == {"tier": "silver"}


class TestValueAsOf:
    def test_the_value_at_any_time_is_the_one_that_held_then(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace, job_title="Engineer")
        created = frozen_clock.now()
        frozen_clock.advance(HOUR)
        first_change = frozen_clock.now()
        service.update_record(session, workspace.id, "contacts", contact.id, {"job_title": "Lead"})
        frozen_clock.advance(HOUR)
        second_change = frozen_clock.now()
        service.update_record(session, workspace.id, "contacts", contact.id, {"job_title": "CTO"})

        def title_at(moment: datetime) -> object:
            return history.value_as_of(
                session,
                workspace.id,
                "contacts",
                contact.id,
                "job_title",
                moment,
                contact.job_title,
            )

        assert title_at(created - HOUR) == "Engineer"
        assert title_at(first_change - timedelta(seconds=1)) == "Engineer"
        assert title_at(first_change) == "Lead"
        assert title_at(first_change + timedelta(minutes=30)) == "Lead"
        assert title_at(second_change) == "CTO"
        assert title_at(second_change + timedelta(days=365)) == "CTO"

    def test_a_property_never_changed_has_its_current_value_at_any_time(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(session, workspace, amount=Decimal("750.00"))
        service.update_record(session, workspace.id, "deals", deal.id, {"name": "Renamed"})

        amount = history.value_as_of(
            session,
            workspace.id,
            "deals",
            deal.id,
            "amount",
            frozen_clock.now() - timedelta(days=30),
            deal.amount,
        )

        assert amount == "750.00"

    def test_custom_property_values_as_of_a_time(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        define_property(session, workspace.id, "contacts", "rating", "number")
        contact = make_contact(session, workspace, properties={"rating": "10"})
        frozen_clock.advance(HOUR)
        service.update_record(
            session, workspace.id, "contacts", contact.id, {"properties": {"rating": 42}}
        )

        def score_at(hours: int) -> object:
            return history.value_as_of(
                session,
                workspace.id,
                "contacts",
                contact.id,
                "rating",
                frozen_clock.now() + timedelta(hours=hours),
                contact.properties["rating"],
            )

        assert (score_at(-1), score_at(0)) == (10.0, 42.0)

    def test_a_record_of_the_same_id_in_another_table_does_not_leak_in(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace, city="Osaka")
        frozen_clock.advance(HOUR)
        history.record_changes(
            session,
            workspace.id,
            "companies",
            contact.id,
            [history.Change("city", "Kyoto", "Nara")],
            changed_at=frozen_clock.now(),
            changed_by=None,
            source="api",
        )

        city = history.value_as_of(
            session,
            workspace.id,
            "contacts",
            contact.id,
            "city",
            frozen_clock.now() - HOUR,
            contact.city,
        )

        assert city == "Osaka"


class TestDealStages:
    def test_winning_a_deal_records_stage_and_closed_at_and_emits_the_move(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(session, workspace)
        prospecting = stage_named(session, workspace, "Prospecting")
        won = stage_named(session, workspace, "Closed won")
        frozen_clock.advance(HOUR)

        changes = service.move_deal(session, workspace.id, deal.id, won.id, source="web")

        assert [(c.property, c.old, c.new) for c in changes] == [
            ("stage_id", prospecting.id, won.id),
            ("closed_at", None, frozen_clock.now()),
        ]
        assert (deal.stage_id, deal.closed_at) == (won.id, frozen_clock.now())
        assert changes_of(session, workspace, "deals", deal.id) == [
            ("stage_id", prospecting.id, won.id),
            ("closed_at", None, frozen_clock.now().isoformat()),
        ]
        [moved] = [
            event
            for event in session.query(OutboxEvent).filter_by(workspace_id=workspace.id)
            if event.topic == outbox.DEAL_STAGE_CHANGED
        ]
        assert (moved.record_id, moved.occurred_at) == (deal.id, frozen_clock.now())
        assert moved.payload == {
            "from_stage_id": prospecting.id,
            "to_stage_id": won.id,
            "from_kind": "open",
            "to_kind": "won",
        }

    def test_reopening_a_deal_clears_closed_at(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(
            session, workspace, stage_id=stage_named(session, workspace, "Closed lost").id
        )
        closed = deal.closed_at
        frozen_clock.advance(HOUR)

        service.move_deal(
            session, workspace.id, deal.id, stage_named(session, workspace, "Demo").id
        )

        assert closed is not None
        assert deal.closed_at is None
        assert ("closed_at", closed.isoformat(), None) in changes_of(
            session, workspace, "deals", deal.id
        )

    def test_the_stage_a_deal_was_in_at_any_time(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(session, workspace)
        qualified = stage_named(session, workspace, "Qualified")
        demo = stage_named(session, workspace, "Demo")
        start = frozen_clock.now()
        frozen_clock.advance(timedelta(days=3))
        service.move_deal(session, workspace.id, deal.id, qualified.id)
        frozen_clock.advance(timedelta(days=4))
        service.move_deal(session, workspace.id, deal.id, demo.id)

        def stage_on(day: int) -> object:
            return history.value_as_of(
                session,
                workspace.id,
                "deals",
                deal.id,
                "stage_id",
                start + timedelta(days=day),
                deal.stage_id,
            )

        assert [stage_on(day) for day in (1, 5, 8)] == [
            stage_named(session, workspace, "Prospecting").id,
            qualified.id,
            demo.id,
        ]

    def test_moving_to_the_stage_it_is_in_is_no_move(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(session, workspace)

        assert service.move_deal(session, workspace.id, deal.id, deal.stage_id) == []
        assert changes_of(session, workspace, "deals", deal.id) == []

    def test_a_stage_of_another_pipeline_is_refused(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(session, workspace)
        renewals = create_pipeline(session, workspace.id, "Renewals", [("Due", 0.5, "open")])
        [due] = stages_of(session, renewals.id)
        before = deal.stage_id

        with pytest.raises(InvalidInputError, match="'Due' is not a stage of pipeline"):
            service.move_deal(session, workspace.id, deal.id, due.id)

        assert deal.stage_id == before
        assert changes_of(session, workspace, "deals", deal.id) == []

    def test_a_deal_moves_to_another_pipeline_only_with_one_of_its_stages(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(session, workspace)
        sales_pipeline, prospecting = deal.pipeline_id, deal.stage_id
        renewals = create_pipeline(session, workspace.id, "Renewals", [("Due", 0.5, "open")])
        [due] = stages_of(session, renewals.id)

        with pytest.raises(InvalidInputError, match="is not a stage of pipeline"):
            service.update_record(
                session, workspace.id, "deals", deal.id, {"pipeline_id": renewals.id}
            )
        service.update_record(
            session,
            workspace.id,
            "deals",
            deal.id,
            {"pipeline_id": renewals.id, "stage_id": due.id},
        )

        assert (deal.pipeline_id, deal.stage_id) == (renewals.id, due.id)
        assert changes_of(session, workspace, "deals", deal.id) == [
            ("stage_id", prospecting, due.id),
            ("pipeline_id", sales_pipeline, renewals.id),
        ]
