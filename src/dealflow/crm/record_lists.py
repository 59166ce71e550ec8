"""Lists of the records a principal may see, for machines: filters, sorting, keyset pages.

A page ends at a position (the sort values and the id of its last row) and the next page
starts strictly after it, so records inserted or deleted meanwhile never shift, repeat or
skip the rows that follow. NULLs sort last in both directions; the id breaks ties.

Filters are data (``Condition``: field, operator, value), so a richer filter language (the
workflows') can produce them without touching the query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from dealflow.core import driver_sql
from dealflow.core.dialect import Dialect, dialect_of
from dealflow.core.errors import InvalidFieldsError
from dealflow.crm import access, values
from dealflow.crm.access import Principal
from dealflow.crm.contacts import BANDS
from dealflow.crm.objects import (
    ACTIVITY_KINDS,
    LEAD_STATUSES,
    LIFECYCLE_STAGES,
    TASK_STATUSES,
    TICKET_PRIORITIES,
    TICKET_STATUSES,
)
from dealflow.models import Activity, Company, Contact, Deal, Ticket

MAX_PAGE_SIZE = 200
MAX_SORT_KEYS = 3
MAX_SEARCH_LENGTH = 200
SAME_WHEN_EQUAL = frozenset({int, str, bool, datetime, date})
"""Column types whose driver values are equal only when they are the same value (and JSON
columns, read as text)."""
ROWS_QUERIES_KEPT = 256
"""First-page statements of ``list_rows`` kept built (per principal and request)."""


@dataclass(frozen=True)
class Condition:
    """One filter: ``field`` ``op`` ``value`` (the value as given; the list parses it)."""

    field: str
    value: Any
    """Hashable (a ``ListRequest`` keys the cache of built statements)."""
    op: str = "eq"


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool = False

    def __str__(self) -> str:
        return f"-{self.field}" if self.descending else self.field


@dataclass(frozen=True)
class ListRequest:
    """Which page of which records: filters, a search text, the order and the position."""

    object_type: str
    conditions: tuple[Condition, ...] = ()
    search: str = ""
    sort: tuple[SortKey, ...] = ()
    after: tuple[Any, ...] | None = None
    """The position of the last row already seen (from ``RecordPage.next_position``)."""
    limit: int = 50


@dataclass(frozen=True)
class RecordPage:
    records: list[Any]
    next_position: tuple[Any, ...] | None
    """Where the next page starts (JSON-safe values), or None on the last page."""


@dataclass(frozen=True)
class RowPage:
    """A page of rows as the database driver gives them (tuples of ``names``, JSON columns
    as text): nothing converted yet, so a writer that has written a row before may reuse
    what it wrote. ``columns`` converts them to Python values."""

    names: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    next_position: tuple[Any, ...] | None
    """As ``RecordPage.next_position``."""
    converter: RowConverter

    def columns(self, rows: Sequence[tuple[Any, ...]] | None = None) -> dict[str, list[Any]]:
        """The values of ``rows`` (default: the page's) by column, converted as SQLAlchemy
        converts them (times, flags) and JSON decoded."""
        return self.converter(self.rows if rows is None else rows)

    def records(self) -> list[dict[str, Any]]:
        """The page's rows converted, each a dict of its columns."""
        rows = zip(*self.columns().values(), strict=True)
        return [dict(zip(self.names, row, strict=True)) for row in rows]


@dataclass(frozen=True, eq=False)
class RowConverter:
    """Turns driver rows of a list's statement into columns of Python values: each column
    through its type's result processor, each JSON column decoded in one call."""

    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    documents: frozenset[str]
    decode: Callable[[list[Any]], list[Any]]
    inexact: tuple[int, ...]
    """Positions of the columns whose driver values may be equal without being the same
    value (floats: -0.0 == 0.0; decimals: 1.0 == 1.00). In every other column equal values
    are the same: PostgreSQL gives each column one type, and SQLite keeps an integral REAL
    as an INTEGER in the columns of integer, numeric (times, flags, JSON) and text
    affinity (as text there), so 1 and 1.0 never meet in one column."""

    def __call__(self, rows: Sequence[tuple[Any, ...]]) -> dict[str, list[Any]]:
        if not rows:
            return {name: [] for name in self.names}
        columns: dict[str, list[Any]] = {}
        for name, given, processor in zip(
            self.names, zip(*rows, strict=True), self.processors, strict=True
        ):
            if name in self.documents:  # (read as text: its processor is not for text)
                columns[name] = self.decode(list(given))
            elif processor is None:
                columns[name] = list(given)
            else:
                columns[name] = list(map(processor, given))
        return columns


@dataclass(frozen=True)
class Filter:
    """A standard field a list can be narrowed by: its column, how a given value is parsed,
    and the values it can take when they are a fixed set."""

    column: Any
    parse: values.Parser
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    """A regular expression every acceptable value matches (for documentation)."""


@dataclass(frozen=True)
class ListSpec:
    """What one object type's list can be filtered, searched and sorted by."""

    model: Any
    filters: Mapping[str, Filter]
    sorts: Mapping[str, Any]
    search: Callable[[str], ColumnElement[bool]]
    default_sort: tuple[SortKey, ...] = field(default=(SortKey("id"),))


def _integer(raw: Any) -> int:
    """A whole number that fits a database id (checked before converting, so a huge
    exponent costs nothing)."""
    number = values.parse_decimal(raw)
    if number != number.to_integral_value() or not -(2**63) < number < 2**63:
        raise ValueError(f"{raw!r} is not a whole number that can be an id")
    return int(number)


def _lower_text(raw: Any) -> str:
    return values.parse_text(raw).lower()


def _enum(column: Any, options: tuple[str, ...]) -> Filter:
    return Filter(column, values.enum_parser(options), options)


def _contains(*columns: Any) -> Callable[[str], ColumnElement[bool]]:
    def search(text: str) -> ColumnElement[bool]:
        return or_(*(column.ilike(f"%{text}%") for column in columns))

    return search


def _contact_search(text: str) -> ColumnElement[bool]:
    """Name or email contains the text (case-insensitive on both databases)."""
    return _contains(Contact.first_name, Contact.last_name, Contact.email)(text)


LISTS: dict[str, ListSpec] = {
    "contacts": ListSpec(
        model=Contact,
        filters={
            "lifecycle_stage": _enum(Contact.lifecycle_stage, LIFECYCLE_STAGES),
            "lead_status": _enum(Contact.lead_status, LEAD_STATUSES),
            "band": _enum(Contact.score_band, BANDS),
            "owner_id": Filter(Contact.owner_id, _integer),
            "company_id": Filter(Contact.company_id, _integer),
            "email": Filter(Contact.email, _lower_text),
            "source": Filter(Contact.source, values.parse_text),
            "country": Filter(Contact.country, values.parse_text),
            "language": Filter(Contact.language, values.parse_text),
        },
        sorts={
            "id": Contact.id,
            "score": Contact.score,
            "scored_at": Contact.scored_at,
            "created_at": Contact.created_at,
            "updated_at": Contact.updated_at,
            "last_name": Contact.last_name,
            "email": Contact.email,
        },
        search=_contact_search,
    ),
    "companies": ListSpec(
        model=Company,
        filters={
            "owner_id": Filter(Company.owner_id, _integer),
            "parent_company_id": Filter(Company.parent_company_id, _integer),
            "domain": Filter(Company.domain, values.parse_text),
            "industry": Filter(Company.industry, values.parse_text),
            "country": Filter(Company.country, values.parse_text),
        },
        sorts={
            "id": Company.id,
            "name": Company.name,
            "employees": Company.employees,
            "created_at": Company.created_at,
            "updated_at": Company.updated_at,
        },
        search=_contains(Company.name, Company.domain),
    ),
    "deals": ListSpec(
        model=Deal,
        filters={
            "owner_id": Filter(Deal.owner_id, _integer),
            "pipeline_id": Filter(Deal.pipeline_id, _integer),
            "stage_id": Filter(Deal.stage_id, _integer),
            "company_id": Filter(Deal.company_id, _integer),
            "band": _enum(Deal.win_band, BANDS),
            "currency": Filter(Deal.currency, values.parse_currency, pattern="^[A-Za-z]{3}$"),
        },
        sorts={
            "id": Deal.id,
            "name": Deal.name,
            "amount": Deal.amount,
            "close_date": Deal.close_date,
            "win_probability": Deal.win_probability,
            "stalled_since": Deal.stalled_since,
            "created_at": Deal.created_at,
            "updated_at": Deal.updated_at,
        },
        search=_contains(Deal.name),
    ),
    "tickets": ListSpec(
        model=Ticket,
        filters={
            "status": _enum(Ticket.status, TICKET_STATUSES),
            "priority": _enum(Ticket.priority, TICKET_PRIORITIES),
            "channel": Filter(Ticket.channel, values.parse_text),
            "owner_id": Filter(Ticket.owner_id, _integer),
            "contact_id": Filter(Ticket.contact_id, _integer),
            "company_id": Filter(Ticket.company_id, _integer),
        },
        sorts={
            "id": Ticket.id,
            "created_at": Ticket.created_at,
            "updated_at": Ticket.updated_at,
            "closed_at": Ticket.closed_at,
        },
        search=_contains(Ticket.subject),
    ),
    "activities": ListSpec(
        model=Activity,
        filters={
            "kind": _enum(Activity.kind, ACTIVITY_KINDS),
            "status": _enum(Activity.status, TASK_STATUSES),
            "owner_id": Filter(Activity.owner_id, _integer),
            "contact_id": Filter(Activity.contact_id, _integer),
            "company_id": Filter(Activity.company_id, _integer),
            "deal_id": Filter(Activity.deal_id, _integer),
            "ticket_id": Filter(Activity.ticket_id, _integer),
        },
        sorts={
            "id": Activity.id,
            "occurred_at": Activity.occurred_at,
            "due_at": Activity.due_at,
            "created_at": Activity.created_at,
        },
        search=_contains(Activity.subject),
    ),
}


def list_records(session: Session, principal: Principal, request: ListRequest) -> RecordPage:
    """One page of the records of ``request.object_type`` that ``principal`` may see."""
    spec = LISTS[request.object_type]
    statement, keys = _first_page_query(spec, principal, request, select(spec.model))
    records = list(session.scalars(_from_position(statement, keys, request.after)))
    return _paged(records, request.limit, keys)


def list_rows(session: Session, principal: Principal, request: ListRequest) -> RowPage:
    """The same page as ``list_records`` as the driver's rows of its table's columns (no
    ORM objects, no conversion until asked: for lists served to machines in bulk)."""
    dialect = dialect_of(session)
    statement, keys, _ = _rows_query(dialect, principal, replace(request, after=None))
    connection = session.connection()
    if request.after is None:  # a first page: its statement is built and compiled once
        codes, rows = driver_sql.compiled(statement, connection.dialect).execute(connection)
    else:
        result = connection.execute(_from_position(statement, keys, request.after))
        try:  # the driver's rows as they are: converted only where a writer needs it
            codes = tuple(column[1] for column in result.cursor.description)
            rows = list(result.cursor.fetchall())
        finally:
            result.close()
    converter = _converter(dialect, connection.dialect, request.object_type, codes)
    position = None
    if len(rows) > request.limit:
        del rows[request.limit :]
        last = converter(rows[-1:])
        position = tuple(values.to_json_value(last[column.key][0]) for column, _ in keys)
    return RowPage(converter.names, rows, position, converter)


@lru_cache(maxsize=64)
def _converter(
    dialect: Dialect, driver: Any, object_type: str, type_codes: tuple[Any, ...]
) -> RowConverter:
    """The converter of ``list_rows``' rows of ``object_type`` on ``dialect`` (``driver``:
    SQLAlchemy's), whose cursor reported ``type_codes`` for its columns."""
    table = LISTS[object_type].model.__table__
    documents = frozenset(column.key for column in table.columns if _is_document(column))
    processors = driver_sql.result_processors(
        driver, [column.type for column in table.columns], type_codes
    )
    names = tuple(column.key for column in table.columns)
    inexact = tuple(
        index
        for index, column in enumerate(table.columns)
        if column.key not in documents and _python_type(column) not in SAME_WHEN_EQUAL
    )
    return RowConverter(names, processors, documents, dialect.decode_json_text, inexact)


def _python_type(column: Any) -> type:
    """The Python type of a column's values (a TypeDecorator's: its implementation's)."""
    kind = column.type
    try:
        return getattr(kind, "impl_instance", kind).python_type
    except NotImplementedError:
        return object


def _is_document(column: Any) -> bool:
    return isinstance(column.type, JSON)


@lru_cache(maxsize=ROWS_QUERIES_KEPT)
def _rows_query(
    dialect: Dialect, principal: Principal, request: ListRequest
) -> tuple[Select[Any], list[tuple[Any, bool]], tuple[str, ...]]:
    """``list_rows``' statement for the first page of ``request`` (JSON columns read as
    text), its sort keys and its JSON columns. Kept per principal and request: a statement
    built once is also compiled once, and hot lists (a dashboard's, a sync script's) ask for
    the same page again."""
    spec = LISTS[request.object_type]
    table = spec.model.__table__
    documents = tuple(column.key for column in table.columns if _is_document(column))
    selected = [
        dialect.json_text(column).label(column.key) if column.key in documents else column
        for column in table.columns
    ]
    statement, keys = _first_page_query(spec, principal, request, select(*selected))
    return statement, keys, documents


def _first_page_query(
    spec: ListSpec, principal: Principal, request: ListRequest, statement: Select[Any]
) -> tuple[Select[Any], list[tuple[Any, bool]]]:
    """``statement`` narrowed to the visible rows of the request, in its order, one row
    past the page (to tell whether another page follows); and the sort keys."""
    where, keys = _checked(spec, request)
    statement = (
        statement.where(access.visible(principal, request.object_type), *where)
        .order_by(*(_ordered(column, descending) for column, descending in keys))
        .limit(request.limit + 1)
    )
    return statement, keys


def _from_position(
    statement: Select[Any], keys: list[tuple[Any, bool]], after: tuple[Any, ...] | None
) -> Select[Any]:
    """``statement`` starting strictly after the position ``after`` (None: from the start)."""
    if after is None:
        return statement
    columns = [column for column, _ in keys]
    return statement.where(after_position(keys, _typed_position(columns, after)))


def _paged(records: list[Any], limit: int, keys: Sequence[tuple[Any, bool]]) -> RecordPage:
    if len(records) <= limit:
        return RecordPage(records, None)
    records = records[:limit]
    last = records[-1]
    read = (lambda key: last[key]) if isinstance(last, dict) else (lambda key: getattr(last, key))
    position = tuple(values.to_json_value(read(column.key)) for column, _ in keys)
    return RecordPage(records, position)


def sort_keys(spec: ListSpec, sort: Sequence[SortKey]) -> list[tuple[Any, bool]]:
    """The (column, descending) keys of ``sort`` with the id as the final tie-breaker."""
    keys = [(spec.sorts[key.field], key.descending) for key in sort if key.field != "id"]
    id_descending = next((key.descending for key in sort if key.field == "id"), None)
    if id_descending is None:
        id_descending = keys[0][1] if keys else False
    return [*keys, (spec.model.id, id_descending)]


def after_position(keys: Sequence[tuple[Any, bool]], position: Sequence[Any]) -> Any:
    """The rows strictly after ``position`` in the order of ``keys`` (NULLs last; the last
    key is the id, which is never NULL)."""
    (column, descending), *rest = keys
    value, *remaining = position
    if not rest:
        return column < value if descending else column > value
    tail = after_position(rest, remaining)
    if value is None:  # (SQLAlchemy refuses to compare with None by < or >)
        return and_(column.is_(None), tail)
    beyond = column < value if descending else column > value
    return or_(beyond, column.is_(None), and_(column == value, tail))


def _ordered(column: Any, descending: bool) -> Any:
    """The ORDER BY term of a sort key, NULLs last; a column that is never NULL is ordered
    plainly, as its indexes are (``id DESC``), so each database reads them in order."""
    ordered = column.desc() if descending else column.asc()
    return ordered.nulls_last() if column.nullable else ordered


def _checked(
    spec: ListSpec, request: ListRequest
) -> tuple[list[ColumnElement[bool]], list[tuple[Any, bool]]]:
    """The WHERE clauses and sort keys of ``request``, or InvalidFieldsError naming every
    bad filter, sort key or limit."""
    problems: list[tuple[str, str]] = []
    where: list[ColumnElement[bool]] = []
    for condition in request.conditions:
        known = spec.filters.get(condition.field)
        if known is None:
            choices = ", ".join(sorted(spec.filters))
            problems.append((condition.field, f"not a filter of {request.object_type}: {choices}"))
            continue
        if condition.op != "eq":
            problems.append((condition.field, f"operator {condition.op!r} is not supported"))
            continue
        try:
            where.append(known.column == known.parse(condition.value))
        except ValueError as error:
            problems.append((condition.field, str(error)))
    search = request.search.strip()
    if len(search) > MAX_SEARCH_LENGTH:
        problems.append(("q", f"search at most {MAX_SEARCH_LENGTH} characters"))
    elif search:
        where.append(spec.search(search))
    sort = _first_of_each(request.sort)
    unknown = [key.field for key in sort if key.field not in spec.sorts]
    if unknown:
        choices = ", ".join(sorted(spec.sorts))
        problems.append(("sort", f"cannot sort {request.object_type} by {unknown[0]!r}: {choices}"))
    elif len(sort) > MAX_SORT_KEYS:
        problems.append(("sort", f"give up to {MAX_SORT_KEYS} fields"))
    if not 1 <= request.limit <= MAX_PAGE_SIZE:
        problems.append(("limit", f"give 1 to {MAX_PAGE_SIZE}"))
    if problems:
        raise InvalidFieldsError(problems)
    return where, sort_keys(spec, sort or spec.default_sort)


def _first_of_each(sort: Sequence[SortKey]) -> list[SortKey]:
    """The sort keys with repeats of a field dropped (the first one counts)."""
    first: dict[str, SortKey] = {}
    for key in sort:
        first.setdefault(key.field, key)
    return list(first.values())


def _typed_position(columns: Sequence[Any], position: Sequence[Any]) -> list[Any]:
    """``position``'s JSON values as the sort columns' types, or InvalidFieldsError."""
    if len(position) != len(columns):
        raise InvalidFieldsError([("cursor", "it belongs to a list with another order")])
    try:
        return [_typed(column, value) for column, value in zip(columns, position, strict=True)]
    except (TypeError, ValueError, ArithmeticError):
        raise InvalidFieldsError([("cursor", "it is not a cursor of this list")]) from None


def _typed(column: Any, value: Any) -> Any:
    if value is None:
        return None
    python_type = _python_type(column)
    if python_type is datetime:
        return values.datetime_parser()(str(value))
    if python_type is date:
        return date.fromisoformat(str(value))
    if python_type is Decimal:
        return values.parse_decimal(str(value))
    if python_type is int:
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) >= 2**63:
            raise ValueError(value)
        return value
    if python_type is float:
        return float(value)
    if not isinstance(value, str):
        raise ValueError(value)
    return value
