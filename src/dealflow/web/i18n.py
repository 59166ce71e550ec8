"""Translations (gettext catalogues read from .po files at start-up) and locale formatting.

The catalogues live in ``translations/<locale>/LC_MESSAGES/messages.po``; they are compiled
in memory when first used, so nobody runs a compile step.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations

from dealflow.crm.users import LOCALES
from dealflow.web.labels import LABELS

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
LANGUAGE_NAMES = {"en": "English", "ja": "日本語", "ko": "한국어", "fa": "فارسی"}
"""Each language in its own words, for the language switcher."""


@cache
def catalogue(locale: str) -> Translations:
    """The compiled translations of ``locale`` (English texts are their own translation)."""
    path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale not in LOCALES or not path.exists():
        return Translations()
    with path.open("rb") as po_file:
        messages = read_po(po_file, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled)


def negotiate(accept_language: str | None) -> str:
    """The best offered locale for an Accept-Language header (English when none fits)."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LOCALES:
            return code
    return "en"


@dataclass(frozen=True)
class Formatter:
    """Formats texts, numbers, money and times for one locale and time zone."""

    locale: str
    time_zone: str = "UTC"

    @property
    def direction(self) -> str:
        return str(Locale.parse(self.locale).text_direction)

    def gettext(self, message: str, **values: object) -> str:
        text = catalogue(self.locale).gettext(message)
        return text % values if values else text

    def text(self, message: str, **values: object) -> str:
        """``gettext``, under the name ``predict.phrases.Words`` gives it."""
        return self.gettext(message, **values)

    def label(self, value: str) -> str:
        """A fixed value of the CRM in words (``web/labels.py``), else as stored."""
        return self.gettext(LABELS[value]) if value in LABELS else value.replace("_", " ")

    def number(self, value: float | int | Decimal | None) -> str:
        return "" if value is None else format_decimal(value, locale=self.locale)

    def money(self, value: Decimal | float | None, currency: str) -> str:
        if value is None:
            return ""
        return format_currency(value, currency, locale=self.locale, format_type="standard")

    def short_money(self, value: Decimal | float | None, currency: str) -> str:
        """Money without cents, for totals and cards."""
        if value is None:
            return ""
        return format_currency(
            round(Decimal(value)),
            currency,
            locale=self.locale,
            currency_digits=False,
            format="¤#,##0",
        )

    def percent(self, value: float | int | None) -> str:
        """``value`` in 0-100."""
        return "" if value is None else format_percent(value / 100, locale=self.locale)

    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(self.zone).date()
        return format_date(value, format="medium", locale=self.locale)

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return format_datetime(value, format="short", tzinfo=self.zone, locale=self.locale)

    @property
    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")
