"""A table ready for linkage: one cleaned column per field plus the keys derived from it.

Fields get safe names (``first_name_0``, ``address_1``) so any header works in SQL; derived
columns carry the field's name and a suffix: ``_ph`` a phonetic code, ``_tokens`` the words,
``_rare`` the words rare enough to block on, ``_sorted`` the words in order, ``_num`` a
house number, ``_local`` the last seven digits of a phone, ``_user`` an email's mailbox, ``_init`` a
name's initial, ``_year`` a date's year.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import jellyfish
import pandas as pd

from dealflow.core.errors import InvalidInputError
from dealflow.crm.linkage.normalise import clean_column, map_distinct
from dealflow.crm.linkage.roles import ColumnRole

UNIQUE_ID = "unique_id"
TOKEN_ROLES = frozenset({"name", "address", "text"})
PHONETIC_ROLES = frozenset({"first_name", "last_name"})
RARE_TOKEN_SHARE = 0.002
"""A word on more than this share of rows (and more than MIN_RARE_CAP) is too common to block on."""
MIN_RARE_CAP = 30


@dataclass(frozen=True)
class Field:
    """A cleaned column: its safe name, role and the header it came from."""

    name: str
    role: str
    source: str


@dataclass(frozen=True)
class PreparedTable:
    frame: pd.DataFrame
    fields: tuple[Field, ...]

    def of_role(self, *roles: str) -> list[Field]:
        return [field for field in self.fields if field.role in roles]


def prepare(table: pd.DataFrame, id_column: str, roles: Sequence[ColumnRole]) -> PreparedTable:
    """Cleaned fields and their derived keys, with ``unique_id`` from ``id_column``."""
    ids = table[id_column]
    if ids.isna().any():
        raise InvalidInputError(f"column {id_column!r}: {int(ids.isna().sum())} rows have no id")
    if ids.duplicated().any():
        example = ids[ids.duplicated()].iloc[0]
        raise InvalidInputError(f"column {id_column!r}: id {example!r} is on more than one row")
    columns: dict[str, pd.Series] = {UNIQUE_ID: ids.reset_index(drop=True)}
    fields = []
    counts: Counter[str] = Counter()
    for column_role in roles:
        if column_role.role == "ignore":
            continue
        name = f"{column_role.role}_{counts[column_role.role]}"
        counts[column_role.role] += 1
        cleaned = clean_column(column_role.role, table[column_role.column]).reset_index(drop=True)
        columns[name] = cleaned
        columns.update(_derived(name, column_role.role, cleaned))
        fields.append(Field(name, column_role.role, column_role.column))
    frame = pd.DataFrame(columns)
    return PreparedTable(frame, tuple(fields))


def _derived(name: str, role: str, values: pd.Series) -> dict[str, pd.Series]:
    if role in PHONETIC_ROLES:
        return {
            f"{name}_ph": _mapped(values, lambda v: jellyfish.metaphone(v.split()[0])),
            f"{name}_init": _mapped(values, lambda v: v[:1]),
        }
    if role == "date":
        return {f"{name}_year": _mapped(values, lambda v: v[:4])}
    if role == "email":
        return {f"{name}_user": _mapped(values, lambda v: v.split("@", 1)[0])}
    if role == "phone":
        return {f"{name}_local": _mapped(values, lambda v: v[-7:])}
    if role not in TOKEN_ROLES:
        return {}
    tokens = values.map(lambda v: sorted(set(v.split())) if isinstance(v, str) else None)
    derived = {
        f"{name}_tokens": tokens,
        f"{name}_rare": _rare_tokens(tokens),
        f"{name}_sorted": tokens.map(lambda t: " ".join(t) if t else None),
    }
    if role == "address":
        derived[f"{name}_num"] = _mapped(values, _house_number)
    return derived


def _rare_tokens(tokens: pd.Series) -> pd.Series:
    frequency: Counter[str] = Counter(t for words in tokens.dropna() for t in words)
    cap = max(MIN_RARE_CAP, int(RARE_TOKEN_SHARE * len(tokens)))
    rare = {token for token, count in frequency.items() if count <= cap and len(token) > 1}
    return tokens.map(
        lambda words: [t for t in words if t in rare] or None if words is not None else None
    )


def _house_number(value: str) -> str | None:
    return next((word for word in value.split() if word[:1].isdigit()), None)


def _mapped(values: pd.Series, function: Callable[[str], str | None]) -> pd.Series:
    return map_distinct(values, lambda v: function(v) if isinstance(v, str) else None)
