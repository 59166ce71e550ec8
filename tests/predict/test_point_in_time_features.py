"""Features "as of" a time see the record as it was then, and nothing that happened later."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock, now
from dealflow.crm import service
from dealflow.models import Workspace
from dealflow.predict.contact_features import contact_features, read_contact_facts
from dealflow.predict.deal_features import deal_features, read_deal_facts
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
