"""The filter language of workflows (and, later, segments): AND/OR groups of conditions on a
record's properties and its associated records' properties.

A filter is a document (YAML or JSON)::

    all:
      - {property: lifecycle_stage, op: in, value: [lead, mql]}
      - any:
          - {property: company.country, op: eq, value: Japan}
          - {property: score, op: gt, value: 70}

``parse_filter`` turns the document into a tree and names the bad part by path;
``check_filter`` checks the properties against an object type's schema (``automate.schema``);
``matches`` evaluates a tree against a record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from dealflow.automate.schema import PropertyKind, PropertySchema

SCALAR_OPS = ("eq", "neq", "contains", "gt", "lt")
OPS = (*SCALAR_OPS, "in", "between", "is_known", "is_unknown", "changed_within")
ORDERED_OPS = ("gt", "lt", "between")
ORDERED_KINDS = (PropertyKind.number, PropertyKind.date)


class FilterError(ValueError):
    """A bad filter; ``path`` says where (``all[1].value``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Condition:
    property: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class Group:
    mode: str  # "all" (AND) or "any" (OR)
    items: tuple[Filter, ...]


Filter = Condition | Group


def parse_filter(raw: Any, path: str = "") -> Filter:
    """The filter tree of a document; a FilterError names the path of the first bad part."""
    if not isinstance(raw, dict):
        raise FilterError(path, "expected a condition {property, op, value} or a group {all|any}")
    groups = [key for key in ("all", "any") if key in raw]
    if groups:
        if len(raw) != 1:
            raise FilterError(path, "a group has exactly one key, 'all' or 'any'")
        mode = groups[0]
        items = raw[mode]
        where = _join(path, mode)
        if not isinstance(items, list) or not items:
            raise FilterError(where, "expected a non-empty list of conditions or groups")
        return Group(
            mode, tuple(parse_filter(item, f"{where}[{i}]") for i, item in enumerate(items))
        )
    return _parse_condition(raw, path)


def filter_document(tree: Filter) -> dict[str, Any]:
    """The document form of a tree (``parse_filter`` of it gives the same tree)."""
    if isinstance(tree, Group):
        return {tree.mode: [filter_document(item) for item in tree.items]}
    document: dict[str, Any] = {"property": tree.property, "op": tree.op}
    if tree.op not in ("is_known", "is_unknown"):
        document["value"] = list(tree.value) if isinstance(tree.value, tuple) else tree.value
    return document


def _parse_condition(raw: dict[str, Any], path: str) -> Condition:
    unknown = sorted(set(raw) - {"property", "op", "value"})
    if unknown:
        raise FilterError(_join(path, unknown[0]), "unknown key; use property, op and value")
    name = raw.get("property")
    if not isinstance(name, str) or not name.strip():
        raise FilterError(_join(path, "property"), "expected a property name like 'country'")
    op = raw.get("op")
    if op not in OPS:
        raise FilterError(_join(path, "op"), f"expected one of: {', '.join(OPS)}")
    value_path = _join(path, "value")
    if op in ("is_known", "is_unknown"):
        if raw.get("value") is not None:
            raise FilterError(value_path, f"{op} takes no value")
        return Condition(name, op)
    if "value" not in raw:
        raise FilterError(value_path, f"{op} needs a value")
    return Condition(name, op, _parse_value(op, raw["value"], value_path))


def _parse_value(op: str, value: Any, path: str) -> Any:
    if op == "in":
        if not isinstance(value, list) or not value:
            raise FilterError(path, "expected a non-empty list of values")
        return tuple(_scalar(item, f"{path}[{i}]") for i, item in enumerate(value))
    if op == "between":
        if not isinstance(value, list) or len(value) != 2:
            raise FilterError(path, "expected a list of two values [low, high]")
        low, high = (_ordered(item, f"{path}[{i}]") for i, item in enumerate(value))
        if _order_key(low) > _order_key(high):
            raise FilterError(path, "the low value is above the high one")
        return (low, high)
    if op == "changed_within":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise FilterError(path, "expected a whole number of days, 1 or more")
        return value
    if op in ("gt", "lt"):
        return _ordered(value, path)
    if op == "contains":
        if not isinstance(value, str) or not value:
            raise FilterError(path, "expected some text")
        return value
    return _scalar(value, path)


def _scalar(value: Any, path: str) -> Any:
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise FilterError(path, "expected text, a number or true/false")


def _ordered(value: Any, path: str) -> Any:
    """A number, or a date/time (kept as ISO text)."""
    if isinstance(value, bool):
        raise FilterError(path, "expected a number or a date like 2026-03-01")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, str) and as_moment(value) is not None:
        return value
    raise FilterError(path, "expected a number or a date like 2026-03-01")


def _order_key(value: Any) -> tuple[int, Any]:
    moment = as_moment(value) if isinstance(value, str) else None
    return (1, moment) if moment is not None else (0, float(value))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# --- Checking a filter against an object type's properties -------------------------------


def check_filter(tree: Filter, schema: PropertySchema, path: str = "") -> None:
    """Raise FilterError when a condition names an unknown property or an operator that does
    not fit the property's kind (``gt`` on text), or an option the property does not have."""
    if isinstance(tree, Group):
        for i, item in enumerate(tree.items):
            check_filter(item, schema, f"{_join(path, tree.mode)}[{i}]")
        return
    where = _join(path, "property")
    try:
        prop = schema.resolve(tree.property)
    except KeyError as error:
        raise FilterError(where, str(error.args[0])) from None
    if tree.op in ORDERED_OPS and prop.kind not in ORDERED_KINDS:
        raise FilterError(
            _join(path, "op"),
            f"{tree.op} needs a number or date property; {prop.name} is {prop.kind}",
        )
    if tree.op == "contains" and prop.kind != PropertyKind.text:
        raise FilterError(
            _join(path, "op"), f"contains needs a text property; {prop.name} is {prop.kind}"
        )
    if prop.options and tree.op in ("eq", "neq", "in"):
        given = tree.value if tree.op == "in" else (tree.value,)
        for value in given:
            if value not in prop.options:
                raise FilterError(
                    _join(path, "value"),
                    f"{value!r} is not an option of {prop.name}: {', '.join(prop.options)}",
                )


# --- Evaluating a filter ----------------------------------------------------------------


class Subject(Protocol):
    """What a filter reads of a record: values by property path (several through a to-many
    association, like a deal's contacts) and when a property last changed."""

    def values(self, prop: str) -> Sequence[Any]: ...

    def changed_since(self, prop: str, since: datetime) -> bool: ...


def matches(tree: Filter, subject: Subject, now: datetime) -> bool:
    """Whether the record satisfies the filter (a to-many property matches if any value does)."""
    if isinstance(tree, Group):
        results = (matches(item, subject, now) for item in tree.items)
        return all(results) if tree.mode == "all" else any(results)
    if tree.op == "changed_within":
        return subject.changed_since(tree.property, now - timedelta(days=tree.value))
    values = list(subject.values(tree.property)) or [None]
    return any(_holds(tree, value) for value in values)


def _holds(condition: Condition, value: Any) -> bool:
    op, expected = condition.op, condition.value
    known = value is not None and value != ""
    if op == "is_known":
        return known
    if op == "is_unknown":
        return not known
    if op == "neq":
        return not known or not _equal(value, expected)
    if not known:
        return False
    if op == "eq":
        return _equal(value, expected)
    if op == "in":
        return any(_equal(value, option) for option in expected)
    if op == "contains":
        return str(expected).casefold() in str(value).casefold()
    if op == "between":
        low, high = (_compare(value, bound) for bound in expected)
        return low is not None and high is not None and low >= 0 and high <= 0
    comparison = _compare(value, expected)
    if comparison is None:
        return False
    return comparison > 0 if op == "gt" else comparison < 0


def _equal(value: Any, expected: Any) -> bool:
    if isinstance(value, bool) or isinstance(expected, bool):
        return bool(value == expected)
    if isinstance(expected, (int, float)) or isinstance(value, (int, float, Decimal)):
        number = _as_number(value)
        other = _as_number(expected)
        return number is not None and other is not None and number == other
    if isinstance(value, (date, datetime)):
        moment = as_moment(expected)
        return moment is not None and as_moment(value) == moment
    return str(value).casefold() == str(expected).casefold()


def _compare(value: Any, expected: Any) -> int | None:
    """-1, 0 or 1; None when the value cannot be compared with ``expected`` (no match)."""
    left: Any
    right: Any
    if isinstance(expected, (int, float)):
        left, right = _as_number(value), float(expected)
    else:
        left, right = as_moment(value), as_moment(expected)
    if left is None or right is None:
        return None
    return int(left > right) - int(left < right)


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def as_moment(value: Any) -> datetime | None:
    """A date or time as an aware datetime (a date is its midnight UTC)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            return as_moment(datetime.fromisoformat(value))
        except ValueError:
            return None
    return None
