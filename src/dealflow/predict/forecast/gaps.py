"""Gap analysis: which deals make the rep's number differ from the AI's, and by how much."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dealflow.predict.forecast.categories import COMMIT

DOUBTED_BELOW = 0.5
"""A committed deal the model gives less than this chance inside the period is doubted."""
EXPECTED_FROM = 0.3
"""A deal left out of the rep's number with at least this chance inside the period is missed."""
UNREALISTIC_TIMING = 0.25
"""A close date inside the period is unrealistic when, even if the deal is won, the chance
that it closes inside the period is below this."""

DOUBTED_COMMIT = "doubted_commit"
LEFT_OUT = "left_out"
UNREALISTIC_CLOSE_DATE = "unrealistic_close_date"


@dataclass(frozen=True)
class OpenDeal:
    """An open deal as the forecast sees it."""

    deal_id: int
    name: str
    owner_id: int | None
    team_id: int | None
    amount: float
    category: str
    close_date: date | None
    win_probability: float
    timing: float
    """P(closes inside the period | won)."""
    chance: float
    """P(won inside the period)."""

    @property
    def expected(self) -> float:
        return self.amount * self.chance

    def in_rep_number(self, period_end: date) -> bool:
        """Committed, with a close date before the period ends (overdue ones included)."""
        return (
            self.category == COMMIT and self.close_date is not None and self.close_date < period_end
        )


@dataclass(frozen=True)
class GapDeal:
    kind: str
    deal: OpenDeal
    contribution: float
    """How much the deal puts the rep's number above (+) or below (-) the AI's."""


def gap_deals(deals: list[OpenDeal], period_end: date) -> list[GapDeal]:
    """The deals explaining the difference, largest contribution first."""
    gaps = []
    for deal in deals:
        dated_inside = deal.close_date is not None and deal.close_date < period_end
        if deal.in_rep_number(period_end):
            contribution = deal.amount - deal.expected
            if dated_inside and deal.timing < UNREALISTIC_TIMING:
                gaps.append(GapDeal(UNREALISTIC_CLOSE_DATE, deal, contribution))
            elif deal.chance < DOUBTED_BELOW:
                gaps.append(GapDeal(DOUBTED_COMMIT, deal, contribution))
        elif deal.chance >= EXPECTED_FROM:
            gaps.append(GapDeal(LEFT_OUT, deal, -deal.expected))
        elif dated_inside and deal.category != "omitted" and deal.timing < UNREALISTIC_TIMING:
            contribution = deal.amount * deal.win_probability - deal.expected
            if contribution > 0:
                gaps.append(GapDeal(UNREALISTIC_CLOSE_DATE, deal, contribution))
    return sorted(gaps, key=lambda gap: -abs(gap.contribution))
