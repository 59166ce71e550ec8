"""Parsing and validating property values: one function per value kind.

Every parser takes the raw value (usually text from a file or form) and returns the typed
value or raises ``ValueError`` with a reason a person can act on. Empty text means "no value".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import phonenumbers

EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "t", "on"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "f", "off"})

Parser = Callable[[Any], Any]


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_text(raw: Any) -> str:
    return str(raw).strip()


def parse_email(raw: Any) -> str:
    """A syntactically valid address, lower-cased (the CRM matches emails case-insensitively)."""
    value = str(raw).strip().lower()
    if len(value) > 320 or not EMAIL_PATTERN.match(value) or ".." in value:
        raise ValueError(f"{raw!r} is not a valid email address")
    return value


def parse_domain(raw: Any) -> str:
    """A bare domain: scheme, ``www.``, path, query and port are stripped
    (``https://www.acme.com/x?ref=y`` becomes ``acme.com``)."""
    value = str(raw).strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    value = re.split(r"[/?#]", value, maxsplit=1)[0]
    value = without_www(value.split(":", 1)[0].rstrip("."))
    if not DOMAIN_PATTERN.match(value):
        raise ValueError(f"{raw!r} is not a valid domain")
    return value


def without_www(host: str) -> str:
    """``host`` without a leading ``www.`` when a domain follows it (``www.com`` stays)."""
    rest = host.removeprefix("www.")
    return rest if "." in rest else host


def phone_parser(default_region: str | None = None) -> Parser:
    """A parser to E.164 (``+81312345678``); numbers without ``+`` use ``default_region``."""

    def parse_phone(raw: Any) -> str:
        text = str(raw).strip()
        try:
            number = phonenumbers.parse(text, default_region)
        except phonenumbers.NumberParseException as error:
            hint = "" if default_region else " (numbers without +country code need a region)"
            raise ValueError(f"{raw!r} is not a phone number{hint}") from error
        if not phonenumbers.is_possible_number(number):
            raise ValueError(f"{raw!r} is not a possible phone number")
        return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))

    return parse_phone


def parse_decimal(raw: Any) -> Decimal:
    """A number; thousands separators (``1,200.50``) and a leading currency sign are allowed."""
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number")
    if isinstance(raw, int | float | Decimal):
        value = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(",", "").replace("_", "")
        text = text.lstrip("$€£¥₩﷼").strip()
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(f"{raw!r} is not a number") from error
    if not value.is_finite():
        raise ValueError(f"{raw!r} is not a finite number")
    return value


def parse_number(raw: Any) -> float:
    return float(parse_decimal(raw))


def parse_money(raw: Any) -> Decimal:
    value = parse_decimal(raw)
    if abs(value) >= Decimal("1e16"):
        raise ValueError(f"{raw!r} is too large for an amount")
    # Half away from zero, as spreadsheets and PostgreSQL's numeric round (2.665 -> 2.67).
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_integer(raw: Any) -> int:
    value = parse_decimal(raw)
    if value != value.to_integral_value():
        raise ValueError(f"{raw!r} is not a whole number")
    return int(value)


def parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"{raw!r} is not yes/no (use true/false, yes/no or 1/0)")


def date_parser(formats: Sequence[str] = ()) -> Parser:
    """A parser for dates: ISO 8601 always, plus the given ``strptime`` formats."""

    def parse_date(raw: Any) -> date:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = str(raw).strip()
        for fmt in formats:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        try:
            # A timestamp's date part is its date; other trailing text is not ("2026-03-021").
            if len(text) > 10 and text[10] in "T ":
                return date.fromisoformat(text[:10])
            return date.fromisoformat(text)
        except ValueError as error:
            expected = " or ".join([*formats, "YYYY-MM-DD"])
            raise ValueError(f"{raw!r} is not a date ({expected})") from error

    return parse_date


def datetime_parser(formats: Sequence[str] = ()) -> Parser:
    """A parser for timestamps (ISO 8601 or the given formats); naive ones are taken as UTC."""
    parse_day = date_parser(formats)

    def parse_datetime(raw: Any) -> datetime:
        if isinstance(raw, datetime):
            moment: datetime = raw
        else:
            text = str(raw).strip()
            parsed = _parse_datetime_text(text, formats)
            moment = parsed if parsed else datetime.combine(parse_day(text), time())
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    return parse_datetime


def _parse_datetime_text(text: str, formats: Sequence[str]) -> datetime | None:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def enum_parser(options: Sequence[str], aliases: dict[str, str] | None = None) -> Parser:
    """A parser that accepts one of ``options`` (case- and space-insensitive) or an alias."""
    lookup = {_fold(option): option for option in options}
    lookup.update({_fold(alias): target for alias, target in (aliases or {}).items()})
    exact = {option: option for option in options}

    def parse_enum(raw: Any) -> str:
        value = exact.get(raw) if raw.__class__ is str else None
        if value is None:
            value = lookup.get(_fold(str(raw)))
        if value is None:
            raise ValueError(f"{raw!r} is not one of: {', '.join(options)}")
        return value

    return parse_enum


def parse_currency(raw: Any) -> str:
    value = str(raw).strip().upper()
    if not CURRENCY_PATTERN.match(value):
        raise ValueError(f"{raw!r} is not a three-letter currency code (ISO 4217, e.g. USD)")
    return value


def _fold(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.strip().lower())


def to_json_value(value: Any) -> Any:
    """A value as stored in JSON (history, outbox, custom properties)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
