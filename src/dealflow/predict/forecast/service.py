"""The forecast of a period for a workspace: the AI's distribution next to the reps' numbers and
the weighted pipeline, per rep, per team and in total, with the gap deals of each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core.errors import InvalidInputError
from dealflow.models import Team, User
from dealflow.predict.forecast.categories import COMMIT, category_of
from dealflow.predict.forecast.forecaster import Forecaster, Recalibration
from dealflow.predict.forecast.gaps import GapDeal, OpenDeal, gap_deals
from dealflow.predict.forecast.periods import Period, parse_period, quarter_of
from dealflow.predict.forecast.simulation import RUNS, Distribution, Level, simulate
from dealflow.predict.forecast.submissions import current_numbers
from dealflow.predict.forecast.timeline import day_number
from dealflow.predict.forecast.workspace_data import (
    WorkspaceDeals,
    fiscal_start_month,
    read_workspace_deals,
)
from dealflow.predict.timeline import Floats, Ints, Objects

NEW_DEAL_SHARE_DAYS = 180
"""Each rep's share of the revenue of deals not yet created follows their recent wins."""
GAPS_SHOWN = 10


@dataclass(frozen=True)
class ScopeForecast:
    """One row of the side-by-side table: a rep, a team or the whole workspace."""

    scope: str
    scope_id: int | None
    name: str
    won_so_far: float
    ai: Distribution
    weighted_pipeline: float
    commit: float
    """Closed won so far plus the open deals in commit with a close date before the end."""
    submitted: float | None
    gaps: list[GapDeal] = field(default_factory=list)

    @property
    def rep_number(self) -> float:
        """The submitted number, else the commit from the deals' categories."""
        return self.submitted if self.submitted is not None else self.commit

    @property
    def gap(self) -> float:
        """Rep's number minus the AI's P50."""
        return self.rep_number - self.ai.p50


@dataclass(frozen=True)
class PeriodForecast:
    period: Period
    as_of: datetime
    total: ScopeForecast
    teams: list[ScopeForecast]
    reps: list[ScopeForecast]
    probability_source: str
    """"deal scorer" when a trained model's win probabilities were used, else "history"."""
    recalibration: Recalibration
    open_deals: int


@dataclass(frozen=True)
class _Groups:
    """Each deal's index among distinct values (reps or teams), and those values."""

    index: Ints
    values: list[int | None]


def forecast_period(
    session: Session,
    workspace_id: int,
    *,
    now: datetime,
    period: str | None = None,
    team_id: int | None = None,
    runs: int = RUNS,
    seed: int = 0,
) -> PeriodForecast:
    """The forecast of ``period`` (default: the current fiscal quarter) as of ``now``; with
    ``team_id``, the team's reps and the team as the total."""
    fiscal = fiscal_start_month(session, workspace_id)
    chosen = parse_period(period, fiscal) if period else quarter_of(now.date(), fiscal)
    data = read_workspace_deals(session, workspace_id)
    if not len(data.timeline):
        raise InvalidInputError("no deals to forecast: import or create deals first")
    if team_id is not None and team_id not in set(data.team.tolist()):
        raise InvalidInputError(f"team #{team_id} owns no deals in this workspace")
    cutoff = float(day_number(now.date()) + 1)  # everything up to the end of today is known
    start, end = float(day_number(chosen.start)), float(day_number(chosen.end))
    forecaster = Forecaster(data.timeline, fiscal)
    rates = forecaster.rates(cutoff)
    recalibrated = forecaster.recalibration(cutoff)
    snapshot = data.timeline.snapshot(cutoff)
    open_ids = np.flatnonzero(snapshot.open)
    window_start = max(start, cutoff)
    if window_start < end:
        chances = rates.chances(snapshot, window_start, end)
        history_chance, timing, ever = chances.in_window, chances.timing, chances.ever
        new_revenue = rates.new_deal_revenue(window_start, end) * recalibrated.level
    else:
        history_chance = timing = ever = np.zeros(len(open_ids))
        new_revenue = 0.0
    scored = data.win_probability[open_ids]
    use_scores = np.isfinite(scored)
    chance = np.where(use_scores, np.nan_to_num(scored) * timing, history_chance)
    win_probability = np.where(use_scores, scored, ever)
    amounts = snapshot.amount[open_ids]
    won = data.timeline.won_between(start, min(cutoff, end))
    won_amounts = np.where(won, np.nan_to_num(data.timeline.amount), 0.0)

    reps, teams = _groups(data.timeline.owner), _groups(data.team)
    rep_share = _recent_win_share(data, reps, cutoff)
    team_share = np.bincount(_team_of(reps, teams), rep_share, len(teams.values))
    levels = {
        "rep": Level(
            reps.index[open_ids],
            np.bincount(reps.index, won_amounts, len(reps.values)),
            rep_share * new_revenue,
        ),
        "team": Level(
            teams.index[open_ids],
            np.bincount(teams.index, won_amounts, len(teams.values)),
            team_share * new_revenue,
        ),
        "total": Level(
            np.zeros(len(open_ids), dtype=np.int64),
            np.array([won_amounts.sum()]),
            np.array([new_revenue]),
        ),
    }
    distributions = simulate(
        chance,
        amounts * rates.amount_ratio_ * recalibrated.level,
        levels,
        spread=recalibrated.spread,
        runs=runs,
        seed=seed,
    )
    categories = [
        category_of(data.category[i], data.stage_kind[i], float(data.stage_probability[i]))
        for i in open_ids
    ]
    close_dates = data.close_date[open_ids]
    columns = (  # in the order of OpenDeal's fields
        data.timeline.ids[open_ids].tolist(),
        data.names[open_ids].tolist(),
        data.timeline.owner[open_ids].tolist(),
        data.team[open_ids].tolist(),
        amounts.tolist(),
        categories,
        close_dates.tolist(),
        win_probability.tolist(),
        np.asarray(timing).tolist(),
        np.asarray(chance).tolist(),
    )
    deals = [OpenDeal(*values) for values in zip(*columns, strict=True)]
    # The classic baselines per row: the stage-weighted amounts and the committed amounts of
    # the deals dated before the period ends, summed per rep, team and in total.
    dated = np.array([d is not None and d < chosen.end for d in close_dates], dtype=bool)
    committed = dated & (np.array(categories, dtype=object) == COMMIT)
    weighted = np.where(dated, amounts * data.stage_probability[open_ids], 0.0)
    commits = np.where(committed, amounts, 0.0)
    baselines = {
        scope: (
            np.bincount(level.groups, weighted, len(level.won_so_far)),
            np.bincount(level.groups, commits, len(level.won_so_far)),
        )
        for scope, level in levels.items()
    }
    names = _names(session, workspace_id)
    submitted_reps, submitted_teams = current_numbers(session, workspace_id, chosen.label)

    # Each deal's gap is the same whichever row shows it: classify once, then group.
    gaps = gap_deals(deals, chosen.end)
    gaps_of: dict[tuple[str, int | None], list[GapDeal]] = defaultdict(list)
    for gap in gaps:
        gaps_of[("rep", gap.deal.owner_id)].append(gap)
        gaps_of[("team", gap.deal.team_id)].append(gap)
    gaps_of[("total", None)] = gaps

    def row(scope: str, scope_id: int | None, index: int) -> ScopeForecast:
        won_so_far = float(levels[scope].won_so_far[index])
        weighted_sum, commit_sum = baselines[scope]
        return ScopeForecast(
            scope=scope,
            scope_id=scope_id,
            name=names.get((scope, scope_id), "Total" if scope == "total" else "(none)"),
            won_so_far=won_so_far,
            ai=distributions[scope][index],
            weighted_pipeline=won_so_far + float(weighted_sum[index]),
            commit=won_so_far + float(commit_sum[index]),
            submitted=None,
            gaps=gaps_of[(scope, scope_id)][:GAPS_SHOWN],
        )

    rep_team = _team_of(reps, teams)
    rep_rows = []
    for index, rep in enumerate(reps.values):
        result = row("rep", rep, index)
        number = submitted_reps.get(rep) if rep is not None else None
        rep_rows.append(replace(result, submitted=float(number) if number is not None else None))
    team_rows = []
    for index, team in enumerate(teams.values):
        result = row("team", team, index)
        members = [r for r, t in zip(rep_rows, rep_team, strict=True) if t == index]
        number = submitted_teams.get(team) if team is not None else None
        team_rows.append(replace(result, submitted=_team_number(number, members)))
    total = replace(row("total", None, 0), submitted=_team_number(None, rep_rows))
    if team_id is not None:
        chosen_team = teams.values.index(team_id)
        total = team_rows[chosen_team]
        team_rows = [total]
        rep_rows = [r for r, t in zip(rep_rows, rep_team, strict=True) if t == chosen_team]
    return PeriodForecast(
        period=chosen,
        as_of=now,
        total=total,
        teams=team_rows,
        reps=sorted(rep_rows, key=lambda r: -abs(r.gap)),
        probability_source="deal scorer" if use_scores.any() else "history",
        recalibration=recalibrated,
        open_deals=len(open_ids),
    )


def _team_number(submitted: object, members: Sequence[ScopeForecast]) -> float | None:
    """A team's own submission, else the sum of its reps' numbers when any rep submitted."""
    if submitted is not None:
        return float(submitted)  # type: ignore[arg-type]
    if any(member.submitted is not None for member in members):
        return sum(member.rep_number for member in members)
    return None


def _groups(values: Objects) -> _Groups:
    distinct = sorted(set(values.tolist()), key=lambda v: (v is None, v or 0))
    position = {value: index for index, value in enumerate(distinct)}
    return _Groups(np.array([position[v] for v in values], dtype=np.int64), distinct)


def _team_of(reps: _Groups, teams: _Groups) -> Ints:
    """Each rep's team index (a rep's deals all carry the rep's team)."""
    team = np.zeros(len(reps.values), dtype=np.int64)
    team[reps.index] = teams.index
    return team


def _recent_win_share(data: WorkspaceDeals, reps: _Groups, cutoff: float) -> Floats:
    """Each rep's share of the revenue won in the last ``NEW_DEAL_SHARE_DAYS``."""
    won = data.timeline.won_between(cutoff - NEW_DEAL_SHARE_DAYS, cutoff)
    revenue = np.bincount(
        reps.index, np.where(won, np.nan_to_num(data.timeline.amount), 0.0), len(reps.values)
    )
    total = revenue.sum()
    if total <= 0:
        return np.full(len(reps.values), 1.0 / len(reps.values))
    return revenue / total


def _names(session: Session, workspace_id: int) -> dict[tuple[str, int | None], str]:
    names: dict[tuple[str, int | None], str] = {}
    for user_id, name in session.execute(
        select(User.id, User.name).where(User.workspace_id == workspace_id)
    ):
        names[("rep", user_id)] = name
    for team_id, name in session.execute(
        select(Team.id, Team.name).where(Team.workspace_id == workspace_id)
    ):
        names[("team", team_id)] = name
    return names
