"""Forecasts kept between views: a second view of the same data is not simulated again, and any
change to what the forecast is made of (a deal, a score, a submission, the day) is seen on the
next view."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock, now
from dealflow.crm import service
from dealflow.crm.access import principal_for
from dealflow.models import Deal, Team, User, Workspace
from dealflow.predict.forecast.submissions import Submitter, submit_forecast
from dealflow.predict.forecast.views import data_fingerprint, forecast_for
from tests.factories import make_deal, make_user
from tests.predict.forecast.test_workspace_forecast import _history


@pytest.fixture
def admin(session: Session, workspace: Workspace) -> User:
    return make_user(session, workspace, role="admin")


@pytest.fixture
def rep(session: Session, workspace: Workspace) -> User:
    team: Team = service.create_record(session, workspace.id, "teams", {"name": "East"})
    return make_user(session, workspace, role="rep", team_id=team.id)


def test_an_unchanged_workspace_is_served_the_forecast_already_made(
    session: Session, workspace: Workspace, admin: User, rep: User, frozen_clock: FrozenClock
) -> None:
    _history(session, workspace, rep, frozen_clock)
    viewer = principal_for(admin)

    first = forecast_for(session, viewer, now=now(), period="2026-Q4", runs=200)
    frozen_clock.advance(timedelta(minutes=5))  # the same day

    assert forecast_for(session, viewer, now=now(), period="2026-Q4", runs=200) is first


def test_each_change_the_forecast_depends_on_is_seen_on_the_next_view(
    session: Session, workspace: Workspace, admin: User, rep: User, frozen_clock: FrozenClock
) -> None:
    _history(session, workspace, rep, frozen_clock)
    viewer = principal_for(admin)

    def view() -> object:
        return forecast_for(session, viewer, now=now(), period="2026-Q4", runs=200)

    before = view()
    deal = make_deal(
        session,
        workspace,
        owner_id=rep.id,
        amount=Decimal("70000"),
        close_date=now().date() + timedelta(days=5),
    )
    with_deal = view()
    assert with_deal is not before and with_deal.open_deals == before.open_deals + 1  # type: ignore[attr-defined]

    # two changes a millisecond apart: each one counts
    frozen_clock.advance(timedelta(milliseconds=1))
    service.update_record(session, workspace.id, "deals", deal.id, {"forecast_category": "commit"})
    committed = view()
    assert committed.total.commit == with_deal.total.commit + 70000  # type: ignore[attr-defined]
    frozen_clock.advance(timedelta(milliseconds=1))
    service.update_record(session, workspace.id, "deals", deal.id, {"forecast_category": "omitted"})
    assert view().total.commit == with_deal.total.commit  # type: ignore[attr-defined]

    submit_forecast(session, workspace.id, Submitter(rep.id, "rep"), "2026-Q4", 12345)
    assert view().total.submitted == 12345  # type: ignore[attr-defined]

    fingerprint = data_fingerprint(session, workspace.id)
    session.execute(  # scoring writes probabilities and scored_at in bulk
        update(Deal).where(Deal.id == deal.id).values(win_probability=90, scored_at=now())
    )
    assert data_fingerprint(session, workspace.id) != fingerprint

    latest = view()
    frozen_clock.advance(timedelta(days=1))
    assert view() is not latest  # a new day is a new cutoff
