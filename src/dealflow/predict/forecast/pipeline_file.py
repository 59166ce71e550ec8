"""A deal timeline from a pipeline export (CSV): one row per deal with its creation date, stage,
close date and value; a product price list fills amounts of deals still open.

Columns are found by their names (``created``/``engage``/``open`` dates, ``close`` date,
``stage``/``status``, ``value``/``amount``, ``owner``/``agent``/``rep``, ``product``) unless
``columns`` names them. Rows without a creation date cannot be placed in time and are left out
(``PipelineFile.skipped`` says how many).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dealflow.core.errors import InvalidInputError
from dealflow.predict.forecast.timeline import DealTimeline

ROLES: dict[str, tuple[str, ...]] = {
    "created": ("created", "create", "engage", "open", "start"),
    "closed": ("close", "won_date", "lost_date"),
    "stage": ("stage", "status"),
    "amount": ("value", "amount", "revenue"),
    "owner": ("owner", "agent", "rep", "salesperson"),
    "product": ("product",),
}
REQUIRED = ("created", "closed", "stage")
WON_WORDS = ("won", "win", "closedwon")
LOST_WORDS = ("lost", "lose", "closedlost")


@dataclass(frozen=True)
class PipelineFile:
    timeline: DealTimeline
    columns: dict[str, str]
    """Role -> the file's column that plays it."""
    skipped: int


def read_pipeline(
    path: Path, *, products: Path | None = None, columns: Mapping[str, str] | None = None
) -> PipelineFile:
    """Read ``path`` (and a product price list) into a timeline."""
    frame = _read_csv(path)
    chosen = _columns(frame, path, dict(columns or {}))
    created = _days(frame[chosen["created"]], path, chosen["created"])
    closed = _days(frame[chosen["closed"]], path, chosen["closed"])
    stage = frame[chosen["stage"]].astype(str).map(_fold)
    won = stage.isin(WON_WORDS).to_numpy()
    lost = stage.isin(LOST_WORDS).to_numpy()
    closed = np.where(won | lost, closed, np.nan)
    keep = np.isfinite(created) & ~((won | lost) & ~np.isfinite(closed))
    amount = (
        pd.to_numeric(frame[chosen["amount"]], errors="coerce").to_numpy(np.float64)
        if "amount" in chosen
        else np.full(len(frame), np.nan)
    )
    product = (
        frame[chosen["product"]].astype(str).map(_fold).to_numpy(object)
        if "product" in chosen
        else np.full(len(frame), None, dtype=object)
    )
    prices = _price_list(products) if products is not None else {}
    list_amount = np.array([prices.get(p, np.nan) for p in product], dtype=np.float64)
    owner = (
        frame[chosen["owner"]].astype(str).to_numpy(object)
        if "owner" in chosen
        else np.full(len(frame), None, dtype=object)
    )
    timeline = DealTimeline(
        ids=np.arange(int(keep.sum()), dtype=np.int64),
        created=created[keep],
        closed=closed[keep],
        won=won[keep],
        amount=np.where(won | lost, amount, np.nan)[keep],
        # An export's close value is a fact of the close: unknown before it.
        amount_from=closed[keep],
        list_amount=list_amount[keep],
        product=product[keep],
        owner=owner[keep],
    )
    return PipelineFile(timeline, chosen, int((~keep).sum()))


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InvalidInputError(f"{path} does not exist or is not a file")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise InvalidInputError(f"{path}: not a readable CSV file ({error})") from error


def _columns(frame: pd.DataFrame, path: Path, given: dict[str, str]) -> dict[str, str]:
    for role, column in given.items():
        if role not in ROLES:
            raise InvalidInputError(f"{path}: unknown column role {role!r}; use {', '.join(ROLES)}")
        if column not in frame.columns:
            raise InvalidInputError(f"{path}: no column {column!r} (given for {role})")
    chosen = dict(given)
    for role, words in ROLES.items():
        if role in chosen:
            continue
        match = next(
            (
                column
                for column in frame.columns
                if column not in chosen.values()
                and any(word in _fold(column) for word in words)
                and _looks_like(role, frame[column])
            ),
            None,
        )
        if match is not None:
            chosen[role] = match
    missing = [role for role in REQUIRED if role not in chosen]
    if missing:
        raise InvalidInputError(
            f"{path}: cannot tell which column holds the {', '.join(missing)} of a deal; "
            f"columns are {', '.join(frame.columns)} (name them with --column ROLE=COLUMN)"
        )
    return chosen


def _looks_like(role: str, values: pd.Series) -> bool:
    """Dates for the date roles, numbers for the amount, anything for the others."""
    filled = values[values.str.strip() != ""]
    if role in ("created", "closed"):
        return bool(pd.to_datetime(filled, errors="coerce", format="mixed").notna().mean() > 0.9)
    if role == "amount":
        return bool(pd.to_numeric(filled, errors="coerce").notna().mean() > 0.9)
    return True


def _days(values: pd.Series, path: Path, column: str) -> np.ndarray:
    text = values.str.strip()
    parsed = pd.to_datetime(text, errors="coerce", format="mixed")
    bad = parsed.isna() & (text != "")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise InvalidInputError(
            f"{path}, row {row}, column {column}: {text.iloc[row - 2]!r} is not a date"
        )
    epoch = pd.Timestamp("1970-01-01")
    days = (parsed.dt.tz_localize(None) - epoch).dt.total_seconds() / 86_400
    return np.floor(days.to_numpy(np.float64))


def _price_list(path: Path) -> dict[str, float]:
    """Product name (folded) -> list price, from the first text column and the price column."""
    frame = _read_csv(path)
    numeric = [
        c for c in frame.columns if pd.to_numeric(frame[c], errors="coerce").notna().mean() > 0.9
    ]
    named = [c for c in numeric if any(w in _fold(c) for w in ("price", "list", "amount"))]
    text = [c for c in frame.columns if c not in numeric]
    if not (named or numeric) or not text:
        raise InvalidInputError(f"{path}: expected a product name column and a price column")
    price = (named or numeric)[0]
    return {
        _fold(name): float(value)
        for name, value in zip(frame[text[0]], pd.to_numeric(frame[price]), strict=True)
    }


def _fold(text: str) -> str:
    """Lowercase letters and digits only, so "GTX Pro" and "GTXPro" are one product."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())
