"""Core statements compiled once per dialect and run on the driver's cursor directly.

For the few reads every API request makes (its token, a page of a list): SQLAlchemy's work
per execution (cache key, execution context, result metadata, row objects) costs more there
than the database's own. The statement is still built with SQLAlchemy, compiled by it once
(its SQL, parameter order and value conversions), and read anew on every call: nothing but
the compilation is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Select

STATEMENTS_KEPT = 1024
Processor = Callable[[Any], Any]


@dataclass(frozen=True, eq=False)
class DriverStatement:
    """A statement's SQL for one dialect, the driver values of the parameters it holds, and
    the conversions of the values given on each call (and of its result columns)."""

    statement: Select[Any]
    dialect: Dialect
    sql: str
    order: tuple[str, ...] | None
    """Parameter names in the order of a positional paramstyle; None: named parameters."""
    fixed: Mapping[str, Any]
    converters: Mapping[str, Processor]
    _results: dict[tuple[Any, ...], tuple[Processor | None, ...]] = field(default_factory=dict)

    def execute(
        self, connection: Connection, given: Mapping[str, Any] | None = None
    ) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        """The type codes the cursor reports for the result columns, and the driver's rows
        (unconverted), for the statement run in ``connection``'s transaction with the
        parameters ``given`` (by name) set."""
        values = dict(self.fixed)
        for name, value in (given or {}).items():
            converter = self.converters.get(name)
            values[name] = value if converter is None else converter(value)
        parameters: Any = values if self.order is None else [values[n] for n in self.order]
        cursor = connection.connection.cursor()
        try:
            cursor.execute(self.sql, parameters)
            codes = tuple(column[1] for column in cursor.description)
            return codes, list(cursor.fetchall())
        finally:
            cursor.close()

    def rows(
        self, connection: Connection, given: Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """The result rows converted as SQLAlchemy converts them (times, flags)."""
        codes, rows = self.execute(connection, given)
        processors = self._results.get(codes)
        if processors is None:
            processors = self._results[codes] = result_processors(
                self.dialect, [column.type for column in self.statement.selected_columns], codes
            )
        if not any(processors):
            return rows
        return [
            tuple(
                value if processor is None else processor(value)
                for value, processor in zip(row, processors, strict=True)
            )
            for row in rows
        ]


def result_processors(
    dialect: Dialect, types: Sequence[Any], codes: Sequence[Any]
) -> tuple[Processor | None, ...]:
    """Each column type's result conversion on ``dialect`` for the cursor's type codes."""
    return tuple(
        kind.dialect_impl(dialect).result_processor(dialect, code)
        for kind, code in zip(types, codes, strict=True)
    )


@lru_cache(maxsize=STATEMENTS_KEPT)
def compiled(statement: Select[Any], dialect: Dialect) -> DriverStatement:
    """``statement`` compiled for ``dialect`` (kept: pass statements built once)."""
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    converters: dict[str, Processor] = {}
    for name, converter in compiled._bind_processors.items():
        if not callable(converter):
            raise ValueError(f"{name}: parameters of tuples are not supported")
        converters[name] = converter
    fixed = {
        name: value if name not in converters else converters[name](value)
        for name, value in compiled.params.items()
    }
    order = tuple(compiled.positiontup or ()) if compiled.positional else None
    return DriverStatement(statement, dialect, compiled.string, order, fixed, converters)
