"""Country names in many spellings and languages, read as ISO 3166-1 alpha-2 codes.

Names come from the CLDR data Babel ships (English, Japanese, Korean, Persian and a few more
languages), plus the short forms people type (USA, UK, 한국) and misspellings one or two
letters away from an English name (``Philipines`` is PH).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import jellyfish
from babel import Locale

NAME_LANGUAGES = ("en", "ja", "ko", "fa", "de", "fr", "es", "pt", "it", "nl", "zh")
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"})
ALIASES = {
    "usa": "US", "us": "US", "u s a": "US", "u s": "US", "america": "US",
    "united states of america": "US", "uk": "GB", "u k": "GB", "great britain": "GB",
    "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "korea": "KR", "south korea": "KR", "republic of korea": "KR", "한국": "KR",
    "남한": "KR", "韓国": "KR", "north korea": "KP", "uae": "AE", "holland": "NL",
    "russia": "RU", "czech republic": "CZ", "vietnam": "VN", "persia": "IR",
    "آمریکا": "US", "امریکا": "US", "ژاپن": "JP", "کره جنوبی": "KR", "米国": "US",
    "アメリカ": "US", "イギリス": "GB", "英国": "GB", "미국": "US", "영국": "GB",
    # ISO 3166-1 alpha-3 codes people type for the commonest countries
    "jpn": "JP", "kor": "KR", "irn": "IR", "gbr": "GB", "deu": "DE", "fra": "FR", "can": "CA",
    "chn": "CN", "ind": "IN", "aus": "AU", "bra": "BR", "mex": "MX", "esp": "ES", "ita": "IT",
}  # fmt: skip
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class CountryMatch:
    """A value read as a country: its code, and how sure the reading is (1.0 for a code or
    a known name, less for a misspelling)."""

    code: str
    confidence: float


def country_key(raw: str) -> str:
    """Case, accents and punctuation folded away (``Côte d'Ivoire`` is ``cote d ivoire``)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", raw))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).split())


@cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code CLDR names (regions like 'world' left out)."""
    territories = [str(code) for code in Locale("en").territories]
    return frozenset(
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    )


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    codes = country_codes()
    for language in NAME_LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in codes:
                names.setdefault(country_key(name), code)
    names.update(ALIASES)
    return names


@cache
def _english_names() -> dict[str, str]:
    english = Locale("en").territories
    return {country_key(english[code]): code for code in country_codes()}


def read_country(raw: str | None) -> CountryMatch | None:
    """The country ``raw`` names, or None when it names none (or too many)."""
    if raw is None:
        return None
    text = unicodedata.normalize("NFKC", raw).strip()
    if len(text) == 2 and text.upper() in country_codes():
        return CountryMatch(text.upper(), 1.0)
    key = country_key(text)
    if not key:
        return None
    known = _names().get(key)
    if known is not None:
        return CountryMatch(known, 1.0)
    return _misspelt(key)


def _misspelt(key: str) -> CountryMatch | None:
    """The one English name within one edit (two for long names) of ``key``."""
    if len(key) < 5:
        return None
    allowed = 1 if len(key) < 9 else 2
    close = {
        code
        for name, code in _english_names().items()
        if abs(len(name) - len(key)) <= allowed
        and jellyfish.damerau_levenshtein_distance(name, key) <= allowed
    }
    if len(close) != 1:
        return None
    return CountryMatch(close.pop(), 0.85 if allowed == 1 else 0.75)
