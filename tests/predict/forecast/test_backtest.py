"""The backtest uses only facts known at each cutoff, and the AI's distribution is honest on
data drawn from a known truth."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from dealflow.core.errors import InvalidInputError
from dealflow.predict.forecast.backtest import backtest, summary
from dealflow.predict.forecast.close_rates import CloseRates
from dealflow.predict.forecast.pipeline_file import read_pipeline
from dealflow.predict.forecast.simulation import Level, simulate
from tests.predict.forecast.synthetic import MONTH, START, synthetic_timeline


class TestLeakage:
    def test_rewriting_everything_after_a_cutoff_changes_no_forecast_made_before_it(
        self,
    ) -> None:
        timeline = synthetic_timeline(months=10, seed=1)
        before = backtest(timeline)
        cutoff = START + 6 * MONTH
        # every deal closing after the cutoff is now won; deals created after it are ten
        # times bigger (amounts are known from creation in this timeline)
        closes_later = timeline.closed >= cutoff
        created_later = timeline.created >= cutoff
        planted = replace(
            timeline,
            won=np.where(closes_later, True, timeline.won),
            amount=np.where(created_later, timeline.amount * 10, timeline.amount),
        )
        after = backtest(planted)

        assert [r.period for r in after] == [r.period for r in before]
        changed = [
            b.ai != a.ai or b.baselines != a.baselines for b, a in zip(before, after, strict=True)
        ]
        first_after = next(i for i, r in enumerate(before) if _start(r.period) >= cutoff)
        assert not any(changed[:first_after])
        assert all(changed[first_after + 1 :])

    def test_a_deal_s_close_value_is_not_its_amount_before_it_closes(self, tmp_path: Path) -> None:
        pipeline = tmp_path / "pipeline.csv"
        pipeline.write_text(
            "id,agent,product,stage,engage_date,close_date,close_value\n"
            "1,Ann,GTX Pro,Won,2024-01-05,2024-03-10,4000\n"
            "2,Ann,GTX Pro,Engaging,2024-01-06,,\n"
            "3,Bob,MG Special,Prospecting,,,\n"
        )
        products = tmp_path / "products.csv"
        products.write_text("product,series,sales_price\nGTXPro,GTX,4821\nMG Special,MG,55\n")

        read = read_pipeline(pipeline, products=products)

        assert read.skipped == 1  # no creation date: cannot be placed in time
        before_close = read.timeline.snapshot(START + 40)
        after_close = read.timeline.snapshot(START + 80)
        assert list(before_close.amount) == [4821.0, 4821.0]  # list price while open
        assert list(after_close.amount) == [4000.0, 4821.0]
        assert list(after_close.open) == [False, True]


class TestKnownTruth:
    def test_the_learned_monthly_win_chance_matches_the_truth(self) -> None:
        timeline = synthetic_timeline(months=18, seed=2)
        cutoff = START + 17 * MONTH
        rates = CloseRates().fit(timeline, cutoff)
        snapshot = timeline.snapshot(cutoff)

        chances = rates.chances(snapshot, cutoff, cutoff + MONTH)

        # closing rate 0.25 a month, 60% of closes won: P(won within a month) = 0.6(1 - e^-0.25)
        truth = 0.6 * (1 - np.exp(-0.25))
        assert chances.in_window.mean() == pytest.approx(truth, abs=0.03)
        assert chances.ever.mean() == pytest.approx(0.6, abs=0.08)

    def test_p10_to_p90_covers_the_actual_revenue_about_eight_months_in_ten(self) -> None:
        inside = []
        for seed in range(3):
            results = backtest(synthetic_timeline(months=12, seed=seed), seed=seed)
            inside += [r.ai.p10 <= r.actual <= r.ai.p90 for r in results]
        assert 0.65 <= np.mean(inside) <= 0.97

    def test_simulated_percentiles_cover_draws_of_the_true_outcome(self) -> None:
        rng = np.random.default_rng(3)
        chances = rng.uniform(0.05, 0.6, 300)
        amounts = rng.lognormal(8, 0.7, 300)
        level = Level(np.zeros(300, dtype=np.int64), np.zeros(1), np.zeros(1))
        result = simulate(chances, amounts, {"all": level}, spread=0.0)["all"][0]

        worlds = (rng.random((1000, 300)) < chances) @ amounts
        coverage = np.mean((worlds >= result.p10) & (worlds <= result.p90))
        assert 0.75 <= coverage <= 0.85
        assert result.mean == pytest.approx(float(chances @ amounts), rel=0.02)


class TestReport:
    def test_the_json_has_the_issue_s_shape(self) -> None:
        report = summary(backtest(synthetic_timeline(months=6, seed=4)))

        assert set(report) == {"periods", "ai", "baselines"}
        assert set(report["ai"]) == {"mape", "bias", "coverage_p10_p90"}
        assert set(report["baselines"]) == {"weighted_pipeline", "naive", "run_rate"}
        for scores in report["baselines"].values():
            assert set(scores) == {"mape", "bias"}

    def test_a_file_without_a_creation_date_column_says_which_columns_it_has(
        self, tmp_path: Path
    ) -> None:
        pipeline = tmp_path / "pipeline.csv"
        pipeline.write_text("id,stage,close_date\n1,Won,2024-01-01\n")
        with pytest.raises(InvalidInputError, match=r"created.*columns are id, stage, close_date"):
            read_pipeline(pipeline)

    def test_a_bad_date_names_its_row_and_column(self, tmp_path: Path) -> None:
        pipeline = tmp_path / "pipeline.csv"
        good = "Won,2024-01-01,2024-02-01\n" * 10
        pipeline.write_text(f"stage,created,closed\n{good}Lost,2024-01-02,someday\n")
        with pytest.raises(InvalidInputError, match="row 12, column closed: 'someday'"):
            read_pipeline(pipeline)


def _start(label: str) -> float:
    from datetime import date

    from dealflow.predict.forecast.timeline import day_number

    year, month = (int(part) for part in label.split("-"))
    return float(day_number(date(year, month, 1)))


def test_a_quarter_horizon_forecasts_three_months_of_revenue_from_each_cutoff() -> None:
    timeline = synthetic_timeline(months=9, seed=5)
    monthly = {r.period: r.actual for r in backtest(timeline)}

    quarters = backtest(timeline, horizon_months=3)

    first = quarters[0]
    start = first.period.split("..")[0]
    months = sorted(monthly)
    window = months[months.index(start) : months.index(start) + 3]
    assert first.period == f"{window[0]}..{window[-1]}"
    assert first.actual == pytest.approx(sum(monthly[m] for m in window))
    assert first.ai.p10 <= first.ai.p50 <= first.ai.p90
