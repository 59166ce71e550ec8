"""The forecast of a workspace: reps' numbers with history, the AI's distribution per rep, team
and total, and the gap deals; stage changes after a cutoff stay out of it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock, now
from dealflow.core.errors import InvalidInputError, PermissionDeniedError
from dealflow.crm import service
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import ForecastSnapshot, Job, Team, User, Workspace
from dealflow.predict.forecast.service import forecast_period
from dealflow.predict.forecast.snapshots import (
    accuracy_history,
    freeze_forecast,
    grade_closed_periods,
)
from dealflow.predict.forecast.submissions import (
    Submitter,
    current_numbers,
    submission_history,
    submit_forecast,
)
from dealflow.predict.forecast.tasks import FREEZE, freeze, queue_daily_freeze
from dealflow.predict.forecast.timeline import day_number
from dealflow.predict.forecast.workspace_data import read_workspace_deals
from tests.factories import make_deal, make_user, stage_named


@pytest.fixture
def team(session: Session, workspace: Workspace) -> Team:
    created: Team = service.create_record(session, workspace.id, "teams", {"name": "East"})
    return created


@pytest.fixture
def rep(session: Session, workspace: Workspace, team: Team) -> User:
    return make_user(session, workspace, role="rep", team_id=team.id)


@pytest.fixture
def manager(session: Session, workspace: Workspace, team: Team) -> User:
    return make_user(session, workspace, role="manager", team_id=team.id)


class TestSubmissions:
    def test_every_number_is_kept_and_the_latest_counts(
        self, session: Session, workspace: Workspace, rep: User, frozen_clock: FrozenClock
    ) -> None:
        submit_forecast(session, workspace.id, Submitter(rep.id, "rep"), "2026-Q2", "120,000")
        frozen_clock.advance(timedelta(days=7))
        submit_forecast(session, workspace.id, Submitter(rep.id, "rep"), "2026-q2", 95000)

        history = submission_history(session, workspace.id, "2026-Q2", user_id=rep.id)
        assert [row.amount for row in history] == [Decimal("120000.00"), Decimal("95000.00")]
        assert current_numbers(session, workspace.id, "2026-Q2")[0] == {rep.id: Decimal("95000")}

    def test_a_manager_adjusts_a_rep_s_number_with_a_note(
        self, session: Session, workspace: Workspace, rep: User, manager: User
    ) -> None:
        submit_forecast(session, workspace.id, Submitter(rep.id, "rep"), "2026-Q2", 120000)
        with pytest.raises(InvalidInputError, match="note"):
            submit_forecast(
                session,
                workspace.id,
                Submitter(manager.id, "manager"),
                "2026-Q2",
                80000,
                user_id=rep.id,
            )
        adjusted = submit_forecast(
            session,
            workspace.id,
            Submitter(manager.id, "manager"),
            "2026-Q2",
            80000,
            user_id=rep.id,
            note="Globex slips to Q3",
        )

        assert (adjusted.kind, adjusted.submitted_by, adjusted.note) == (
            "adjustment",
            manager.id,
            "Globex slips to Q3",
        )
        assert current_numbers(session, workspace.id, "2026-Q2")[0] == {rep.id: Decimal("80000")}
        assert len(submission_history(session, workspace.id, "2026-Q2", user_id=rep.id)) == 2

    def test_a_rep_cannot_change_someone_else_s_number(
        self, session: Session, workspace: Workspace, rep: User, manager: User, team: Team
    ) -> None:
        with pytest.raises(PermissionDeniedError):
            submit_forecast(
                session,
                workspace.id,
                Submitter(rep.id, "rep"),
                "2026-Q2",
                1,
                user_id=manager.id,
                note="mine now",
            )
        with pytest.raises(PermissionDeniedError):
            submit_forecast(
                session, workspace.id, Submitter(rep.id, "rep"), "2026-Q2", 1, team_id=team.id
            )
        with pytest.raises(InvalidInputError, match="-5"):
            submit_forecast(session, workspace.id, Submitter(rep.id, "rep"), "2026-Q2", "-5")


class TestWorkspaceForecast:
    def test_reps_numbers_and_the_ai_s_stand_side_by_side_with_the_gap_deals(
        self,
        session: Session,
        workspace: Workspace,
        rep: User,
        manager: User,
        team: Team,
        frozen_clock: FrozenClock,
    ) -> None:
        _history(session, workspace, rep, frozen_clock)
        won_now = make_deal(session, workspace, owner_id=rep.id, amount=Decimal("5000"))
        service.move_deal(
            session, workspace.id, won_now.id, _stage(session, workspace, "Closed won")
        )
        committed = make_deal(
            session,
            workspace,
            owner_id=rep.id,
            amount=Decimal("90000"),
            close_date=now().date() + timedelta(days=10),
            forecast_category="commit",
        )
        submit_forecast(session, workspace.id, Submitter(rep.id, "rep"), "2026-Q4", 100000)

        result = forecast_period(session, workspace.id, now=now(), period="2026-Q4", runs=400)

        total = result.total
        assert total.ai.p10 <= total.ai.p50 <= total.ai.p90
        assert total.won_so_far == 5000
        (row,) = [r for r in result.reps if r.scope_id == rep.id]
        assert row.submitted == 100000
        assert row.commit == 5000 + 90000
        assert row.gap == pytest.approx(100000 - row.ai.p50)
        assert [t.name for t in result.teams] == ["East"]
        (line,) = [d for d in result.total.gaps if d.deal.deal_id == committed.id] or [None]
        if line is not None:  # in the rep's number in full, in the AI's by its chance
            assert line.contribution == pytest.approx(90000 * (1 - line.deal.chance))
        contributions = [abs(gap.contribution) for gap in row.gaps]
        assert contributions == sorted(contributions, reverse=True)

    def test_a_stage_change_after_the_cutoff_is_not_seen_before_it(
        self, session: Session, workspace: Workspace, rep: User, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(session, workspace, owner_id=rep.id)
        first_stage = deal.stage_id
        frozen_clock.advance(timedelta(days=20))
        cutoff = day_number(now().date())
        frozen_clock.advance(timedelta(days=5))
        service.move_deal(session, workspace.id, deal.id, _stage(session, workspace, "Negotiation"))
        service.update_record(
            session,
            workspace.id,
            "deals",
            deal.id,
            {"amount": Decimal("9"), "close_date": now().date() + timedelta(days=3)},
        )

        timeline = read_workspace_deals(session, workspace.id).timeline
        before, after = timeline.snapshot(cutoff), timeline.snapshot(cutoff + 6)

        assert (before.stage[0], before.amount[0]) == (first_stage, 1000.0)
        assert np.isnan(before.expected_close[0])  # no close date yet then
        assert (after.stage[0], after.amount[0]) == (deal.stage_id, 9.0)
        assert after.expected_close[0] == day_number(now().date()) + 3


def _stage(session: Session, workspace: Workspace, name: str) -> int:
    return stage_named(session, workspace, name).id


def _history(session: Session, workspace: Workspace, rep: User, clock: FrozenClock) -> None:
    """Eight months of deals: a third won the next month, a third lost, a third won later."""
    clock.set(now().replace(year=2026, month=1, day=5))
    opened: list[tuple[int, int]] = []
    for month in range(8):
        for i in range(9):
            deal = make_deal(session, workspace, owner_id=rep.id, amount=Decimal(1000 + 100 * i))
            opened.append((deal.id, month * 9 + i))
        clock.advance(timedelta(days=30))
        for deal_id, serial in opened:
            age = month - serial // 9
            if (serial % 3 == 0 and age == 0) or (serial % 3 == 2 and age == 1):
                service.move_deal(
                    session, workspace.id, deal_id, _stage(session, workspace, "Closed won")
                )
            elif serial % 3 == 1 and age == 0:
                service.move_deal(
                    session, workspace.id, deal_id, _stage(session, workspace, "Closed lost")
                )
    clock.set(now().replace(month=11, day=10))


class TestAccuracyTracking:
    def test_a_frozen_forecast_is_graded_when_its_period_ends(
        self, session: Session, workspace: Workspace, rep: User, frozen_clock: FrozenClock
    ) -> None:
        _history(session, workspace, rep, frozen_clock)
        frozen_clock.set(now().replace(month=10, day=2))
        submit_forecast(session, workspace.id, Submitter(rep.id, "rep"), "2026-Q4", 20000)

        rows = freeze_forecast(session, workspace.id, now=now(), runs=300)
        assert {(row.checkpoint, row.scope) for row in rows} >= {
            ("start", "total"),
            ("start", "rep"),
        }
        assert freeze_forecast(session, workspace.id, now=now(), runs=300) == []  # once per point
        frozen_clock.advance(timedelta(days=10))
        assert {
            row.checkpoint for row in freeze_forecast(session, workspace.id, now=now(), runs=300)
        } == {"week 2"}

        won = make_deal(session, workspace, owner_id=rep.id, amount=Decimal("7000"))
        service.move_deal(session, workspace.id, won.id, _stage(session, workspace, "Closed won"))
        assert grade_closed_periods(session, workspace.id, now=now()) == 0  # not over yet
        frozen_clock.set(now().replace(year=2027, month=1, day=3))
        assert grade_closed_periods(session, workspace.id, now=now()) == len(rows) * 2

        lines = accuracy_history(session, workspace.id)
        assert [line.checkpoint for line in lines] == ["start", "week 2"]
        assert all(line.actual == Decimal("7000.00") for line in lines)
        assert lines[0].submitted == Decimal("20000.00")
        assert lines[0].submitted_error == pytest.approx((20000 - 7000) / 7000)


class TestDailyFreeze:
    def test_a_worker_freezes_each_workspace_once_a_day(
        self, session: Session, workspace: Workspace, rep: User, frozen_clock: FrozenClock
    ) -> None:
        _history(session, workspace, rep, frozen_clock)
        empty = ensure_workspace(session, "empty", "Empty")
        make_deal(session, empty)  # deals, but no month of history yet

        assert queue_daily_freeze(session, today=now().date(), now=now()) == 2
        assert queue_daily_freeze(session, today=now().date(), now=now()) == 0
        for job in session.scalars(select(Job).where(Job.kind == FREEZE)):
            freeze(session, job)  # the empty workspace has nothing to freeze, and says so

        checkpoints = session.scalars(
            select(ForecastSnapshot.checkpoint).where(
                ForecastSnapshot.workspace_id == workspace.id, ForecastSnapshot.scope == "total"
            )
        ).all()
        assert checkpoints == ["week 4"]  # 10 November is 40 days into Q4
