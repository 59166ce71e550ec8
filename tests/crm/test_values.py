"""Parsing property values from files and forms: each parser accepts what people write,
returns one canonical value, and refuses the rest with a message naming the bad value."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealflow.crm import values
from dealflow.crm.objects import LEAD_STATUSES

OFFSETS = st.sampled_from(
    [UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5, minutes=-30))]
)


def named(raw: object) -> str:
    """A pattern matching an error message that quotes ``raw``."""
    return re.escape(repr(raw))


class TestEmail:
    @given(st.emails())
    def test_valid_addresses_are_accepted_lower_cased(self, address: str) -> None:
        parsed = values.parse_email(address)

        assert parsed == address.lower()
        assert values.parse_email(parsed) == parsed

    @given(st.emails(), st.sampled_from(["", " ", "\t"]), st.sampled_from(["", " ", "\n"]))
    def test_surrounding_whitespace_is_ignored(self, address: str, before: str, after: str) -> None:
        assert values.parse_email(f"{before}{address.upper()}{after}") == address.lower()

    @given(st.text(max_size=60).filter(lambda text: "@" not in text))
    def test_text_without_an_at_sign_is_refused(self, text: str) -> None:
        with pytest.raises(ValueError, match="not a valid email address"):
            values.parse_email(text)

    @given(st.emails(), st.data())
    def test_an_address_with_a_space_inside_is_refused(
        self, address: str, data: st.DataObject
    ) -> None:
        cut = data.draw(st.integers(min_value=1, max_value=len(address) - 1))
        with pytest.raises(ValueError, match="not a valid email address"):
            values.parse_email(f"{address[:cut]} {address[cut:]}")

    @pytest.mark.parametrize(
        "raw", ["ada@", "@example.com", "ada@example", "ada..b@example.com", "ada@exa_mple.com"]
    )
    def test_malformed_addresses_are_refused_by_name(self, raw: str) -> None:
        with pytest.raises(ValueError, match=named(raw) + " is not a valid email address"):
            values.parse_email(raw)


class TestDomain:
    @pytest.mark.parametrize(
        ("raw", "domain"),
        [
            ("acme.com", "acme.com"),
            ("https://www.Acme.com/pricing", "acme.com"),
            ("http://shop.acme.co.jp:8080/x/y", "shop.acme.co.jp"),
            ("www.acme.com.", "acme.com"),
            ("https://acme.com?utm_source=newsletter", "acme.com"),
            ("acme.com#contact", "acme.com"),
            ("  ACME.IO  ", "acme.io"),
        ],
    )
    def test_scheme_www_path_query_and_port_are_stripped(self, raw: str, domain: str) -> None:
        assert values.parse_domain(raw) == domain

    @pytest.mark.parametrize("raw", ["acme", "not a domain", "https://", "acme.c", "-acme.com"])
    def test_non_domains_are_refused_by_name(self, raw: str) -> None:
        with pytest.raises(ValueError, match=named(raw) + " is not a valid domain"):
            values.parse_domain(raw)


class TestPhone:
    @pytest.mark.parametrize(
        ("raw", "region", "e164"),
        [
            ("+81 3-1234-5678", None, "+81312345678"),
            ("(415) 555-2671", "US", "+14155552671"),
            ("03-1234-5678", "JP", "+81312345678"),
            ("+44 20 7946 0958", "US", "+442079460958"),
        ],
    )
    def test_numbers_become_e164(self, raw: str, region: str | None, e164: str) -> None:
        assert values.phone_parser(region)(raw) == e164

    def test_a_number_without_country_code_needs_a_region(self) -> None:
        with pytest.raises(ValueError, match=r"'0312345678' is not a phone number \(.*region"):
            values.phone_parser()("0312345678")

    @pytest.mark.parametrize("raw", ["call me maybe", "+1 23", "+81 12", ""])
    def test_junk_is_refused_by_name(self, raw: str) -> None:
        with pytest.raises(ValueError, match=named(raw)):
            values.phone_parser("US")(raw)


class TestNumbers:
    @given(st.decimals(allow_nan=False, allow_infinity=False))
    def test_decimals_round_trip_through_text(self, number: Decimal) -> None:
        assert values.parse_decimal(str(number)) == number

    @pytest.mark.parametrize(
        ("raw", "number"),
        [
            ("1,200.50", Decimal("1200.50")),
            ("$ 99", Decimal("99")),
            ("€1_000", Decimal("1000")),
            (7, Decimal("7")),
            (0.1, Decimal("0.1")),
        ],
    )
    def test_separators_and_currency_signs_are_allowed(self, raw: object, number: Decimal) -> None:
        assert values.parse_decimal(raw) == number

    @pytest.mark.parametrize("raw", ["twelve", "NaN", "Infinity", "1.2.3", True])
    def test_non_numbers_are_refused_by_name(self, raw: object) -> None:
        with pytest.raises(ValueError, match=named(raw)):
            values.parse_decimal(raw)

    @given(
        st.decimals(
            min_value=Decimal("-1e15"),
            max_value=Decimal("1e15"),
            places=2,
            allow_nan=False,
            allow_infinity=False,
        )
    )
    def test_amounts_round_trip_with_two_places(self, amount: Decimal) -> None:
        parsed = values.parse_money(str(amount))

        assert parsed == amount
        assert parsed.as_tuple().exponent == -2

    @pytest.mark.parametrize(
        ("raw", "amount"),
        [("2.665", "2.67"), ("-2.665", "-2.67"), ("2.675", "2.68"), ("0.004", "0.00")],
    )
    def test_amounts_round_half_away_from_zero_like_a_spreadsheet(
        self, raw: str, amount: str
    ) -> None:
        assert values.parse_money(raw) == Decimal(amount)

    def test_amounts_beyond_the_column_are_refused(self) -> None:
        with pytest.raises(ValueError, match="'1e16' is too large"):
            values.parse_money("1e16")

    @given(st.integers(min_value=-(10**18), max_value=10**18))
    def test_whole_numbers_round_trip(self, number: int) -> None:
        assert values.parse_integer(str(number)) == number
        assert values.parse_integer(f"{number}.00") == number

    @given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(1, 99))
    def test_fractions_are_not_whole_numbers(self, whole: int, hundredths: int) -> None:
        raw = f"{whole}.{hundredths:02d}"
        with pytest.raises(ValueError, match=named(raw) + " is not a whole number"):
            values.parse_integer(raw)

    def test_number_gives_a_float(self) -> None:
        assert values.parse_number("1,234.5") == 1234.5


class TestBool:
    @pytest.mark.parametrize("raw", ["true", "Yes", " Y ", "1", "t", "ON", 1, True])
    def test_true_words(self, raw: object) -> None:
        assert values.parse_bool(raw) is True

    @pytest.mark.parametrize("raw", ["false", "NO", "n", "0", "F", "off", 0, False])
    def test_false_words(self, raw: object) -> None:
        assert values.parse_bool(raw) is False

    @pytest.mark.parametrize("raw", ["maybe", "2", "yess"])
    def test_other_words_are_refused_by_name(self, raw: str) -> None:
        with pytest.raises(ValueError, match=named(raw) + " is not yes/no"):
            values.parse_bool(raw)


class TestDates:
    @given(st.dates())
    def test_iso_dates_round_trip(self, day: date) -> None:
        assert values.date_parser()(day.isoformat()) == day

    @given(st.dates(min_value=date(1900, 1, 1)))
    def test_custom_formats_are_accepted_alongside_iso(self, day: date) -> None:
        parse = values.date_parser(["%d/%m/%Y", "%d.%m.%Y"])

        assert parse(day.strftime("%d/%m/%Y")) == day
        assert parse(day.strftime("%d.%m.%Y")) == day
        assert parse(day.isoformat()) == day

    def test_a_timestamp_gives_its_date(self) -> None:
        parse = values.date_parser()

        assert parse("2026-03-02T23:10:00Z") == date(2026, 3, 2)
        assert parse("2026-03-02 08:00") == date(2026, 3, 2)
        assert parse(datetime(2026, 3, 2, 23, 0, tzinfo=UTC)) == date(2026, 3, 2)

    @pytest.mark.parametrize("raw", ["2026-03-021", "2026-02-30", "03/02/2026", "soon"])
    def test_non_dates_are_refused_by_name(self, raw: str) -> None:
        with pytest.raises(ValueError, match=named(raw) + " is not a date"):
            values.date_parser()(raw)

    @given(
        st.datetimes(
            min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=OFFSETS
        )
    )
    def test_iso_timestamps_round_trip_to_utc(self, moment: datetime) -> None:
        parsed = values.datetime_parser()(moment.isoformat())

        assert parsed == moment
        assert parsed.tzinfo == UTC

    @given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)))
    def test_naive_timestamps_are_taken_as_utc(self, moment: datetime) -> None:
        assert values.datetime_parser()(moment.isoformat()) == moment.replace(tzinfo=UTC)

    @given(
        st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)).map(
            lambda moment: moment.replace(second=0, microsecond=0)
        )
    )
    def test_custom_timestamp_formats(self, moment: datetime) -> None:
        parse = values.datetime_parser(["%d/%m/%Y %H:%M"])

        assert parse(moment.strftime("%d/%m/%Y %H:%M")) == moment.replace(tzinfo=UTC)

    def test_a_bare_date_is_midnight_utc_and_z_means_utc(self) -> None:
        parse = values.datetime_parser()

        assert parse("2026-03-02") == datetime(2026, 3, 2, tzinfo=UTC)
        assert parse("2026-03-02T09:30:00Z") == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

    def test_non_timestamps_are_refused_by_name(self) -> None:
        with pytest.raises(ValueError, match="'next week' is not a date"):
            values.datetime_parser()("next week")


class TestEnum:
    @given(
        st.sampled_from(LEAD_STATUSES),
        st.sampled_from([" ", "-", "_", "  "]),
        st.sampled_from([str.lower, str.upper, str.title]),
        st.sampled_from(["", " ", "\t"]),
    )
    def test_options_match_whatever_their_case_and_separators(
        self, option: str, separator: str, case: Callable[[str], str], padding: str
    ) -> None:
        written = padding + case(option.replace("_", separator)) + padding

        assert values.enum_parser(LEAD_STATUSES)(written) == option

    def test_aliases_map_to_their_option(self) -> None:
        parse = values.enum_parser(["mql", "sql"], {"Marketing Qualified Lead": "mql"})

        assert parse("marketing-qualified-lead") == "mql"
        assert parse("MQL") == "mql"

    def test_other_values_are_refused_naming_value_and_options(self) -> None:
        with pytest.raises(ValueError, match="'hot' is not one of: new, open"):
            values.enum_parser(["new", "open"])("hot")


class TestCurrencyAndJson:
    def test_currency_codes_are_upper_cased(self) -> None:
        assert values.parse_currency(" eur ") == "EUR"

    @pytest.mark.parametrize("raw", ["US", "EURO", "€"])
    def test_non_codes_are_refused_by_name(self, raw: str) -> None:
        with pytest.raises(ValueError, match=named(raw) + " is not a three-letter currency code"):
            values.parse_currency(raw)

    def test_blank_means_no_value(self) -> None:
        assert values.is_blank(None)
        assert values.is_blank("  ")
        assert not values.is_blank(0)

    def test_json_form_keeps_amounts_and_times_exact(self) -> None:
        moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

        assert values.to_json_value(Decimal("10.50")) == "10.50"
        assert values.to_json_value(moment) == "2026-03-02T09:00:00+00:00"
        assert values.to_json_value(date(2026, 3, 2)) == "2026-03-02"
        assert values.to_json_value(7) == 7
