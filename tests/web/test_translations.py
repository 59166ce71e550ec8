"""Every text of the web app is translated into Japanese, Korean and Persian, with the same
placeholders, and numbers, dates and direction follow the locale."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.pofile import read_po

from dealflow.predict import phrases
from dealflow.web import i18n
from dealflow.web.i18n import Formatter

WEB = Path(i18n.__file__).parent
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def texts_in_the_code() -> set[str]:
    """The msgids ``pybabel extract`` finds with the project's babel.cfg (the web package and
    the score reasons' phrase book)."""
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = extract_from_dir(
        WEB,
        method_map=[("**/templates/**.html", "jinja2"), ("**.py", "python")],
        keywords=keywords,
    )
    texts = {message for _, _, message, _, _ in found if isinstance(message, str)}
    reasons = extract_from_file("python", phrases.__file__, keywords=keywords)
    return texts | {message for _, message, _, _ in reasons if isinstance(message, str)}


def catalogue(locale: str) -> dict[str, str]:
    path = WEB / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        return {m.id: m.string for m in read_po(po_file) if m.id}


@pytest.mark.parametrize("locale", ["ja", "ko", "fa"])
def test_every_text_is_translated_with_the_same_placeholders(locale: str) -> None:
    texts, translations = texts_in_the_code(), catalogue(locale)

    assert texts - set(translations) == set(), "run pybabel extract/update (see babel.cfg)"
    for text in texts:
        assert translations[text], f"{locale}: {text!r} has no translation"
        assert set(PLACEHOLDER.findall(translations[text])) == set(PLACEHOLDER.findall(text))


def test_the_english_catalogue_lists_the_same_texts() -> None:
    assert set(catalogue("en")) == texts_in_the_code()


@pytest.mark.parametrize(
    ("locale", "expected_date", "direction"),
    [
        ("en", "Mar 2, 2026", "ltr"),
        ("ja", "2026/03/02", "ltr"),
        ("ko", "2026. 3. 2.", "ltr"),
        ("fa", "2 مارس 2026", "rtl"),
    ],
)
def test_dates_and_direction_follow_the_locale(
    locale: str, expected_date: str, direction: str
) -> None:
    formatter = Formatter(locale, "Asia/Tokyo")

    assert formatter.date(date(2026, 3, 2)) == expected_date
    assert formatter.direction == direction
    # 20:00 UTC on 1 March is already 2 March in Tokyo
    assert formatter.date(datetime(2026, 3, 1, 20, 0, tzinfo=UTC)) == expected_date


def test_money_and_numbers_use_the_locales_separators() -> None:
    assert Formatter("en").money(Decimal("1234.5"), "USD") == "$1,234.50"
    assert Formatter("ja").short_money(Decimal("1234567.8"), "JPY") == "￥1,234,568"
    assert Formatter("en").percent(42) == "42%"
    assert Formatter("ko").number(1234567) == "1,234,567"


def test_a_translation_fills_in_its_values() -> None:
    assert Formatter("ja").gettext("Due %(date)s", date="2026/03/02") == "期限 2026/03/02"
    assert Formatter("de").gettext("Contacts") == "Contacts"  # unknown locales fall back


def test_accept_language_picks_an_offered_language() -> None:
    assert i18n.negotiate("ko-KR,ko;q=0.9,en;q=0.8") == "ko"
    assert i18n.negotiate("de-DE,fa;q=0.5") == "fa"
    assert i18n.negotiate(None) == "en"
