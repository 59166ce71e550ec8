"""Where demo contacts live: their language, countries, cities, time zones and phone plans.

Phone patterns are E.164 with ``X`` for any digit and ``N`` for 2-9; every pattern yields
numbers that ``phonenumbers`` accepts as valid mobile or geographic numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from random import Random

from dealflow.crm.cleansing import normalise
from dealflow.demo.draws import Weighted


@dataclass(frozen=True)
class City:
    """A city contacts live in, with its time zone and phone numbering."""

    name: str
    local_name: str
    time_zone: str
    utc_offset: float
    """Standard-time offset in hours, to place local-time moments such as webinars."""
    phone_patterns: tuple[str, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Country:
    """A country of a locale, with its cities and the domain endings its companies use."""

    name: str
    weight: float
    domain_suffixes: tuple[str, ...]
    cities: tuple[City, ...]

    @cached_property
    def _city_weights(self) -> Weighted[City]:
        return Weighted((city, city.weight) for city in self.cities)

    def draw_city(self, rng: Random) -> City:
        return self._city_weights.draw(rng)

    @cached_property
    def code(self) -> str:
        """The ISO 3166-1 alpha-2 code the CRM stores (a clean record's country)."""
        code = normalise.country(self.name)
        if code is None:
            raise ValueError(f"demo country {self.name!r} has no ISO 3166 code")
        return code


@dataclass(frozen=True)
class Locale:
    """A language market: the countries its companies sit in and its free-mail providers."""

    language: str
    weight: float
    countries: tuple[Country, ...]
    free_mail_domains: tuple[str, ...]
    site_prefix: str

    @cached_property
    def _country_weights(self) -> Weighted[Country]:
        return Weighted((country, country.weight) for country in self.countries)

    def draw_country(self, rng: Random) -> Country:
        return self._country_weights.draw(rng)


def phone_number(rng: Random, pattern: str) -> str:
    """A phone number in E.164 following ``pattern``."""
    return "".join(
        str(rng.randrange(10)) if c == "X" else str(rng.randrange(2, 10)) if c == "N" else c
        for c in pattern
    )


_JP_MOBILE = ("+8190NXXXXXXX", "+8180NXXXXXXX", "+8170NXXXXXXX")
_KR_MOBILE = ("+82102XXXXXXX", "+82103XXXXXXX", "+82104XXXXXXX", "+82106XXXXXXX", "+82108XXXXXXX")
_IR_MOBILE = ("+98912XXXXXXX", "+98935XXXXXXX", "+98936XXXXXXX", "+98919XXXXXXX", "+98901XXXXXXX")
_UK_MOBILE = ("+4474XXXXXXXX", "+4475XXXXXXXX", "+4478XXXXXXXX")


def _japan(name: str, local: str, weight: float = 1.0) -> City:
    return City(name, local, "Asia/Tokyo", 9.0, _JP_MOBILE, weight)


def _korea(name: str, local: str, weight: float = 1.0) -> City:
    return City(name, local, "Asia/Seoul", 9.0, _KR_MOBILE, weight)


def _iran(name: str, local: str, weight: float = 1.0) -> City:
    return City(name, local, "Asia/Tehran", 3.5, _IR_MOBILE, weight)


def _uk(name: str, weight: float = 1.0) -> City:
    return City(name, name, "Europe/London", 0.0, _UK_MOBILE, weight)


def _north_america(
    name: str, time_zone: str, offset: float, area_codes: tuple[str, ...], weight: float = 1.0
) -> City:
    patterns = tuple(f"+1{code}NXXXXXX" for code in area_codes)
    return City(name, name, time_zone, offset, patterns, weight)


LOCALES: tuple[Locale, ...] = (
    Locale(
        language="en",
        weight=0.40,
        countries=(
            Country(
                "United States",
                0.65,
                (".com",),
                (
                    _north_america("New York", "America/New_York", -5, ("212", "646"), 3),
                    _north_america("Boston", "America/New_York", -5, ("617",)),
                    _north_america("Atlanta", "America/New_York", -5, ("404",)),
                    _north_america("Chicago", "America/Chicago", -6, ("312", "773"), 2),
                    _north_america("Austin", "America/Chicago", -6, ("512",)),
                    _north_america("Denver", "America/Denver", -7, ("303",)),
                    _north_america("San Francisco", "America/Los_Angeles", -8, ("415",), 2),
                    _north_america("Seattle", "America/Los_Angeles", -8, ("206",)),
                ),
            ),
            Country(
                "United Kingdom",
                0.25,
                (".co.uk", ".com"),
                (
                    _uk("London", 3),
                    _uk("Manchester"),
                    _uk("Birmingham"),
                    _uk("Leeds"),
                    _uk("Edinburgh"),
                ),
            ),
            Country(
                "Canada",
                0.10,
                (".ca", ".com"),
                (
                    _north_america("Toronto", "America/Toronto", -5, ("416", "647"), 2),
                    _north_america("Vancouver", "America/Vancouver", -8, ("604",)),
                    _north_america("Calgary", "America/Edmonton", -7, ("403",)),
                ),
            ),
        ),
        free_mail_domains=("gmail.com", "outlook.com", "yahoo.com", "icloud.com"),
        site_prefix="",
    ),
    Locale(
        language="ja",
        weight=0.25,
        countries=(
            Country(
                "Japan",
                1.0,
                (".co.jp", ".jp"),
                (
                    _japan("Tokyo", "東京", 4),
                    _japan("Osaka", "大阪", 2),
                    _japan("Yokohama", "横浜"),
                    _japan("Nagoya", "名古屋"),
                    _japan("Fukuoka", "福岡"),
                    _japan("Sapporo", "札幌"),
                    _japan("Kyoto", "京都"),
                    _japan("Sendai", "仙台"),
                ),
            ),
        ),
        free_mail_domains=("gmail.com", "yahoo.co.jp", "icloud.com"),
        site_prefix="/ja",
    ),
    Locale(
        language="ko",
        weight=0.20,
        countries=(
            Country(
                "South Korea",
                1.0,
                (".co.kr", ".com"),
                (
                    _korea("Seoul", "서울", 4),
                    _korea("Busan", "부산", 2),
                    _korea("Incheon", "인천"),
                    _korea("Daegu", "대구"),
                    _korea("Daejeon", "대전"),
                    _korea("Gwangju", "광주"),
                    _korea("Suwon", "수원"),
                    _korea("Seongnam", "성남"),
                ),
            ),
        ),
        free_mail_domains=("naver.com", "daum.net", "gmail.com"),
        site_prefix="/ko",
    ),
    Locale(
        language="fa",
        weight=0.15,
        countries=(
            Country(
                "Iran",
                1.0,
                (".ir", ".com"),
                (
                    _iran("Tehran", "تهران", 5),
                    _iran("Mashhad", "مشهد"),
                    _iran("Isfahan", "اصفهان", 2),
                    _iran("Shiraz", "شیراز"),
                    _iran("Tabriz", "تبریز"),
                    _iran("Karaj", "کرج"),
                    _iran("Ahvaz", "اهواز"),
                    _iran("Qom", "قم"),
                ),
            ),
        ),
        free_mail_domains=("gmail.com", "yahoo.com"),
        site_prefix="/fa",
    ),
)

LOCALE_BY_LANGUAGE = {locale.language: locale for locale in LOCALES}
