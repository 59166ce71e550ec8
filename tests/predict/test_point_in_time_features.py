"""Features "as of" a time see the record as it was then, and nothing that happened later."""

from __future__ import annotations

import itertools
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock, now
from dealflow.crm import service
from dealflow.models import Workspace
from dealflow.predict.contact_features import contact_features, read_contact_facts
from dealflow.predict.deal_features import deal_features, read_deal_facts
from dealflow.predict.scoring import features_frame
from tests.factories import make_company, make_contact, make_deal, make_user, stage_named


def features_at(session: Session, workspace: Workspace, contact_id: int, *times) -> pd.DataFrame:
    facts = read_contact_facts(session, workspace.id)
    seconds = np.array([int(t.timestamp()) for t in times])
    return contact_features(facts, np.full(len(times), contact_id), seconds)


class TestContactFeatures:
    def test_properties_are_read_as_they_were_at_the_time(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace, lifecycle_stage="lead", job_title="Engineer")
        before = now()
        frozen_clock.advance(timedelta(days=10))
        service.update_record(
            session,
            workspace.id,
            "contacts",
            contact.id,
            {"lifecycle_stage": "customer", "job_title": "VP of Operations"},
        )
        after = now()

        rows = features_at(session, workspace, contact.id, before, after)

        assert list(rows["lifecycle_stage"]) == ["lead", "customer"]
        assert list(rows["seniority"]) == ["staff", "executive"]

    def test_behaviour_after_the_time_never_counts(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace)
        snapshot = now()
        for days_before in (1, 20, 60):  # inside the 7-, 30- and 90-day windows respectively
            service.record_engagement(
                session,
                workspace.id,
                contact.id,
                "page_view",
                url="https://example.com/pricing",
                occurred_at=snapshot - timedelta(days=days_before),
            )
        for days_after in (1, 2):  # the future
            service.record_engagement(
                session,
                workspace.id,
                contact.id,
                "page_view",
                url="https://example.com/pricing",
                occurred_at=snapshot + timedelta(days=days_after),
            )

        [row] = features_at(session, workspace, contact.id, snapshot).to_dict("records")

        assert (row["page_views_7d"], row["page_views_30d"], row["page_views_90d"]) == (1, 2, 3)
        assert row["pricing_views_90d"] == 3
        assert row["days_since_last_engagement"] == 1.0

    def test_firmographics_and_email_kind(self, session: Session, workspace: Workspace) -> None:
        company = make_company(session, workspace, industry="Logistics", employees=420)
        corporate = make_contact(session, workspace, company_id=company.id, email="a@acme.jp")
        free = make_contact(session, workspace, email="someone@naver.com")
        facts = read_contact_facts(session, workspace.id)
        at = int(now().timestamp())

        rows = contact_features(facts, np.array([corporate.id, free.id]), np.array([at, at]))

        assert list(rows["email_domain_kind"]) == ["corporate", "free"]
        assert rows["company_employees"].iloc[0] == 420
        assert rows["company_industry"].iloc[0] == "Logistics"
        assert np.isnan(rows["company_employees"].iloc[1])


class TestScoringAtOneMoment:
    """Scoring now lets the database count behaviour; training indexes every event. Both must
    give the same features, and neither may see what happened after the moment."""

    def test_the_database_counts_match_the_event_index_at_window_edges(
        self, session: Session, workspace: Workspace
    ) -> None:
        moment = now().replace(microsecond=0)
        busy, quiet, never = (make_contact(session, workspace) for _ in range(3))
        edges = [timedelta(days=days) for days in (0, 7, 30, 90, 400)]
        nudges = [timedelta(0), timedelta(milliseconds=500), timedelta(seconds=1)]
        for edge, nudge, kind, url in itertools.product(
            edges,
            [-nudge for nudge in nudges] + nudges,
            ("page_view", "email_reply", "webinar_attendance"),
            ("https://example.com/pricing", "https://example.com/blog"),
        ):
            service.record_engagement(
                session, workspace.id, busy.id, kind, url=url, occurred_at=moment - edge + nudge
            )
        service.record_engagement(
            session, workspace.id, quiet.id, "email_open", occurred_at=moment - timedelta(days=200)
        )
        for offset in (timedelta(days=-3), timedelta(0), timedelta(milliseconds=500)):
            for kind in ("call", "meeting", "task"):
                service.log_activity(
                    session,
                    workspace.id,
                    kind,
                    occurred_at=moment + offset,
                    links={"contact_id": busy.id},
                )
        ids = np.array(sorted([busy.id, quiet.id, never.id]))
        at = np.full(len(ids), int(moment.timestamp()))

        fast = features_frame(session, workspace.id, "leads", ids, at)
        straightforward = contact_features(read_contact_facts(session, workspace.id), ids, at)

        pd.testing.assert_frame_equal(fast, straightforward)
        row = fast.set_index(ids).loc[busy.id]
        # an event counts when its whole second is after the window's start and at most the
        # moment: of the six at each edge, five at the moment (not the one a second after)
        # and one at the window's start (the one a second after it)
        assert row["page_views_7d"] == 2 * (5 + 1)  # two URLs
        assert row["pricing_views_90d"] == 5 + 6 + 6 + 1
        assert row["calls_total"] == 3 and row["meetings_total"] == 3  # tasks never count
        assert fast.set_index(ids).loc[never.id, "days_since_last_engagement"] != 0
        assert np.isnan(fast.set_index(ids).loc[never.id, "days_since_last_engagement"])

    def test_one_reading_answers_any_contacts_in_any_order(
        self, session: Session, workspace: Workspace
    ) -> None:
        moment = now().replace(microsecond=0)
        busy, quiet = make_contact(session, workspace), make_contact(session, workspace)
        for days in (1, 3):
            service.record_engagement(
                session,
                workspace.id,
                busy.id,
                "page_view",
                occurred_at=moment - timedelta(days=days),
            )
        facts = read_contact_facts(session, workspace.id, only_as_of=moment)
        at = int(moment.timestamp())

        both = contact_features(facts, np.array([busy.id, quiet.id]), np.array([at, at]))
        swapped = contact_features(facts, np.array([quiet.id, busy.id]), np.array([at, at]))

        assert list(both["page_views_7d"]) == [2, 0]
        assert list(swapped["page_views_7d"]) == [0, 2]
        pd.testing.assert_frame_equal(swapped.iloc[::-1].reset_index(drop=True), both)

    def test_behaviour_read_for_one_moment_refuses_another(
        self, session: Session, workspace: Workspace
    ) -> None:
        contact = make_contact(session, workspace)
        facts = read_contact_facts(session, workspace.id, only_as_of=now())
        earlier = int((now() - timedelta(days=1)).timestamp())

        with pytest.raises(ValueError, match="one moment"):
            contact_features(facts, np.array([contact.id]), np.array([earlier]))


class TestDealFeatures:
    def test_stage_amount_and_close_date_as_they_were(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        owner = make_user(session, workspace)
        deal = make_deal(
            session,
            workspace,
            owner_id=owner.id,
            close_date=(now() + timedelta(days=30)).date(),
        )
        early = now()
        frozen_clock.advance(timedelta(days=5))
        service.move_deal(
            session, workspace.id, deal.id, stage_named(session, workspace, "Proposal").id
        )
        frozen_clock.advance(timedelta(days=5))
        won = stage_named(session, workspace, "Closed won").id
        service.move_deal(session, workspace.id, deal.id, won)
        service.update_record(
            session, workspace.id, "deals", deal.id, {"close_date": now().date(), "amount": 900}
        )
        facts = read_deal_facts(session, workspace.id)
        middle = early + timedelta(days=7)

        rows = deal_features(
            facts,
            np.array([deal.id, deal.id]),
            np.array([int(early.timestamp()), int(middle.timestamp())]),
        )

        assert list(rows["stage"]) == ["Prospecting", "Proposal"]
        assert list(rows["amount"]) == [1000.0, 1000.0]  # the discount came after both
        assert list(rows["days_to_close_date"].round()) == [30.0, 23.0]  # the rep's date
        assert list(rows["days_in_stage"].round(1)) == [0.0, 2.0]
        assert list(rows["age_days"]) == [0.0, 7.0]

    def test_owner_track_record_counts_only_earlier_closings(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        owner = make_user(session, workspace)
        won = stage_named(session, workspace, "Closed won").id
        lost = stage_named(session, workspace, "Closed lost").id
        first = make_deal(session, workspace, owner_id=owner.id)
        second = make_deal(session, workspace, owner_id=owner.id)
        start = now()
        frozen_clock.advance(timedelta(days=3))
        service.move_deal(session, workspace.id, first.id, won)
        frozen_clock.advance(timedelta(days=3))
        service.move_deal(session, workspace.id, second.id, lost)
        facts = read_deal_facts(session, workspace.id)
        times = [start + timedelta(days=d) for d in (1, 4, 7)]

        rows = deal_features(
            facts, np.array([second.id] * 3), np.array([int(t.timestamp()) for t in times])
        )

        # smoothed (wins + 1) / (closed + 2): nothing closed, one win, one win and one loss
        assert list(rows["owner_win_rate"]) == [0.5, 2 / 3, 0.5]
