"""Normalisers: the forms they produce, idempotent, never raising on any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealflow.crm.cleansing import normalise

NORMALISERS = [
    normalise.text,
    normalise.email,
    normalise.domain,
    normalise.country,
    normalise.company_name,
    lambda v: normalise.phone(v, "JP"),
]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_normalisers_never_raise_and_are_idempotent(raw: str) -> None:
    for clean in NORMALISERS:
        once = clean(raw)
        if once is not None:
            assert clean(once) == once, (clean, raw, once)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ACME, INC.", "Acme"),
        ("株式会社トヨタ", "トヨタ"),
        ("(株)ソニー", "ソニー"),
        ("삼성전자(주)", "삼성전자"),
        ("주식회사 카카오", "카카오"),
        ("شرکت ایران خودرو (سهامی خاص)", "ایران خودرو"),
        ("Foo GmbH & Co. KG", "Foo"),
        ("IBM", "IBM"),
    ],
)
def test_company_names_lose_their_legal_form(raw: str, expected: str) -> None:
    assert normalise.company_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Philipines", "PH"), ("Japan", "JP"), ("日本", "JP"), ("대한민국", "KR"), ("ایران", "IR"),
     ("usa", "US"), ("ＪＰ", "JP"), ("JPN", "JP"), ("Narnia", None)],
)  # fmt: skip
def test_countries_read_in_several_languages_and_misspelt(raw: str, code: str | None) -> None:
    assert normalise.country(raw) == code


def test_phones_emails_and_domains() -> None:
    assert normalise.phone("０３-1234-5678", "JP") == "+81312345678"
    assert normalise.phone("+1 (415) 555-2671") == "+14155552671"
    assert normalise.phone("12") is None
    assert normalise.email("  Jo@BÜCHER.de ") == "jo@xn--bcher-kva.de"
    assert normalise.email("not an address") is None
    assert normalise.domain("https://www.Acme.com/about?x=1") == "acme.com"
    assert normalise.domain("sales@acme.co.jp") == "acme.co.jp"
