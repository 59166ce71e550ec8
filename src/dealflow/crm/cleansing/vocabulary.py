"""Words categories are usually spelt with, so a misspelt one (``technolgy``) can be told
and corrected, and keys under which spellings of one category meet (``GTXPro``, ``GTX Pro``)."""

from __future__ import annotations

import re
import unicodedata

import jellyfish

INDUSTRIES = (
    "accounting", "advertising", "aerospace", "agriculture", "automotive", "banking",
    "biotechnology", "chemicals", "construction", "consulting", "education", "electronics",
    "employment", "energy", "engineering", "entertainment", "finance", "financial services",
    "food", "government", "healthcare", "hospitality", "insurance", "legal", "logistics",
    "manufacturing", "marketing", "media", "medical", "mining", "non-profit", "pharmaceuticals",
    "real estate", "retail", "services", "software", "technology", "telecommunications",
    "transportation", "travel", "utilities", "wholesale",
)  # fmt: skip
VOCABULARIES = {"industry": INDUSTRIES}
_NOT_WORD = re.compile(r"[\W_]+")


def variant_key(value: str) -> str:
    """Letters and digits only, case folded: spellings of one name share it."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", value).casefold())


def spelling_fix(prop: str, value: str) -> str | None:
    """The known word of ``prop``'s vocabulary that ``value`` misspells (one edit, two for
    long words), kept in the value's case; None when it is a known word or none is close."""
    words = VOCABULARIES.get(prop)
    if not words:
        return None
    key = unicodedata.normalize("NFKC", value).strip().casefold()
    if key in words or len(key) < 5:
        return None
    allowed = 1 if len(key) < 9 else 2
    close = [w for w in words if abs(len(w) - len(key)) <= allowed
             and jellyfish.damerau_levenshtein_distance(w, key) <= allowed]  # fmt: skip
    if len(close) != 1:
        return None
    word = close[0]
    return word.title() if value[:1].isupper() else word
