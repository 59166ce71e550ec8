"""Shapes shared by several domains: score reasons, documented choices, base classes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializeAsAny,
    WithJsonSchema,
    model_validator,
)

from dealflow.crm.contacts import BANDS


class Reason(BaseModel):
    """One reason behind a score, strongest first: the sentence shown to people and, when
    the model gave it, the feature, its value and how much it moved the score."""

    text: str
    feature: str | None = None
    value: Any = None
    impact: float | None = None


def _reasons(raw: Any) -> list[Any] | None:
    """Reasons as stored (sentences, or objects with a ``text``), malformed ones dropped."""
    if not isinstance(raw, list):
        return None
    return [item for item in raw if isinstance(item, str) or _has_text(item)]


def _has_text(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("text"), str)


def reasons_as_validated(raw: Any) -> list[Any] | None:
    """Reasons as stored, in the plain values ``Reasons`` validates them into (sentences,
    and dicts of a ``Reason``'s fields in its order), for writing a page without models;
    ValueError for anything pydantic would have to convert or refuse. The items ``_reasons``
    drops are dropped, in one pass."""
    if not isinstance(raw, list):
        return None
    kept: list[Any] = []
    for item in raw:
        kind = type(item)
        if kind is str:
            kept.append(item)
        elif kind is dict:
            text = item.get("text")
            if type(text) is str:
                kept.append(_reason_fields(item, text))
            elif isinstance(text, str):
                raise ValueError("a reason's text is not plain text")
        elif isinstance(item, str | dict):
            raise ValueError("not a plain reason")
    return kept


def _reason_fields(item: dict[str, Any], text: str) -> dict[str, Any]:
    feature, impact = item.get("feature"), item.get("impact")
    if feature is not None and type(feature) is not str:
        raise ValueError("a reason's feature is not text")
    if type(impact) is int and abs(impact) <= 2**53:
        impact = float(impact)  # as a float field takes a whole number
    elif impact is not None and type(impact) is not float:
        raise ValueError("a reason's impact is not a number")
    return {"text": text, "feature": feature, "value": item.get("value"), "impact": impact}


def one_of(options: Sequence[str]) -> WithJsonSchema:
    """Metadata listing the allowed values of a text field in the OpenAPI document (the
    CRM layer checks them and names the field when one is wrong)."""
    return WithJsonSchema({"type": "string", "enum": list(options)})


def checked_choice(options: Sequence[str], what: str) -> Callable[[str], str]:
    """A validator accepting exactly one of ``options``, for fields the CRM layer does not
    check itself."""

    def check(value: str) -> str:
        if value not in options:
            raise ValueError(f"{what} {value!r} is not one of: {', '.join(options)}")
        return value

    return check


def _storable(moment: datetime) -> datetime:
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("the time is out of range") from None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValueError(f"give a time between the years {MIN_YEAR} and {MAX_YEAR}")
    return moment


MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_ID = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A record id (ids that cannot exist are refused before any query)."""
Moment = Annotated[AwareDatetime, AfterValidator(_storable)]
"""A point in time with its time zone, kept in UTC."""
Reasons = SerializeAsAny[Annotated[list[str | Reason] | None, BeforeValidator(_reasons)]]
"""Validated as a list of sentences and reasons; written out by the type of each item (the
same JSON and schema, in a third of the time of trying the union's choices one by one)."""
Band = Annotated[str, one_of(BANDS)]


class Output(BaseModel):
    """A record read from its ORM row."""

    model_config = ConfigDict(from_attributes=True)


class Input(BaseModel):
    """A request body: unknown fields are refused, not ignored; so is text with a NUL
    character (no database keeps one; PostgreSQL refuses it)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul_characters(cls, data: Any) -> Any:
        where = _nul_path(data, ())
        if where is not None:
            raise ValueError(f"{'.'.join(where) or 'the body'} contains a NUL character")
        return data


def _nul_path(value: Any, path: tuple[str, ...]) -> tuple[str, ...] | None:
    """Where in a decoded JSON body a text holds a NUL character, if anywhere."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _nul_path(item, (*path, str(key)))
        if found is not None:
            return found
    return None
