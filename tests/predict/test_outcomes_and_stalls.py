"""Training rows carry the outcome that followed each snapshot; stalls follow won deals' pace."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock, now
from dealflow.crm import service
from dealflow.models import Workspace
from dealflow.predict.contact_features import read_contact_facts
from dealflow.predict.deal_features import read_deal_facts
from dealflow.predict.outcomes import conversion_times, deal_rows, lead_rows
from dealflow.predict.stall import DEAL_STALLED, MIN_WON_DEALS, detect_stalls
from dealflow.predict.timeline import DAY
from tests.factories import events_of, make_contact, make_deal, stage_named


class TestLeadRows:
    def test_labels_say_whether_the_lead_converted_within_the_horizon(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        converts = make_contact(session, workspace)
        stays = make_contact(session, workspace)
        start = now()
        frozen_clock.advance(timedelta(days=45))
        service.update_record(
            session, workspace.id, "contacts", converts.id, {"lifecycle_stage": "customer"}
        )
        frozen_clock.advance(timedelta(days=300))

        rows = lead_rows(
            read_contact_facts(session, workspace.id),
            conversion_times(session, workspace.id),
            now=int(now().timestamp()),
            horizon_days=90,
            every_days=30,
        )

        first_cutoff = int(start.timestamp()) + 30 * DAY
        at_first = rows.take(rows.as_of == first_cutoff)
        assert dict(zip(at_first.record_ids, at_first.outcome, strict=True)) == {
            converts.id: True,  # converted 15 days after this cutoff
            stays.id: False,
        }
        # once a customer, a contact is no lead to score any more
        later = rows.take(rows.as_of > int(start.timestamp()) + 45 * DAY)
        assert converts.id not in set(later.record_ids)
        # every label became known at the end of its horizon, and only then
        assert np.all(rows.known_at == rows.as_of + 90 * DAY)
        assert rows.known_at.max() <= int(now().timestamp())

    def test_the_time_split_keeps_training_labels_out_of_the_test_period(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        for _ in range(3):
            make_contact(session, workspace)
            frozen_clock.advance(timedelta(days=100))
        rows = lead_rows(
            read_contact_facts(session, workspace.id),
            conversion_times(session, workspace.id),
            now=int(now().timestamp()),
            every_days=10,
        )

        train, test = rows.time_split(test_share=0.3)

        assert len(train) and len(test)
        assert train.known_at.max() <= test.as_of.min()


class TestDealRows:
    def test_closed_deals_give_one_row_per_cutoff_while_open(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        won = make_deal(session, workspace)
        lost = make_deal(session, workspace)
        still_open = make_deal(session, workspace)
        frozen_clock.advance(timedelta(days=20))
        service.move_deal(
            session, workspace.id, won.id, stage_named(session, workspace, "Closed won").id
        )
        frozen_clock.advance(timedelta(days=20))
        service.move_deal(
            session, workspace.id, lost.id, stage_named(session, workspace, "Closed lost").id
        )

        rows = deal_rows(
            read_deal_facts(session, workspace.id), now=int(now().timestamp()), every_days=14
        )

        labels = {(int(r), int(o)) for r, o in zip(rows.record_ids, rows.outcome, strict=True)}
        assert labels == {(won.id, 1), (lost.id, 0)}
        assert still_open.id not in set(rows.record_ids)
        assert list(rows.record_ids).count(won.id) == 1  # open at day 14 only
        assert list(rows.record_ids).count(lost.id) == 2  # open at days 14 and 28
        assert np.all(rows.as_of < rows.known_at)


class TestStalls:
    def test_a_deal_stalls_after_overstaying_what_won_deals_took(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        won = stage_named(session, workspace, "Closed won").id
        winners = [make_deal(session, workspace) for _ in range(MIN_WON_DEALS)]
        for days, deal in enumerate(winners, start=1):  # they spent 1..10 days in Prospecting
            frozen_clock.set(deal.created_at + timedelta(days=days))
            service.move_deal(session, workspace.id, deal.id, won)
        frozen_clock.set(winners[0].created_at)
        slow = make_deal(session, workspace)
        fresh_start = now() + timedelta(days=10)
        frozen_clock.set(fresh_start)
        fresh = make_deal(session, workspace)
        frozen_clock.advance(timedelta(days=2))

        report = detect_stalls(session, workspace.id, now=now(), percentile=80.0)

        [prospecting] = [t for t in report.thresholds if t.stage_name == "Prospecting"]
        assert prospecting.won_deals == MIN_WON_DEALS
        assert prospecting.days == np.percentile(range(1, 11), 80)
        session.refresh(slow)
        session.refresh(fresh)
        assert slow.stalled_since == slow.created_at + timedelta(days=prospecting.days)
        assert fresh.stalled_since is None
        assert [e.record_id for e in events_of(session, workspace, DEAL_STALLED)] == [slow.id]
        # stages that no won deal has passed through yet flag nothing
        assert all(t.days is None for t in report.thresholds if t.stage_name == "Negotiation")

    def test_moving_on_clears_the_stall_and_detection_is_repeatable(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        won = stage_named(session, workspace, "Closed won").id
        for _ in range(MIN_WON_DEALS):
            deal = make_deal(session, workspace)
            service.move_deal(session, workspace.id, deal.id, won)
        slow = make_deal(session, workspace)
        frozen_clock.advance(timedelta(days=3))
        assert detect_stalls(session, workspace.id, now=now()).newly_stalled == 1
        assert detect_stalls(session, workspace.id, now=now()).newly_stalled == 0

        service.move_deal(
            session, workspace.id, slow.id, stage_named(session, workspace, "Qualified").id
        )
        detect_stalls(session, workspace.id, now=now())

        session.refresh(slow)
        assert slow.stalled_since is None
