"""Type a CSV column by looking at its values: number, yes/no, date or category.

Placeholders that mean "no value" (blank, NA, null, "Select", "-"...) become missing first.
Numbers may carry thousands separators (1,234.5 or 1.234,5), a currency sign or a percent sign.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

PLACEHOLDERS = frozenset(
    {
        "",
        "na",
        "n/a",
        "n.a.",
        "nan",
        "null",
        "none",
        "nil",
        "-",
        "--",
        "?",
        "#n/a",
        "select",
        "(none)",
        "(blank)",
        "(empty)",
        "not available",
        "not specified",
    }
)
TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "f", "0"})
NUMBER_SHARE = 0.99  # at least this share of filled values must read as numbers (or dates)

_US_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?$")
_EU_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d*)(,\d+)?$")
_SPACED_NUMBER = re.compile(r"^[+-]?\d{1,3}( \d{3})+([.,]\d+)?$")
_DECORATION = re.compile(r"^[$€£¥]\s*|\s*[%$€£¥]$")
_ISO_DATE = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_SLASH_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})( \d{1,2}:\d{2}(:\d{2})?)?$")


@dataclass(frozen=True)
class TypedColumn:
    """A column's kind ("number", "boolean", "date", "category" or "empty") and its values:
    floats for numbers and booleans, timestamps for dates, text (or None) for categories."""

    kind: str
    values: pd.Series
    unreadable: int = 0
    """Filled values that did not read as the column's kind and became missing."""


def blank_placeholders(values: Sequence[str]) -> pd.Series:
    """The values stripped, with placeholders as None."""
    stripped = (value.strip() for value in values)
    return pd.Series([None if v.lower() in PLACEHOLDERS else v for v in stripped], dtype=object)


def type_column(values: Sequence[str]) -> TypedColumn:
    """The column's kind and typed values."""
    text = blank_placeholders(values)
    filled = text.dropna()
    if filled.empty:
        return TypedColumn("empty", pd.Series(np.nan, index=text.index))
    words = set(filled.str.lower().unique())
    trues, falses = words & TRUE_WORDS, words & FALSE_WORDS
    if words == trues | falses and len(trues) <= 1 and len(falses) <= 1:
        flags = text.map(lambda v: None if v is None else float(v.lower() in TRUE_WORDS))
        return TypedColumn("boolean", flags.astype(float))
    numbers = read_numbers(text)
    unreadable = int(numbers.isna().sum() - text.isna().sum())
    if unreadable <= (1 - NUMBER_SHARE) * len(filled):
        return TypedColumn("number", numbers, unreadable)
    dates = read_dates(text)
    unreadable = int(dates.isna().sum() - text.isna().sum())
    if unreadable <= (1 - NUMBER_SHARE) * len(filled):
        return TypedColumn("date", dates, unreadable)
    return TypedColumn("category", text)


def read_numbers(text: pd.Series) -> pd.Series:
    """Numbers under whichever convention (1,234.5 or 1.234,5) reads more of the values."""
    bare = [_undecorated(value) for value in text]
    us = [_us_number(value) for value in bare]
    eu = [_eu_number(value) for value in bare]
    best = us if _count(us) >= _count(eu) else eu
    return pd.Series([np.nan if v is None else v for v in best], index=text.index, dtype=float)


def read_dates(text: pd.Series) -> pd.Series:
    """Timestamps (UTC, naive) for ISO dates or day/month/year dates; month first when some
    first part exceeds twelve is impossible, so day first is chosen only then."""
    filled = text.dropna()
    if filled.map(lambda v: bool(_ISO_DATE.match(v))).all():
        parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
        return parsed.dt.tz_localize(None)
    slashed = filled.map(lambda v: _SLASH_DATE.match(v))
    if slashed.isna().any():
        return pd.Series(pd.NaT, index=text.index)
    day_first = any(int(match.group(1)) > 12 for match in slashed)
    return pd.to_datetime(text, errors="coerce", dayfirst=day_first, format="mixed")


def _us_number(value: str | None) -> float | None:
    if value is None or not _US_NUMBER.match(value) or not any(c.isdigit() for c in value):
        return None
    return float(value.replace(",", ""))


def _eu_number(value: str | None) -> float | None:
    if value is None or not _EU_NUMBER.match(value) or not any(c.isdigit() for c in value):
        return None
    return float(value.replace(".", "").replace(",", "."))


def _count(values: list[float | None]) -> int:
    return sum(value is not None for value in values)


def _undecorated(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = _DECORATION.sub("", value)
    return value.replace(" ", "") if _SPACED_NUMBER.match(value) else value
