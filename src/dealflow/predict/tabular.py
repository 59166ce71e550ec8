"""A labelled CSV turned into a feature frame and a yes/no outcome, ready for evaluation.

Columns are typed by their values (see ``column_types``). Columns that cannot help are dropped
and reported with the reason: empty, a single value, unique per row (identifiers, free text),
or dates when there is no time column to measure them against. With a time column, every other
date becomes "days before the row's time".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from dealflow.core.errors import InvalidInputError
from dealflow.predict.column_types import blank_placeholders, type_column
from dealflow.predict.csv_reading import read_csv

POSITIVE_WORDS = frozenset(
    {"1", "1.0", "true", "yes", "y", "t", "won", "win", "converted", "success", "positive"}
    | {"closed won", "closed-won", "closed_won"}
)
NEGATIVE_WORDS = frozenset(
    {"0", "0.0", "false", "no", "n", "f", "lost", "lose", "not converted", "unconverted"}
    | {"failure", "negative", "closed lost", "closed-lost", "closed_lost"}
)
IDENTIFIER = "identifier"
UNIQUE_SHARE = 0.9  # text unique in at least this share of rows reads as an identifier
MIN_ROWS_FOR_IDENTIFIERS = 20
COMPLETENESS = "completeness (share of columns filled in)"
SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class LabelledTable:
    """Features, the outcome (True = positive), the rows' times when a time column was given,
    and what was left out and why."""

    features: pd.DataFrame
    outcome: npt.NDArray[np.bool_]
    positive_label: str
    order: npt.NDArray[np.float64] | None = None
    time_column: str | None = None
    dropped: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def identifiers(self) -> list[str]:
        return [name for name, why in self.dropped.items() if why == IDENTIFIER]


def read_labelled_csv(
    path: Path,
    target: str,
    *,
    positive: str | None = None,
    drop: Sequence[str] = (),
    time_column: str | None = None,
) -> LabelledTable:
    """Read ``path`` and type its columns; ``target`` becomes the outcome."""
    content = read_csv(path)
    frame = pd.DataFrame(content.rows, columns=content.header, dtype=object)
    for name, role in (
        (target, "target"),
        (time_column, "time column"),
        *((d, "column to drop") for d in drop),
    ):
        if name is not None and name not in frame.columns:
            raise InvalidInputError(
                f"{path}: no column {name!r} (the {role}); its columns are: "
                + ", ".join(content.header)
            )
    warnings = []
    outcome, positive_label = read_outcome(frame[target].tolist(), target, positive)
    keep = ~pd.isna(outcome)
    if not keep.all():
        warnings.append(f"{int((~keep).sum())} rows without a value of {target!r} left out")
    order = None
    if time_column is not None:
        order = _times(frame[time_column].tolist(), time_column)
        if np.isnan(order).any():
            warnings.append(
                f"{int(np.isnan(order).sum())} rows without a time in {time_column!r} left out"
            )
            keep &= ~np.isnan(order)
    frame = frame[keep].reset_index(drop=True)
    y = np.asarray(outcome[keep], dtype=bool)
    if y.all() or not y.any():
        raise InvalidInputError(
            f"{path}: every row has the same outcome in {target!r}; evaluation needs both"
        )
    order = order[keep] if order is not None else None
    skipped = {target, *(name for name in (time_column,) if name), *drop}
    columns, dropped = {}, dict.fromkeys(drop, "dropped on request")
    for name in frame.columns:
        if name in skipped:
            continue
        typed = type_column(frame[name].tolist())
        if typed.unreadable:
            warnings.append(
                f"{typed.unreadable} values of {name!r} are not {typed.kind}s; read as missing"
            )
        why = _unhelpful(typed.kind, typed.values)
        if typed.kind == "date":
            if order is None:
                why = why or "a date, and no time column to measure it against"
            else:
                since = (order - _days(typed.values)).astype(float)
                columns[f"{name} (days before {time_column})"] = since
                continue
        if why:
            dropped[name] = why
        else:
            columns[name] = typed.values
    return LabelledTable(
        features=pd.DataFrame(columns),
        outcome=y,
        positive_label=positive_label,
        order=order,
        time_column=time_column,
        dropped=dropped,
        warnings=warnings,
    )


def with_completeness(features: pd.DataFrame) -> pd.DataFrame:
    """The features plus, per row, the share of them filled in (as the CRM's own features
    have): how much a lead told about itself is a signal no single column shows. Only when at
    least two columns have gaps; with one, its own missing values say the same."""
    gaps = features.isna()
    if int(gaps.any().sum()) < 2 or COMPLETENESS in features.columns:
        return features
    return features.assign(**{COMPLETENESS: 1.0 - gaps.mean(axis=1)})


def read_outcome(
    values: Sequence[str], target: str, positive: str | None
) -> tuple[npt.NDArray[np.object_], str]:
    """True/False (None where blank) per row, and the value read as positive."""
    text = blank_placeholders(values)
    lowered = text.str.lower()
    distinct = sorted(text.dropna().unique().tolist())
    if positive is not None:
        wanted = positive.strip().lower()
        if wanted not in set(lowered.dropna()):
            raise InvalidInputError(
                f"{positive!r} is not a value of {target!r}; its values are: "
                + ", ".join(distinct[:20])
            )
        label = positive.strip()
    else:
        label = _positive_value(distinct, target)
    flags = lowered.map(lambda v: None if v is None else v == label.lower())
    return flags.to_numpy(dtype=object), label


def _positive_value(distinct: list[str], target: str) -> str:
    if len(distinct) < 2:
        only = f" (only {distinct[0]!r})" if distinct else ""
        raise InvalidInputError(
            f"the target {target!r} has one class{only}; evaluation needs two outcomes"
        )
    if len(distinct) > 2:
        raise InvalidInputError(
            f"the target {target!r} has {len(distinct)} values ({', '.join(distinct[:10])}): "
            "name the positive one with --positive"
        )
    positives = [v for v in distinct if v.lower() in POSITIVE_WORDS]
    negatives = [v for v in distinct if v.lower() in NEGATIVE_WORDS]
    if len(positives) == 1 and (negatives or positives[0].lower() not in {"1", "1.0"}):
        return positives[0]
    if len(negatives) == 1:
        return next(v for v in distinct if v != negatives[0])
    raise InvalidInputError(
        f"cannot tell which of {distinct[0]!r} and {distinct[1]!r} in {target!r} is the "
        "positive outcome: name it with --positive"
    )


def _times(values: Sequence[str], name: str) -> npt.NDArray[np.float64]:
    typed = type_column(values)
    if typed.kind == "date":
        return _days(typed.values)
    if typed.kind == "number":
        return typed.values.to_numpy(np.float64)
    raise InvalidInputError(f"the time column {name!r} holds neither dates nor numbers")


def _days(dates: pd.Series) -> npt.NDArray[np.float64]:
    stamps = pd.to_datetime(dates)
    seconds = (stamps - pd.Timestamp("1970-01-01")).dt.total_seconds()
    return (seconds / SECONDS_PER_DAY).to_numpy(np.float64)


def _unhelpful(kind: str, values: pd.Series) -> str | None:
    """Why a column cannot help a model, or None when it might."""
    if kind == "empty":
        return "empty"
    filled = values.dropna()
    distinct = filled.nunique()
    if distinct == 1 and len(filled) == len(values):
        return "a single value"
    if len(values) < MIN_ROWS_FOR_IDENTIFIERS:
        return None
    if kind == "category" and distinct >= UNIQUE_SHARE * len(values):
        return IDENTIFIER
    if kind == "number" and distinct == len(values) and _sequential(filled.to_numpy(np.float64)):
        return IDENTIFIER
    return None


def _sequential(numbers: npt.NDArray[np.float64]) -> bool:
    """Whole numbers that count up or down with the rows, or fill a dense range: row ids."""
    if not np.all(numbers == np.round(numbers)):
        return False
    dense = numbers.max() - numbers.min() + 1 <= 1.5 * len(numbers)
    ranks = pd.Series(numbers).rank().to_numpy()
    with np.errstate(invalid="ignore"):
        trend = abs(np.corrcoef(ranks, np.arange(len(numbers)))[0, 1])
    return bool(dense or trend >= 0.95)
