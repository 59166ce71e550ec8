"""The reps' and managers' numbers: each submission is a new row, so the history is kept; a
manager's adjustment of a rep's number is a row of its own with the manager's note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import InvalidInputError, PermissionDeniedError
from dealflow.crm.repository import WorkspaceRepository
from dealflow.models import ForecastSubmission, Team, User
from dealflow.predict.forecast.periods import parse_period
from dealflow.predict.forecast.workspace_data import fiscal_start_month

SUBMISSION = "submission"
ADJUSTMENT = "adjustment"


@dataclass(frozen=True)
class Submitter:
    """Who submits: their id and role ("rep", "manager", "admin")."""

    user_id: int
    role: str


def submit_forecast(
    session: Session,
    workspace_id: int,
    by: Submitter,
    period: str,
    amount: Decimal | float | str,
    *,
    user_id: int | None = None,
    team_id: int | None = None,
    note: str | None = None,
) -> ForecastSubmission:
    """Record a number for ``period``: the submitter's own (default), a team's (``team_id``,
    managers only) or an adjustment of a rep's number (``user_id`` of someone else, managers
    only, with a note saying why)."""
    label = parse_period(period, fiscal_start_month(session, workspace_id)).label
    value = _amount(amount)
    repository = WorkspaceRepository(session, workspace_id)
    repository.get(User, by.user_id)
    kind = SUBMISSION
    if team_id is not None:
        _require_manager(by, "submit a team's number")
        repository.get(Team, team_id)
        user_id = None
    elif user_id is not None and user_id != by.user_id:
        _require_manager(by, "adjust another person's number")
        repository.get(User, user_id)
        if not (note and note.strip()):
            raise InvalidInputError("an adjustment of a rep's number needs a note saying why")
        kind = ADJUSTMENT
    else:
        user_id = by.user_id
    submission = ForecastSubmission(
        workspace_id=workspace_id,
        period=label,
        user_id=user_id,
        team_id=team_id,
        amount=value,
        kind=kind,
        note=note.strip() if note else None,
        submitted_by=by.user_id,
        submitted_at=clock.now(),
    )
    session.add(submission)
    session.flush()
    return submission


def submission_history(
    session: Session,
    workspace_id: int,
    period: str,
    *,
    user_id: int | None = None,
    team_id: int | None = None,
) -> Sequence[ForecastSubmission]:
    """Every number put on the period (for one rep or team when given), oldest first."""
    label = parse_period(period, fiscal_start_month(session, workspace_id)).label
    statement = select(ForecastSubmission).where(
        ForecastSubmission.workspace_id == workspace_id, ForecastSubmission.period == label
    )
    if user_id is not None:
        statement = statement.where(ForecastSubmission.user_id == user_id)
    if team_id is not None:
        statement = statement.where(ForecastSubmission.team_id == team_id)
    return session.scalars(
        statement.order_by(ForecastSubmission.submitted_at, ForecastSubmission.id)
    ).all()


def current_numbers(
    session: Session, workspace_id: int, period_label: str
) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """The latest number per rep and per team for the period (adjustments included)."""
    reps: dict[int, Decimal] = {}
    teams: dict[int, Decimal] = {}
    for row in session.scalars(
        select(ForecastSubmission)
        .where(
            ForecastSubmission.workspace_id == workspace_id,
            ForecastSubmission.period == period_label,
        )
        .order_by(ForecastSubmission.submitted_at, ForecastSubmission.id)
    ):
        if row.team_id is not None:
            teams[row.team_id] = row.amount
        elif row.user_id is not None:
            reps[row.user_id] = row.amount
    return reps, teams


def _require_manager(by: Submitter, action: str) -> None:
    if by.role not in ("manager", "admin"):
        raise PermissionDeniedError(f"only a manager or admin may {action}")


def _amount(amount: Decimal | float | str) -> Decimal:
    try:
        value = Decimal(str(amount).replace(",", "").strip())
    except InvalidOperation as error:
        raise InvalidInputError(f"forecast amount {amount!r} is not a number") from error
    if not value.is_finite() or value < 0:
        raise InvalidInputError(f"forecast amount {amount!r} must be a number of 0 or more")
    return value.quantize(Decimal("0.01"))
