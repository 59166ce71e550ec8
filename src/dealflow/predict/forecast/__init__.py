"""The forecast: periods, categories, the AI's distribution next to the reps' number, the gap
between them deal by deal, and the backtest that grades it against simple baselines."""
