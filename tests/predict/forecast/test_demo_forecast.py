"""After the demo is built, the forecast shows the reps' numbers next to the AI's."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from dealflow.demo import build_demo
from dealflow.models import Workspace
from dealflow.predict.forecast.service import forecast_period
from dealflow.predict.forecast.submissions import submission_history

TODAY = date(2026, 5, 20)


def test_the_demo_s_reps_have_numbers_the_ai_can_be_compared_with(session: Session) -> None:
    build_demo(session, slug="demo-forecast", scale=0.05, today=TODAY)
    space = session.query(Workspace).filter_by(slug="demo-forecast").one()

    result = forecast_period(session, space.id, now=datetime(2026, 5, 20, 9, tzinfo=UTC), runs=300)

    assert result.period.label == "2026-Q2"
    submitted = [rep for rep in result.reps if rep.submitted is not None]
    assert submitted, "reps submitted numbers"
    assert result.total.submitted == sum(rep.rep_number for rep in result.reps)
    assert 0 < result.total.ai.p10 <= result.total.ai.p50 <= result.total.ai.p90
    history = submission_history(session, space.id, "2026-Q2")
    assert {row.kind for row in history} == {"submission", "adjustment"}
    assert all(row.note for row in history if row.kind == "adjustment")
