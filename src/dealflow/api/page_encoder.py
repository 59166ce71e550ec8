"""The JSON body of a list page written straight from its rows, in one serialiser call:
the bytes pydantic gives for ``Page[schema]`` (validated, then dumped), without a model per
record.

A value is written as it is when its type is one that the schema's field takes unchanged
(pydantic would validate it into itself and write it the same way); score reasons are put in
the shape ``Reasons`` validates them into. A page holding any other value is left to pydantic
(``encode`` answers None), which converts it or says why it cannot, as it always did.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from operator import itemgetter
from typing import Annotated, Any, Union, cast, get_args, get_origin

from pydantic import BaseModel, WithJsonSchema
from pydantic.fields import FieldInfo
from pydantic_core import to_json

from dealflow.api.schemas.common import Reasons, reasons_as_validated
from dealflow.crm.record_lists import RowConverter, RowPage

NoneType = type(None)
PLAIN_TYPES = frozenset({int, str, bool, float, datetime, date})
"""Types a field of the same type keeps as they are (exact types: a bool is no int here)."""
DOCUMENT = dict[str, Any]
EXACT_TYPES = frozenset({int, str, bool, NoneType, datetime, date})
"""Driver value types whose equal values are the same value (1 == 1.0 == True, and
Decimal("1.0") == Decimal("1.00"), are not)."""
ROWS_REMEMBERED = 10_000
"""Rows whose JSON an encoder keeps per converter (then it starts afresh)."""
DECORATOR_KINDS = (
    "validators",
    "field_validators",
    "root_validators",
    "field_serializers",
    "model_serializers",
    "model_validators",
    "computed_fields",
)


class _ReasonsField(BaseModel):
    reasons: Reasons


REASONS_FIELD = _ReasonsField.model_fields["reasons"]


@dataclass(frozen=True)
class Column:
    """One field of the schema: the types written as they are, and the check or the
    conversion its values need beyond their type."""

    name: str
    types: frozenset[type] | None
    """None: any type (the conversion takes each as pydantic would)."""
    check: Callable[[Any], bool] | None = None
    convert: Callable[[Any], Any] | None = None


class PageEncoder:
    """Writes pages of records (dicts holding at least the schema's fields) as the JSON of
    ``Page[schema]``."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.names = tuple(column.name for column in columns)
        self.columns = tuple(columns)
        self._values = itemgetter(*self.names)
        self._converted = tuple(
            (index, column.convert)
            for index, column in enumerate(columns)
            if column.convert is not None
        )
        self._memos: dict[RowConverter, dict[tuple[Any, ...], bytes]] = {}

    def encode(self, records: Sequence[Any], next_cursor: str | None) -> bytes | None:
        """The page's JSON, or None when a value needs pydantic's validation."""
        rows = list(map(self._values, records))
        columns = zip(*rows, strict=True) if rows else [()] * len(self.names)
        written = self._write(dict(zip(self.names, columns, strict=True)))
        return None if written is None else _page_json(written, next_cursor)

    def encode_rows(self, page: RowPage, next_cursor: str | None) -> bytes | None:
        """``encode`` for a page of driver rows. A row this encoder wrote for the same
        converter before is not written again: what it wrote is a function of the row's
        values alone, which every request reads anew (kept only for pages whose equal
        rows are the same values: see ``_rememberable``)."""
        rows = page.rows
        remembered = _rememberable(page)
        written: list[bytes | None] = [None] * len(rows)
        memo = self._memos.setdefault(page.converter, {})
        if remembered:
            written = list(map(memo.get, rows))
        if None in written:
            missed = [row for row, text in zip(rows, written, strict=True) if text is None]
            fresh = self._write(page.columns(missed))
            if fresh is None:
                return None
            if remembered:
                if len(memo) + len(missed) > ROWS_REMEMBERED:
                    memo.clear()
                memo.update(zip(missed, fresh, strict=True))
            new = iter(fresh)
            written = [next(new) if text is None else text for text in written]
        return _page_json(cast(list[bytes], written), next_cursor)

    def _write(self, columns: Mapping[str, Sequence[Any]]) -> list[bytes] | None:
        """Each row's JSON, given the page's columns by name (other columns ignored), or
        None when a value needs pydantic's validation."""
        values = [columns[name] for name in self.names]
        for column, given in zip(self.columns, values, strict=True):
            if column.types is not None and not column.types.issuperset(map(type, given)):
                return None
            if column.check is not None and not all(map(column.check, given)):
                return None
        try:
            for index, convert in self._converted:
                values[index] = list(map(convert, values[index]))
        except ValueError:
            return None
        names = self.names
        return [
            to_json(dict(zip(names, row, strict=True)), inf_nan_mode="null")
            for row in zip(*values, strict=True)
        ]


def _page_json(rows: list[bytes], next_cursor: str | None) -> bytes:
    """The bytes of ``{"data": rows, "next_cursor": ..., "has_more": ...}`` as pydantic
    writes them (no spaces), the rows written already."""
    more = b"true" if next_cursor is not None else b"false"
    tail = (b'],"next_cursor":', to_json(next_cursor), b',"has_more":', more, b"}")
    return b"".join((b'{"data":[', b",".join(rows), *tail))


def _rememberable(page: RowPage) -> bool:
    """Whether equal rows of ``page`` are rows of the very same values: none holds a float
    or decimal in the columns that may (``RowConverter.inexact``)."""
    rows = page.rows
    return all(
        EXACT_TYPES.issuperset(type(row[index]) for row in rows) for index in page.converter.inexact
    )


@cache
def page_encoder(schema: type[BaseModel]) -> PageEncoder | None:
    """The encoder of ``schema``'s pages, or None when one of its fields (or the model's own
    validators and serialisers) may change values in ways the encoder does not repeat."""
    decorators = schema.__pydantic_decorators__
    if (
        schema.model_computed_fields
        or schema.model_config.get("alias_generator") is not None
        or any(getattr(decorators, kind) for kind in DECORATOR_KINDS)
    ):
        return None
    columns = []
    if len(schema.model_fields) < 2:  # (itemgetter of one name gives no tuple)
        return None
    for name, field in schema.model_fields.items():
        column = _column(name, field)
        if column is None:
            return None
        columns.append(column)
    return PageEncoder(columns)


def _column(name: str, field: FieldInfo) -> Column | None:
    if field.alias or field.serialization_alias or field.exclude:
        return None
    if field.annotation == REASONS_FIELD.annotation and field.metadata == REASONS_FIELD.metadata:
        return Column(name, None, None, reasons_as_validated)
    if not all(isinstance(item, WithJsonSchema) for item in field.metadata):
        return None
    kinds = _types(field.annotation)
    if kinds is None:
        return None
    check = None
    if Decimal in kinds:
        check = _finite
    elif dict in kinds:
        check = _document
    return Column(name, kinds, check)


def _types(annotation: Any) -> frozenset[type] | None:
    """The exact types a field of ``annotation`` keeps unchanged, or None if unknown."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        parts = [_types(part) for part in get_args(annotation)]
        if any(part is None for part in parts):
            return None
        return frozenset().union(*parts)  # type: ignore[arg-type]
    if origin is Annotated:
        base, *metadata = get_args(annotation)
        if all(isinstance(item, WithJsonSchema) for item in metadata):
            return _types(base)
        return None
    if annotation is None or annotation is NoneType:
        return frozenset({NoneType})
    if annotation in PLAIN_TYPES or annotation is Decimal:
        return frozenset({annotation})
    if annotation == DOCUMENT:
        return frozenset({dict})
    return None


def _finite(value: Any) -> bool:
    """A Decimal pydantic accepts as it is (it refuses NaN and infinities)."""
    return not isinstance(value, Decimal) or value.is_finite()


def _document(value: Any) -> bool:
    """A dict whose keys are text, as ``dict[str, Any]`` keeps it."""
    return not isinstance(value, dict) or all(type(key) is str for key in value)
