"""Periods follow the fiscal year; categories default from the stage and edits keep history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from dealflow.core.errors import InvalidInputError
from dealflow.crm import service
from dealflow.crm.history import history_of
from dealflow.models import Workspace
from dealflow.predict.forecast.categories import category_of, default_category
from dealflow.predict.forecast.periods import month_of, parse_period, quarter_of
from tests.factories import make_deal, stage_named


class TestPeriods:
    def test_a_quarter_label_names_three_months_of_the_fiscal_year(self) -> None:
        assert parse_period("2026-Q4").start == date(2026, 10, 1)
        assert parse_period("2026-Q4").end == date(2027, 1, 1)
        february_start = parse_period("2026-Q1", fiscal_start_month=2)
        assert (february_start.start, february_start.end) == (date(2026, 2, 1), date(2026, 5, 1))
        assert parse_period("2026-11").label == "2026-11"

    @pytest.mark.parametrize("text", ["2026-Q5", "Q4", "2026-13", "next quarter", ""])
    def test_a_period_that_is_not_one_says_which_forms_are(self, text: str) -> None:
        with pytest.raises(InvalidInputError, match="2026-Q4"):
            parse_period(text)

    @given(
        day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
        fiscal_start=st.integers(1, 12),
    )
    def test_every_day_lies_in_its_quarter_and_month_and_labels_read_back(
        self, day: date, fiscal_start: int
    ) -> None:
        quarter = quarter_of(day, fiscal_start)
        assert quarter.contains(day)
        assert parse_period(quarter.label, fiscal_start) == quarter
        assert not quarter.contains(quarter.end)
        assert quarter_of(quarter.end, fiscal_start).start == quarter.end
        assert month_of(day).contains(day)
        assert quarter_of(quarter.start - timedelta(days=1), fiscal_start).end == quarter.start


class TestCategories:
    @pytest.mark.parametrize(
        ("kind", "probability", "category"),
        [
            ("open", 0.1, "pipeline"),
            ("open", 0.4, "best_case"),
            ("open", 0.6, "best_case"),
            ("open", 0.8, "commit"),
            ("won", 1.0, "closed_won"),
            ("lost", 0.0, "omitted"),
        ],
    )
    def test_the_default_follows_the_stage(
        self, kind: str, probability: float, category: str
    ) -> None:
        assert default_category(kind, probability) == category

    def test_a_closed_deal_follows_its_outcome_whatever_the_rep_chose(self) -> None:
        assert category_of("commit", "lost", 0.0) == "omitted"
        assert category_of("pipeline", "open", 0.9) == "pipeline"
        assert category_of(None, "open", 0.9) == "commit"

    def test_a_rep_choosing_a_category_is_kept_in_the_deal_history(
        self, session: Session, workspace: Workspace
    ) -> None:
        deal = make_deal(
            session, workspace, stage_id=stage_named(session, workspace, "Qualified").id
        )
        assert deal.forecast_category is None

        service.update_record(
            session, workspace.id, "deals", deal.id, {"forecast_category": "commit"}
        )

        assert deal.forecast_category == "commit"
        change = history_of(session, workspace.id, "deals", deal.id)[0]
        assert (change.property, change.old_value, change.new_value) == (
            "forecast_category",
            None,
            "commit",
        )

    def test_an_unknown_category_is_refused_with_the_choices(
        self, session: Session, workspace: Workspace
    ) -> None:
        deal = make_deal(session, workspace)
        with pytest.raises(InvalidInputError, match="best_case"):
            service.update_record(
                session, workspace.id, "deals", deal.id, {"forecast_category": "maybe"}
            )
