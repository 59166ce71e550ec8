"""What differs between SQLite and PostgreSQL, answered in one place.

Logic is written once against SQLAlchemy; the few things each backend does its own way
(reserving ids for bulk writes, bulk loading, row claiming) are methods of a dialect object.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from typing import Any

from pydantic_core import from_json
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    String,
    Table,
    Text,
    any_,
    bindparam,
    cast,
    func,
    insert,
    select,
    text,
    type_coerce,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import Insert

from dealflow.db import CHANGES_AT_BEGIN

Column = ColumnElement[Any] | InstrumentedAttribute[Any]
FINGERPRINT_MODULUS = 1_000_000_007


WORK_LIMIT_STEPS = 1000
"""SQLite virtual machine steps between two looks at a ``work_limit`` (some microseconds)."""


@dataclass
class WorkLimit:
    """When work must stop (a ``time.thread_time()`` reading: the CPU time of the thread,
    which a busy machine does not inflate), and whether it had to."""

    deadline: float
    reached: bool = False

    def check(self) -> int:
        """Nonzero (stop) once the deadline has passed: SQLite's progress handler."""
        if time.thread_time() > self.deadline:
            self.reached = True
        return self.reached


class Dialect:
    """Behaviour shared by both backends; subclasses override what differs."""

    name = "generic"
    server_process = False
    """Whether the database works in a process of its own (not inside ours, as SQLite)."""
    inserts: Any = None
    """The backend's ``insert`` module (both have ON CONFLICT DO NOTHING)."""

    def insert_new(self, model: Any, unique: str, values: dict[str, Any]) -> Insert:
        """INSERT of one row that does nothing when a row with the same ``unique`` value
        exists (idempotency keys, cursors created by whoever comes first)."""
        return (
            self.inserts.insert(model)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[unique])
        )

    def insert_new_rows(self, model: Any, unique: str) -> Insert:
        """``insert_new`` for many rows: executed with a list of rows (one statement, run as
        executemany), rows whose ``unique`` value exists are skipped."""
        return self.inserts.insert(model).on_conflict_do_nothing(index_elements=[unique])

    def insert_new_rows_returning(
        self,
        session: Session,
        table: Table,
        unique: str,
        rows: Sequence[Mapping[str, Any]],
        returning: Sequence[str],
    ) -> list[tuple[Any, ...]]:
        """``insert_new_rows`` of rows with the same columns, each given a value: the
        ``returning`` columns of the rows inserted (in no set order)."""
        statement = self.insert_new_rows(table, unique).returning(
            *(table.c[name] for name in returning)
        )
        return [tuple(row) for row in session.execute(statement, list(rows))]

    def reserve_ids(self, session: Session, table: Table, count: int) -> Sequence[int]:
        """Reserve ``count`` fresh primary keys of ``table`` for a bulk write."""
        raise NotImplementedError

    def one_of(self, column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
        """``column IN values``, for the long value lists of bulk key lookups."""
        return column.in_(values)

    def in_batch(self, column: Column, values: Sequence[Any]) -> ColumnElement[bool]:
        """``column IN values`` for the ids of one unit of work's batch (hundreds): the
        plan of an IN list, with the values as one parameter where the backend takes
        arrays (a long IN list costs the driver and the server a parse per batch)."""
        return column.in_(values)

    def refresh_statistics(self, session: Session, table: Table) -> None:
        """Tell the query planner how big ``table`` has grown (inside a long bulk write)."""

    def matches(self, column: ColumnElement[Any], pattern: str) -> ColumnElement[bool]:
        """``column`` LIKE ``pattern`` (``\\`` escapes a wildcard), ignoring case."""
        return column.ilike(pattern, escape="\\")

    def epoch_seconds(self, column: Column) -> ColumnElement[int]:
        """A timestamp column as whole seconds since the epoch (UTC), computed by the database
        (reading millions of timestamps as Python datetimes is the slow part of a read)."""
        raise NotImplementedError

    def time_fingerprint(self, column: Column) -> ColumnElement[int]:
        """A whole number that changes whenever the timestamp does, to the microsecond:
        microseconds since the epoch modulo ``FINGERPRINT_MODULUS`` (so sums over many rows
        fit 64 bits)."""
        raise NotImplementedError

    def raw_json(self, column: Column) -> ColumnElement[Any]:
        """A JSON column read as the driver returns it, for ``decode_json`` to decode a whole
        batch in one call (PostgreSQL's driver decodes JSONB itself: read as it is)."""
        return column  # type: ignore[return-value]

    def decode_json(self, raw: list[Any]) -> list[Any]:
        """The values of a ``raw_json`` column, decoded."""
        return raw

    def json_text(self, column: Column) -> ColumnElement[Any]:
        """A JSON column read as its JSON text (a value that is equal exactly when the
        document is), for ``decode_json_text``."""
        return cast(column, Text())

    def decode_json_text(self, raw: list[Any]) -> list[Any]:
        """The values of a ``json_text`` column, decoded in one parse (numbers SQLite's
        numeric affinity kept as numbers, and NULL, as they are)."""
        texts = [value for value in raw if isinstance(value, str)]
        if not texts:
            return raw
        decoded = iter(_json_array("[" + ",".join(texts) + "]"))
        return [next(decoded) if isinstance(value, str) else value for value in raw]

    def gathered(self, column: Column) -> ColumnElement[Any]:
        """An aggregate of ``column``'s values (numbers, text, NULL) over the rows as one JSON
        array, in the same row order for every ``gathered`` of the query: one value to read
        instead of a row per value (the driver's work per row is the slow part of a big read).
        """
        return type_coerce(func.json_agg(column), String())

    def ungathered(self, value: Any) -> list[Any]:
        """The values of a ``gathered`` column (none when it aggregated no rows)."""
        if value is None:
            return []
        return list(_json_array(value) if isinstance(value, str) else value)

    def wrote_in_transaction(self, session: Session) -> bool:
        """Whether the session's transaction has written (True when that cannot be told):
        another connection would not see those writes."""
        return True

    @contextmanager
    def work_limit(self, session: Session, seconds: float) -> Iterator[WorkLimit]:
        """Once the block has worked ``seconds`` (CPU time of this thread), the statement of
        ``session`` at work is stopped (an OperationalError) and the limit yielded is
        ``reached``. Only a database working inside our process (SQLite) can be stopped so;
        elsewhere nothing is."""
        yield WorkLimit(math.inf)

    def driver_values(
        self, session: Session, table: Table, column: str, values: list[Any]
    ) -> list[Any]:
        """One column's values as ``bulk_insert(prepared=True)`` takes them: SQLAlchemy's
        Python-to-driver conversion applied, each distinct value converted once (a bulk
        column repeats the same times, flags, documents)."""
        dialect = session.get_bind().dialect
        processor = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
        if processor is None:
            return values
        kinds = set(map(type, values))
        kind = kinds.pop() if len(kinds) == 1 else None
        if kind is not None and kind is not type(None) and kind.__hash__ is not None:
            # one hashable type: each distinct value converted once, looked up in C
            distinct = {value: self._bulk_value(processor(value)) for value in set(values)}
            return list(map(distinct.__getitem__, values))
        memo: dict[Any, Any] = {}
        converted: list[Any] = []
        for value in values:
            if value is None:
                converted.append(None)
                continue
            key = (type(value), value) if value.__hash__ is not None else id(value)
            result = memo.get(key, _MISSING)
            if result is _MISSING:
                result = memo[key] = self._bulk_value(processor(value))
                if len(memo) > 10_000:
                    memo.clear()
            converted.append(result)
        return converted

    def _bulk_value(self, value: Any) -> Any:
        """A driver value as the bulk path writes it."""
        return value

    def bulk_insert_columns(
        self,
        session: Session,
        table: Table,
        count: int,
        columns: Mapping[str, Sequence[Any]],
        constants: Mapping[str, Any],
    ) -> None:
        """Insert ``count`` rows given column by column (``columns``: one value per row;
        ``constants``: one value for every row), each column converted with
        ``driver_values``."""
        names, data, fixed = self._driver_columns(session, table, columns, constants)
        cells = [*data, *(repeat(value, count) for value in fixed)]
        self.bulk_insert(session, table, names, zip(*cells, strict=True), prepared=True)

    def _driver_columns(
        self,
        session: Session,
        table: Table,
        columns: Mapping[str, Sequence[Any]],
        constants: Mapping[str, Any],
    ) -> tuple[list[str], list[list[Any]], list[Any]]:
        """Column names (``columns`` first, then ``constants``), each column's driver values
        and each constant's driver value."""
        names = [*columns, *constants]
        data = [self.driver_values(session, table, name, list(v)) for name, v in columns.items()]
        fixed = [self.driver_values(session, table, name, [v])[0] for name, v in constants.items()]
        return names, data, fixed

    def bulk_insert(
        self,
        session: Session,
        table: Table,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        prepared: bool = False,
    ) -> None:
        """Insert many rows (tuples in ``columns`` order) as fast as the backend allows;
        ``prepared`` rows hold driver values already (see ``driver_values``)."""
        params = [dict(zip(columns, row, strict=True)) for row in rows]
        if params:
            session.execute(insert(table), params)


SHORT_LIST = 1000  # values SQLite gets as parameters of their own in ``one_of``


class SqliteDialect(Dialect):
    name = "sqlite"
    inserts = sqlite

    def time_fingerprint(self, column: Column) -> ColumnElement[int]:
        # "2026-03-02 09:00:00.123456": whole seconds by strftime, then the six digits.
        seconds = cast(func.strftime("%s", func.substr(column, 1, 19)), BigInteger)
        micros = cast(func.substr(column, 21, 6), BigInteger)
        return (seconds * 1_000_000 + micros) % FINGERPRINT_MODULUS

    def one_of(self, column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
        if len(values) <= SHORT_LIST:
            return column.in_(values)
        # One JSON parameter read by json_each: SQLite takes at most 32,766 parameters.
        listed = bindparam("one_of_values", json.dumps(list(values)), String(), unique=True)
        return column.in_(select(func.json_each(listed).table_valued("value").c.value))

    def raw_json(self, column: Column) -> ColumnElement[Any]:
        return type_coerce(column, String())

    def wrote_in_transaction(self, session: Session) -> bool:
        # Rows changed by the connection since the transaction began (``CHANGES_AT_BEGIN``,
        # noted by the engine's BEGIN), or unknown when the engine did not note it.
        connection = session.connection()
        at_begin = connection.info.get(CHANGES_AT_BEGIN)
        driver = connection.connection.driver_connection
        return at_begin is None or driver.total_changes != at_begin  # type: ignore[union-attr]

    def gathered(self, column: Column) -> ColumnElement[Any]:
        return type_coerce(func.json_group_array(column), String())

    def decode_json(self, raw: list[Any]) -> list[Any]:
        # JSON text, or numbers SQLite's numeric affinity kept as numbers, or NULL.
        return self.decode_json_text(raw)

    def json_text(self, column: Column) -> ColumnElement[Any]:
        return self.raw_json(column)  # stored as text already

    @contextmanager
    def work_limit(self, session: Session, seconds: float) -> Iterator[WorkLimit]:
        limit = WorkLimit(time.thread_time() + seconds)
        driver: Any = session.connection().connection.driver_connection  # sqlite3's
        driver.set_progress_handler(limit.check, WORK_LIMIT_STEPS)
        try:
            yield limit
        finally:
            driver.set_progress_handler(None, WORK_LIMIT_STEPS)

    def epoch_seconds(self, column: Column) -> ColumnElement[int]:
        # Timestamps are stored as UTC text ("2026-03-02 09:00:00.999999"), which strftime
        # reads as UTC; the fraction is cut off first, as strftime would round it up.
        return cast(func.strftime("%s", func.substr(column, 1, 19)), BigInteger)

    def matches(self, column: ColumnElement[Any], pattern: str) -> ColumnElement[bool]:
        # SQLite's LIKE already ignores ASCII case (and lower() changes nothing else), so
        # ILIKE's lower() on both sides is only cost.
        return column.like(pattern, escape="\\")

    def reserve_ids(self, session: Session, table: Table, count: int) -> Sequence[int]:
        # Tables are AUTOINCREMENT, so SQLite keeps the high-water mark in sqlite_sequence and
        # never hands out an id at or below it. Raising it is a write, which takes the database
        # write lock first, so no other connection can take the same ids.
        session.execute(
            text(
                "INSERT INTO sqlite_sequence (name, seq) "
                f"SELECT :name, coalesce((SELECT max(id) FROM {table.name}), 0) "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :name)"
            ),
            {"name": table.name},
        )
        last = session.execute(
            text("UPDATE sqlite_sequence SET seq = seq + :n WHERE name = :name RETURNING seq"),
            {"n": count, "name": table.name},
        ).scalar_one()
        return range(last - count + 1, last + 1)

    def bulk_insert(
        self,
        session: Session,
        table: Table,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        prepared: bool = False,
    ) -> None:
        # SQLAlchemy's executemany path costs a dict per row; the driver's own executemany with
        # positional tuples is several times faster and runs in the session's transaction.
        statement = (
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        if not prepared:
            rows = _prepared_rows(session, table, columns, rows)
        session.connection().exec_driver_sql(statement, list(rows))


class PostgresDialect(Dialect):
    name = "postgresql"
    server_process = True
    inserts = postgresql

    def epoch_seconds(self, column: Column) -> ColumnElement[int]:
        return cast(func.floor(func.extract("epoch", column)), BigInteger)

    def wrote_in_transaction(self, session: Session) -> bool:
        # A transaction gets its id with its first write.
        wrote = session.execute(text("SELECT pg_current_xact_id_if_assigned() IS NOT NULL"))
        return bool(wrote.scalar_one())

    def time_fingerprint(self, column: Column) -> ColumnElement[int]:
        micros = cast(func.floor(func.extract("epoch", column) * 1_000_000), BigInteger)
        return micros % FINGERPRINT_MODULUS

    def refresh_statistics(self, session: Session, table: Table) -> None:
        # Statistics of a table filled inside one transaction still say "empty", so key
        # lookups scan every row of the workspace per batch. ANALYZE counts the transaction's
        # own inserts, after which the planner uses the unique indexes.
        session.execute(text(f"ANALYZE {table.name}"))

    def one_of(self, column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
        # One array parameter, unnested into a semi-join: a long IN list of parameters is
        # compared row by row when the planner (which has not seen this transaction's rows)
        # picks a sequential scan, and grows quadratically during an import.
        keys = bindparam("one_of_values", list(values), type_=ARRAY(column.type))
        return column.in_(select(func.unnest(keys)).scalar_subquery())

    def insert_new_rows_returning(
        self,
        session: Session,
        table: Table,
        unique: str,
        rows: Sequence[Mapping[str, Any]],
        returning: Sequence[str],
    ) -> list[tuple[Any, ...]]:
        # INSERT ... SELECT unnest(array), ... per column: one short statement whatever the
        # row count, where a multi-row VALUES list of rows x columns parameters is rendered,
        # parsed by the driver and parsed and bound by the server for every batch.
        names = list(rows[0])
        columns = {
            name: bindparam(
                f"rows_{name}", [row[name] for row in rows], type_=ARRAY(table.c[name].type)
            )
            for name in names
        }
        source = select(*(func.unnest(column) for column in columns.values()))
        statement = (
            postgresql.insert(table)
            .from_select(names, source)
            .on_conflict_do_nothing(index_elements=[unique])
            .returning(*(table.c[name] for name in returning))
        )
        return [tuple(row) for row in session.execute(statement)]

    def in_batch(self, column: Column, values: Sequence[Any]) -> ColumnElement[bool]:
        # = ANY(array) is what PostgreSQL makes of an IN list: the same plans, one parameter.
        batch = bindparam("in_batch", list(values), type_=ARRAY(column.type), unique=True)
        return column == any_(batch)

    def reserve_ids(self, session: Session, table: Table, count: int) -> Sequence[int]:
        # Values may interleave with other writers' (sequences are not gap-free); every value
        # nextval hands out is ours alone, which is all a bulk write needs. Usually they are
        # one run of numbers: then only its ends travel back, else every value. The sequence
        # is looked up once (per value, the look-up cost several times the nextval).
        reserve = text(
            "WITH sequence AS MATERIALIZED "
            "(SELECT pg_get_serial_sequence(:table, 'id')::regclass AS name), "
            "reserved AS (SELECT nextval(name) AS id FROM sequence, generate_series(1, :n)) "
            "SELECT min(id), max(id), CASE WHEN max(id) - min(id) + 1 = count(*) THEN NULL "
            "ELSE array_agg(id ORDER BY id) END FROM reserved"
        )
        low, high, scattered = session.execute(reserve, {"table": table.name, "n": count}).one()
        return range(low, high + 1) if scattered is None else scattered

    def _bulk_value(self, value: Any) -> Any:
        from psycopg.types.json import Json, Jsonb  # the PostgreSQL extra's driver

        # COPY writes text: a JSON document serialised once, not once per row it is in.
        if isinstance(value, Json | Jsonb):
            return (value.dumps or json.dumps)(value.obj)
        return value

    def bulk_insert(
        self,
        session: Session,
        table: Table,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        prepared: bool = False,
    ) -> None:
        if not prepared:
            rows = _prepared_rows(session, table, columns, rows)
        self._copy(session, table, columns, rows)

    def bulk_insert_columns(
        self,
        session: Session,
        table: Table,
        count: int,
        columns: Mapping[str, Sequence[Any]],
        constants: Mapping[str, Any],
    ) -> None:
        names, data, fixed = self._driver_columns(session, table, columns, constants)
        kinds = [_binary_kind(session, table.c[name]) for name in names]
        values = [*data, *([value] for value in fixed)]
        # COPY's binary format when every column allows: the server parses no text (times
        # above all) and the driver formats less. Else (a type or value it would not take
        # safely, such as a float for a numeric) the text format, as ``bulk_insert``.
        types: list[str] | None = None
        if all(_binary_fits(kind, column) for kind, column in zip(kinds, values, strict=True)):
            for index, kind in enumerate(kinds):
                if kind == JSONB_BINARY:
                    values[index] = _jsonb_binary(values[index])
            types = [_COPY_TYPES[kind] for kind in kinds if kind is not None]
        cells = [*values[: len(data)], *(repeat(v[0], count) for v in values[len(data) :])]
        self._copy(session, table, names, zip(*cells, strict=True), types)

    def _copy(
        self,
        session: Session,
        table: Table,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        binary_types: Sequence[str] | None = None,
    ) -> None:
        """COPY driver values into ``table``: text format, or binary with ``binary_types``
        (the type each column's values are written as)."""
        import psycopg  # the PostgreSQL extra's driver

        raw: Any = session.connection().connection.dbapi_connection  # a psycopg Connection
        statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        if binary_types is not None:
            statement += " (FORMAT BINARY)"
        try:
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                if binary_types is not None:
                    copy.set_types(binary_types)
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
        except psycopg.IntegrityError as error:  # as SQLAlchemy reports it for other writes
            raise IntegrityError(statement, None, error) from error


def dialect_of(session: Session) -> Dialect:
    """The dialect object for the database ``session`` is bound to (one per backend: they
    hold no state, so callers may key caches by them)."""
    name = session.get_bind().dialect.name
    dialect = _DIALECTS.get(name)
    if dialect is None:
        raise ValueError(f"unsupported database backend {name!r}: use SQLite or PostgreSQL")
    return dialect


_DIALECTS: dict[str, Dialect] = {"sqlite": SqliteDialect(), "postgresql": PostgresDialect()}


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows (dicts) through the backend's bulk path (the driver's own executemany,
    COPY) rather than SQLAlchemy's per-row parameter handling: for the many small rows of
    one unit of work (trail lines, step rows, tasks). A column a row leaves out is NULL or
    the database's default (SQLAlchemy's Python-side defaults are not applied). Pending ORM
    changes are flushed first, so rows they reference exist."""
    if not rows:
        return
    session.flush()
    by_columns: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        by_columns.setdefault(tuple(row), []).append(row)
    for columns, group in by_columns.items():
        values = [tuple(row[name] for name in columns) for row in group]
        dialect_of(session).bulk_insert(session, table, columns, values)


def _prepared_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Iterator[tuple[Any, ...]]:
    """Rows with SQLAlchemy's Python-to-driver conversion applied (JSON text, UTC times).

    Bulk rows repeat values (the same timestamp, the same empty document), so each column's
    conversions are memoised: by value when hashable, else by object identity (the rows, and
    so the objects, stay alive for the whole call).
    """
    dialect = session.get_bind().dialect
    converters: list[tuple[int, Any, dict[Any, Any]]] = []
    for index, name in enumerate(columns):
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            converters.append((index, processor, {}))
    if not converters:
        yield from (tuple(row) for row in rows)
        return
    for row in rows:
        values = list(row)
        for index, processor, memo in converters:
            value = values[index]
            if value is None:
                continue
            # By type too: True == 1 == 1.0 share a hash but are different JSON values.
            key = (type(value), value) if value.__hash__ is not None else id(value)
            converted = memo.get(key, _MISSING)
            if converted is _MISSING:
                converted = memo[key] = processor(value)
                if len(memo) > 10_000:
                    memo.clear()
            values[index] = converted
        yield tuple(values)


_MISSING = object()

JSONB_BINARY = "jsonb"
_COPY_TYPES = {
    "int2": "int2",
    "int4": "int4",
    "int8": "int8",
    "bool": "bool",
    "text": "text",
    "timestamptz": "timestamptz",
    # jsonb's binary input reads a version number (1), then the JSON text: written as text
    # (the driver's text dumper is compiled, its bytea one is not).
    JSONB_BINARY: "text",
}
"""The binary COPY types of the column kinds written in binary, as psycopg names them."""
_KIND_OF_TYPE = {
    "SMALLINT": "int2",
    "INTEGER": "int4",
    "BIGINT": "int8",
    "BOOLEAN": "bool",
    "VARCHAR": "text",
    "TEXT": "text",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "JSONB": JSONB_BINARY,
}
_INTEGER_RANGES = {"int2": 2**15, "int4": 2**31, "int8": 2**63}
_VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "int2": (int,),
    "int4": (int,),
    "int8": (int,),
    "bool": (bool,),
    "text": (str,),
    "timestamptz": (datetime,),
    JSONB_BINARY: (str,),  # JSON text, as ``_bulk_value`` leaves it
}


def _binary_kind(session: Session, column: ColumnElement[Any]) -> str | None:
    """How a column's driver values are written in COPY's binary format (None: not at all)."""
    compiled = column.type.compile(dialect=session.get_bind().dialect)
    return _KIND_OF_TYPE.get(compiled.split("(", 1)[0])


def _binary_fits(kind: str | None, values: Sequence[Any]) -> bool:
    """Whether every value can be written as ``kind`` exactly (the driver's binary integers
    wrap around instead of failing, so the range is checked here)."""
    if kind is None:
        return False
    present = [value for value in values if value is not None]
    allowed = _VALUE_TYPES[kind]
    if not set(map(type, present)) <= set(allowed):
        return False
    limit = _INTEGER_RANGES.get(kind)
    return limit is None or not present or (-limit <= min(present) and max(present) < limit)


def _jsonb_binary(texts: Sequence[Any]) -> list[Any]:
    """JSON texts as jsonb's binary input (version 1, then the text)."""
    return [None if text is None else "\x01" + text for text in texts]


def _json_array(text: str) -> Any:
    """``json.loads(text)`` in a third of the time: pydantic's parser, which gives the same
    values, and the standard library's for the text it refuses (lone UTF-16 surrogates)."""
    try:
        return from_json(text, cache_strings=False)
    except ValueError:
        return json.loads(text)
