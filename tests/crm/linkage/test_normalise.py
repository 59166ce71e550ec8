"""Comparison keys: two spellings of one value become one string."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dealflow.crm.linkage import normalise

words = st.lists(st.from_regex(r"[a-z]{1,10}", fullmatch=True), min_size=1, max_size=4)


@given(words)
def test_case_accents_and_punctuation_do_not_change_plain_text(parts: list[str]) -> None:
    plain = normalise.plain_text(" ".join(parts))
    noisy = " , ".join(part.upper() for part in parts) + " ."

    assert normalise.plain_text(noisy) == plain
    assert normalise.plain_text(plain) == plain


def test_accented_and_full_width_letters_compare_as_plain_ones() -> None:
    assert normalise.person_name("Dr. José  MÜLLER") == "jose muller"
    assert normalise.plain_text("ＡＢＣ　１２３") == "abc 123"


def test_organisation_names_lose_legal_suffixes_and_filler_words() -> None:
    assert normalise.entity_name("The Apple Pan, Inc.") == "apple pan"
    assert normalise.entity_name("apple pan  the") == "apple pan"
    assert normalise.entity_name("The Company") == "the company"  # nothing else is left


def test_street_words_have_one_short_form() -> None:
    assert normalise.address("435 S. La Cienega Boulevard") == normalise.address(
        "435 s la cienega blv."
    )


@given(
    st.from_regex(r"[2-9][0-9]{2}[2-9][0-9]{6}", fullmatch=True),
    st.sampled_from(["-", "/", " ", "."]),
)
def test_a_phone_number_is_its_last_ten_digits_whatever_the_format(
    digits: str, separator: str
) -> None:
    written = f"+1 ({digits[:3]}){separator}{digits[3:6]}{separator}{digits[6:]} ext. 12"

    assert normalise.phone(written) == digits
    assert normalise.phone("12-34") is None


def test_dates_in_any_one_format_become_year_month_day() -> None:
    iso = normalise.dates(pd.Series(["1971-06-24", None, "1971-13-40"]))
    compact = normalise.dates(pd.Series(["19560409", "19561409"]))

    assert iso.tolist() == ["19710624", None, "19711340"]  # the unreadable keeps its digits
    assert compact.tolist() == ["19560409", "19561409"]


def test_full_width_digits_are_the_same_phone_number() -> None:
    assert normalise.phone("０３－１２３４－５６７８") == "0312345678"
