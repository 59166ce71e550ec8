"""The forecast: the period's reps' numbers next to the AI's distribution with the gap deals,
and the numbers people submit (every submission kept)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from dealflow.api.deps import PrincipalDep, SessionDep
from dealflow.api.errors import ERROR_RESPONSES
from dealflow.api.schemas.common import MAX_ID
from dealflow.api.schemas.forecast import (
    ForecastOut,
    GapDealOut,
    ScopeOut,
    SubmissionIn,
    SubmissionOut,
)
from dealflow.core.clock import now
from dealflow.predict.forecast.service import ScopeForecast
from dealflow.predict.forecast.submissions import Submitter, submission_history, submit_forecast
from dealflow.predict.forecast.views import forecast_for

router = APIRouter(prefix="/forecast", tags=["forecast"], responses=ERROR_RESPONSES)
Period = Annotated[str | None, Query(max_length=10, examples=["2026-Q4"])]
TeamId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


@router.get("")
def read_forecast(
    session: SessionDep, principal: PrincipalDep, period: Period = None, team_id: TeamId = None
) -> ForecastOut:
    """The period's forecast (default: this fiscal quarter) as you may see it: admins all,
    managers their team, reps their own number."""
    result = forecast_for(session, principal, now=now(), period=period, team_id=team_id)
    return ForecastOut(
        period=result.period.label,
        start=result.period.start,
        end=result.period.end,
        as_of=result.as_of,
        probability_source=result.probability_source,
        total=_scope(result.total),
        teams=[_scope(team) for team in result.teams],
        reps=[_scope(rep) for rep in result.reps],
    )


@router.post("/submissions", status_code=201)
def create_submission(
    session: SessionDep, principal: PrincipalDep, submission: SubmissionIn
) -> SubmissionOut:
    row = submit_forecast(
        session,
        principal.workspace_id,
        Submitter(principal.user_id, principal.role),
        submission.period,
        submission.amount,
        user_id=submission.user_id,
        team_id=submission.team_id,
        note=submission.note,
    )
    return SubmissionOut.model_validate(row)


@router.get("/submissions")
def list_submissions(
    session: SessionDep,
    principal: PrincipalDep,
    period: Annotated[str, Query(max_length=10, examples=["2026-Q4"])],
) -> list[SubmissionOut]:
    """Your numbers for the period, oldest first (adjustments of them included)."""
    rows = submission_history(session, principal.workspace_id, period, user_id=principal.user_id)
    return [SubmissionOut.model_validate(row) for row in rows]


def _scope(row: ScopeForecast) -> ScopeOut:
    return ScopeOut(
        scope=row.scope,
        id=row.scope_id,
        name=row.name,
        submitted=row.submitted,
        commit=row.commit,
        rep_number=row.rep_number,
        ai_p10=row.ai.p10,
        ai_p50=row.ai.p50,
        ai_p90=row.ai.p90,
        gap=row.gap,
        weighted_pipeline=row.weighted_pipeline,
        won_so_far=row.won_so_far,
        gap_deals=[
            GapDealOut(
                deal_id=gap.deal.deal_id,
                name=gap.deal.name,
                kind=gap.kind,
                category=gap.deal.category,
                close_date=gap.deal.close_date,
                amount=gap.deal.amount,
                chance=gap.deal.chance,
                contribution=gap.contribution,
            )
            for gap in row.gaps
        ],
    )
