"""Values cleaned for comparison: two spellings of one thing become one string.

These are comparison keys, not the values a CRM stores: they drop accents, case,
punctuation, honorifics and legal suffixes, and keep only the digits of a phone number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from dealflow.crm.linkage.keys import domain_key, email_key

_NOT_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\D+")
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev"})
NAME_NOISE = frozenset(
    {
        "the", "and", "of", "inc", "incorporated", "llc", "ltd", "limited", "corp",
        "corporation", "co", "company", "plc", "gmbh", "ag", "sa", "srl", "bv", "nv",
        "kk", "pty", "lp", "llp",
    }
)  # fmt: skip
ADDRESS_WORDS = {
    "street": "st", "str": "st", "avenue": "ave", "av": "ave", "boulevard": "blvd",
    "blv": "blvd", "road": "rd", "drive": "dr", "place": "pl", "lane": "ln", "court": "ct",
    "square": "sq", "terrace": "ter", "crescent": "cres", "highway": "hwy", "parkway": "pkwy",
    "circle": "cir", "suite": "ste", "apartment": "apt", "floor": "fl", "north": "n",
    "south": "s", "east": "e", "west": "w", "mount": "mt", "saint": "st", "first": "1st",
    "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th",
}  # fmt: skip
PHONE_DIGITS = 10
"""A phone number is compared on its last ten digits (country codes and trunk zeros vary)."""
_DATE_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y")


def plain_text(raw: object) -> str | None:
    """NFKC, no accents, lower case, punctuation as spaces, single spaces; None if empty."""
    if not isinstance(raw, str):
        return None if raw is None or pd.isna(raw) else plain_text(str(raw))
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", raw))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    words = _NOT_WORD.sub(" ", unicodedata.normalize("NFC", bare).casefold()).split()
    return " ".join(words) or None


def person_name(raw: object) -> str | None:
    """A name without honorifics (``Dr. José`` is ``jose``)."""
    return _without(plain_text(raw), HONORIFICS)


def entity_name(raw: object) -> str | None:
    """A full or organisation name without honorifics, legal suffixes and filler words
    (``The Apple Pan, Inc.`` is ``apple pan``); the plain text when nothing else is left."""
    text = plain_text(raw)
    return _without(text, NAME_NOISE | HONORIFICS) or text


def address(raw: object) -> str | None:
    """An address with street words in one short form (``Boulevard`` and ``blv.`` are ``blvd``)."""
    text = plain_text(raw)
    if text is None:
        return None
    return " ".join(ADDRESS_WORDS.get(word, word) for word in text.split())


def phone(raw: object) -> str | None:
    """The last ten digits of a number (fewer when it has fewer); None below six."""
    if raw is None or (not isinstance(raw, str) and pd.isna(raw)):
        return None
    text = unicodedata.normalize("NFKC", str(raw))
    text = re.split(r"(?i)\s*(?:x|ext\.?)\s*\d+\s*$", text)[0]
    digits = _DIGITS.sub("", text)
    return digits[-PHONE_DIGITS:] if len(digits) >= 6 else None


def compact(raw: object) -> str | None:
    """Letters and digits only, upper case: postcodes and identifiers (``sw1a 1aa``)."""
    text = plain_text(raw)
    return text.replace(" ", "").upper() if text else None


def email(raw: object) -> str | None:
    return email_key(raw) if isinstance(raw, str) else None


def website(raw: object) -> str | None:
    return domain_key(raw) if isinstance(raw, str) else None


def dates(values: pd.Series) -> pd.Series:
    """Dates as ``YYYYMMDD`` text, in whichever format reads most of the column; a value
    that reads in none keeps its digits, so a typo still compares closely."""
    text = map_distinct(values, lambda v: str(v).strip() or None)
    filled = text.dropna()
    sample = filled.sample(min(len(filled), 5_000), random_state=0)
    form = max(
        _DATE_FORMATS,
        key=lambda f: pd.to_datetime(sample, format=f, errors="coerce").notna().sum(),
    )
    best = pd.to_datetime(filled, format=form, errors="coerce")
    out = pd.Series(None, index=values.index, dtype=object)
    readable = best.notna()
    out[filled.index[readable]] = best[readable].dt.strftime("%Y%m%d")
    unread = filled[~readable].map(lambda v: _DIGITS.sub("", v) or None)
    out[unread.index] = unread
    return pd.Series(
        [v if isinstance(v, str) else None for v in out], index=out.index, dtype=object
    )


def _without(text: str | None, words: frozenset[str]) -> str | None:
    if text is None:
        return None
    return " ".join(word for word in text.split() if word not in words) or None


CLEANERS: dict[str, Callable[[object], str | None]] = {
    "first_name": person_name,
    "last_name": person_name,
    "name": entity_name,
    "email": email,
    "phone": phone,
    "website": website,
    "address": address,
    "street_number": compact,
    "city": plain_text,
    "postcode": compact,
    "category": plain_text,
    "identifier": compact,
    "text": plain_text,
    "string": plain_text,
}


def clean_column(role: str, values: pd.Series) -> pd.Series:
    """The column's comparison keys for its role (None where there is no value)."""
    if role == "date":
        return dates(values)
    return map_distinct(values, CLEANERS[role])


def map_distinct(values: pd.Series, function: Callable[[Any], str | None]) -> pd.Series:
    """``function`` of each value, computed once per distinct value; None stays None."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([function(value) or None for value in distinct] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)
