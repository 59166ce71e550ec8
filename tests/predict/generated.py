"""Generated labelled tables for evaluation tests: a known signal, optional planted leaks."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

REGIONS = ("north", "south", "east", "west")


def leads_frame(
    rows: int, *, seed: int = 0, signal: float = 1.0
) -> tuple[pd.DataFrame, npt.NDArray[np.bool_]]:
    """Leads whose conversion depends on visits, pricing views and region (times ``signal``)."""
    rng = np.random.default_rng(seed)
    visits = rng.poisson(4, rows).astype(float)
    pricing = rng.poisson(1, rows).astype(float)
    region = rng.choice(REGIONS, rows)
    employees = np.round(rng.lognormal(4, 1.2, rows))
    logit = signal * (0.35 * visits + 0.8 * pricing + np.where(region == "north", 0.8, 0.0)) - 2.5
    converted = rng.random(rows) < 1 / (1 + np.exp(-logit))
    frame = pd.DataFrame(
        {
            "Page Views 30d": visits,
            "Pricing Views 30d": pricing,
            "Region": region,
            "Company Employees": employees,
        }
    )
    return frame, converted


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    """The frame as a CSV file, missing values blank."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(frame.columns)
        for row in frame.itertuples(index=False):
            writer.writerow(["" if pd.isna(value) else value for value in row])
    return path
