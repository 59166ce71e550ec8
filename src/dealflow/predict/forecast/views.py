"""Forecasts as people view them: scoped to what each may see, and kept between views as long
as nothing they were computed from has changed.

A forecast is computed from the workspace's deals (with their history and scores), the
forecast submissions, its people and teams, the active deal model and the day. The cache key
holds a fingerprint of each, read in a few aggregate queries: row counts and sums of each
row's last-change time to the microsecond (``Dialect.time_fingerprint``). A sum, unlike a
maximum, changes when any row changes, whatever order concurrent transactions commit in: a
write that commits after a view was cached changes the fingerprint the next view reads, so
no view is served a forecast older than the data its own transaction sees. Every change of a
deal moves its ``updated_at`` (``crm.service``, imports) or ``scored_at`` (scoring) forward,
and history rows are written in the same transaction as that change.

The cache lives in the process (a few entries per workspace); other processes keep their own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.core.dialect import dialect_of
from dealflow.core.errors import NotFoundError, PermissionDeniedError
from dealflow.crm.access import MANAGER, Principal
from dealflow.models import Deal, ForecastSubmission, PredictiveModel, Team, User, Workspace
from dealflow.predict.forecast.service import PeriodForecast, forecast_period
from dealflow.predict.forecast.simulation import RUNS

KEPT = 64
"""Forecasts kept (the least recently viewed go first)."""

_kept: OrderedDict[Hashable, PeriodForecast] = OrderedDict()
_lock = threading.Lock()


def data_fingerprint(session: Session, workspace_id: int) -> tuple[object, ...]:
    """What the workspace's forecast is computed from, condensed: equal fingerprints mean
    the same deals, histories, scores, submissions, people, teams and deal model."""
    dialect = dialect_of(session)

    def changes(column: Any) -> Any:
        return func.coalesce(func.sum(dialect.time_fingerprint(column)), 0)

    deals = select(func.count(), changes(Deal.updated_at), changes(Deal.scored_at)).where(
        Deal.workspace_id == workspace_id
    )
    people = select(
        func.count(),
        changes(User.updated_at),
        func.coalesce(func.sum(func.coalesce(User.team_id, 0) * User.id), 0),
    ).where(User.workspace_id == workspace_id)
    teams = select(func.count(), func.coalesce(func.sum(func.length(Team.name)), 0)).where(
        Team.workspace_id == workspace_id
    )
    submissions = select(func.count()).where(ForecastSubmission.workspace_id == workspace_id)
    model = select(func.max(PredictiveModel.id)).where(
        PredictiveModel.workspace_id == workspace_id,
        PredictiveModel.target == "deals",
        PredictiveModel.is_active.is_(True),
    )
    fiscal = select(Workspace.fiscal_year_start_month).where(Workspace.id == workspace_id)
    rows = [session.execute(part).one() for part in (deals, people, teams)]
    single = [session.scalar(part) for part in (submissions, model, fiscal)]
    return (*(value for row in rows for value in row), *single)


def forecast_for(
    session: Session,
    principal: Principal,
    *,
    now: datetime,
    period: str | None = None,
    team_id: int | None = None,
    runs: int = RUNS,
) -> PeriodForecast:
    """The forecast as ``principal`` may see it: admins everything (or one team), managers
    their team, reps their own row."""
    if principal.role == MANAGER:
        if team_id is None and len(principal.team_ids) == 1:
            team_id = next(iter(principal.team_ids))
        if team_id not in principal.team_ids:
            raise PermissionDeniedError("a manager sees the forecast of the team they lead")
    elif not principal.is_admin:
        team_id = None
    result = cached_forecast_period(
        session, principal.workspace_id, now=now, period=period, team_id=team_id, runs=runs
    )
    if principal.is_admin or principal.role == MANAGER:
        return result
    own = [row for row in result.reps if row.scope_id == principal.user_id]
    if not own:
        raise NotFoundError("you own no deals to forecast")
    return replace(result, total=own[0], teams=[], reps=own)


def cached_forecast_period(
    session: Session,
    workspace_id: int,
    *,
    now: datetime,
    period: str | None = None,
    team_id: int | None = None,
    runs: int,
) -> PeriodForecast:
    """``forecast_period`` with the same arguments, computed again only when the data's
    fingerprint or the day has changed since it was last computed in this process."""
    key = (
        str(session.get_bind().engine.url),
        workspace_id,
        data_fingerprint(session, workspace_id),
        now.date(),
        period,
        team_id,
        runs,
    )
    return _remembered(
        key,
        lambda: forecast_period(
            session, workspace_id, now=now, period=period, team_id=team_id, runs=runs
        ),
    )


def _remembered(key: Hashable, compute: Callable[[], PeriodForecast]) -> PeriodForecast:
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    result = compute()
    with _lock:
        _kept[key] = result
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return result
