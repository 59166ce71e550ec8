"""The reps' forecast numbers for the current quarter: each rep's commit as they would see it
(won so far plus late-stage deals they expect to close), more or less optimistic by temperament;
an earlier number at the start of the quarter, and a manager's adjustment with a note."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from random import Random
from typing import Any

from dealflow.demo.deals import WON, DealPlan
from dealflow.demo.sales_team import UserPlan
from dealflow.demo.timeline import Window
from dealflow.predict.forecast.periods import quarter_of

LATE_STAGE = 2
"""Open deals from this stage position on (Demo and later) are in a rep's commit."""
ADJUSTMENT_NOTE = "Two of these slip to next quarter; keeping the number honest."


def submission_rows(
    rng: Random, deals: list[DealPlan], reps: list[UserPlan], window: Window
) -> list[dict[str, Any]]:
    """Rows for ``forecast_submissions`` for the quarter holding the window's end."""
    quarter = quarter_of(window.end.date())
    start = datetime.combine(quarter.start, window.end.timetz())
    first_at = max(start + timedelta(days=1), window.start)
    latest_at = max(first_at, window.end - timedelta(days=2))
    commit: dict[int, float] = defaultdict(float)
    for deal in deals:
        if _in_commit(deal, window, quarter.start, quarter.end):
            commit[deal.owner.id] += float(deal.amount)
    rows = []
    adjusted: set[int] = set()
    for rep in sorted(reps, key=lambda r: -commit[r.id]):
        if rep.role != "rep" or not commit[rep.id]:
            continue
        for at, optimism in (
            (first_at, rng.uniform(0.9, 1.5)),
            (latest_at, rng.uniform(0.85, 1.3)),
        ):
            rows.append(_row(quarter.label, rep.id, commit[rep.id] * optimism, at, rep.id))
        manager = rep.manager
        if manager is not None and manager.id not in adjusted:
            adjusted.add(manager.id)
            rows.append(
                _row(quarter.label, rep.id, commit[rep.id] * 0.85, latest_at, manager.id)
                | {"kind": "adjustment", "note": ADJUSTMENT_NOTE}
            )
    return rows


def _in_commit(deal: DealPlan, window: Window, start: Any, end: Any) -> bool:
    step, entered = deal.steps[-1]
    if step == WON:
        return start <= window.date_of(entered) < end
    if deal.outcome is not None or deal.expected_close is None:
        return False
    return step >= LATE_STAGE and start <= deal.expected_close < end


def _row(period: str, user_id: int, amount: float, at: datetime, by: int) -> dict[str, Any]:
    return {
        "period": period,
        "user_id": user_id,
        "team_id": None,
        "amount": Decimal(round(amount, -3)).quantize(Decimal("0.01")),
        "kind": "submission",
        "note": None,
        "submitted_by": by,
        "submitted_at": at,
    }
