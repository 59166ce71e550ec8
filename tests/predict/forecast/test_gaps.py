"""Gap deals: what puts the rep's number above or below the AI's, largest first."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from dealflow.predict.forecast.close_rates import CLOSE_DATE_CLASSES, close_date_class
from dealflow.predict.forecast.gaps import OpenDeal, gap_deals

END = date(2026, 10, 1)


def deal(deal_id: int, category: str, close: date | None, chance: float, **more: float) -> OpenDeal:
    return OpenDeal(
        deal_id=deal_id,
        name=f"Deal {deal_id}",
        owner_id=1,
        team_id=None,
        amount=more.get("amount", 10000.0),
        category=category,
        close_date=close,
        win_probability=more.get("win", 0.8),
        timing=more.get("timing", 0.9),
        chance=chance,
    )


def test_each_kind_of_gap_is_found_and_sorted_by_its_contribution() -> None:
    gaps = gap_deals(
        [
            deal(1, "commit", date(2026, 9, 20), chance=0.2),  # rep counts 10000, AI 2000
            deal(2, "best_case", date(2026, 9, 15), chance=0.7),  # AI expects 7000, rep none
            deal(3, "commit", date(2026, 9, 30), chance=0.1, timing=0.1, amount=50000),
            deal(4, "commit", date(2026, 9, 10), chance=0.9),  # both agree: no gap
            deal(5, "pipeline", date(2026, 12, 1), chance=0.05),  # both leave it out
        ],
        END,
    )

    assert [(gap.deal.deal_id, gap.kind) for gap in gaps] == [
        (3, "unrealistic_close_date"),
        (1, "doubted_commit"),
        (2, "left_out"),
    ]
    assert [gap.contribution for gap in gaps] == pytest.approx([45000, 8000, -7000])


def test_a_committed_deal_dated_after_the_period_is_not_in_the_rep_s_number() -> None:
    later = deal(1, "commit", date(2026, 11, 5), chance=0.6)
    assert not later.in_rep_number(END)
    assert [gap.kind for gap in gap_deals([later], END)] == ["left_out"]


def test_a_close_date_is_inside_later_overdue_or_missing_against_a_window() -> None:
    kinds = close_date_class(np.array([np.nan, 5.0, 10.0, 19.0, 20.0]), 10.0, 20.0)

    assert [CLOSE_DATE_CLASSES[k] for k in kinds] == [
        "none",
        "overdue",
        "inside",
        "inside",
        "later",
    ]
