"""What each column of a table is for in record linkage, read from its header and values.

A column's role decides how it is cleaned, compared and blocked on: a person's first or last
name, a full or organisation name, a date, an email, a phone, a website, an address, a street
or house number, a city, a postcode, a region or other category, an identifier, free text, or
a plain string. Columns that cannot help (almost empty, constant, measurements) are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dealflow.core.errors import InvalidInputError

ROLES = (
    "first_name",
    "last_name",
    "name",
    "date",
    "email",
    "phone",
    "website",
    "address",
    "street_number",
    "city",
    "postcode",
    "category",
    "identifier",
    "text",
    "string",
    "ignore",
)
MIN_FILL = 0.02
"""Columns filled on fewer rows than this carry too little evidence to compare."""
SAMPLE_SIZE = 5_000

# Header words, checked in this order: "email address" is an email, "zip code" a postcode.
_HEADER_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("email", frozenset({"email", "e-mail", "mail", "emailaddress"})),
    ("website", frozenset({"website", "url", "web", "homepage", "domain", "site_url"})),
    ("phone", frozenset({"phone", "telephone", "tel", "mobile", "cell", "fax", "phonenumber"})),
    ("date", frozenset({"dob", "birth", "birthday", "born", "date", "birthdate"})),
    ("postcode", frozenset({"zip", "postcode", "postal", "zipcode", "plz"})),
    ("first_name", frozenset({"first", "given", "forename", "fname", "firstname"})),
    ("last_name", frozenset({"last", "surname", "family", "lname", "lastname", "familyname"})),
    ("street_number", frozenset({"housenumber", "streetnumber", "street_number"})),
    ("address", frozenset({"address", "addr", "street", "address1", "address2", "road"})),
    ("city", frozenset({"city", "town", "suburb", "locality", "municipality", "village"})),
    ("category", frozenset({"state", "country", "region", "province", "county", "type"})),
    ("identifier", frozenset({"id", "ssn", "nino", "passport", "licence", "license"})),
    ("name", frozenset({"name", "company", "organisation", "organization", "business"})),
    ("text", frozenset({"description", "notes", "note", "comment", "comments", "about"})),
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s().\-/]{7,20}(\s*(x|ext\.?)\s*\d+)?$")
_DATE = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{8})$")
_SEPARATED_DATE = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$")
_LINK = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
_WEBSITE = re.compile(r"^(https?://)?(www\.)?[\w-]+(\.[\w-]+)+(/\S*)?$")
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class ColumnRole:
    """A column, the role it plays, and why that role was chosen."""

    column: str
    role: str
    why: str


def infer_roles(
    table: pd.DataFrame, overrides: Mapping[str, str] | None = None, *, skip: tuple[str, ...] = ()
) -> list[ColumnRole]:
    """The role of every column but ``skip``; ``overrides`` ({column: role}) win."""
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(table.columns)
    if unknown:
        raise InvalidInputError(f"role given for unknown column(s): {', '.join(sorted(unknown))}")
    for column, role in overrides.items():
        if role not in ROLES:
            raise InvalidInputError(
                f"column {column!r}: role {role!r} is not one of {', '.join(ROLES)}"
            )
    roles = []
    for column in table.columns:
        if column in skip:
            continue
        if column in overrides:
            roles.append(ColumnRole(column, overrides[column], "given"))
        else:
            roles.append(_infer(column, table[column]))
    return roles


def header_role(header: str) -> str | None:
    """The role a column's header names, or None when it names none."""
    words = _header_words(header)
    joined = "".join(words)
    for role, names in _HEADER_WORDS:
        if names & set(words) or joined in names:
            return role
    return None


def _infer(column: str, values: pd.Series) -> ColumnRole:
    text = _filled_text(values)
    fill = len(text) / max(len(values), 1)
    if fill < MIN_FILL:
        return ColumnRole(column, "ignore", f"filled on {fill:.0%} of rows")
    sample = text.sample(min(len(text), SAMPLE_SIZE), random_state=0)
    distinct = sample.nunique()
    if distinct <= 1:
        return ColumnRole(column, "ignore", "one value on every row")
    named = header_role(column)
    evident = _evident_role(sample)
    if named is not None and evident not in (None, named) and named != "text":
        return ColumnRole(column, evident, f"values look like {evident}s, not {named}s")
    if named is not None and _values_fit(named, sample):
        return ColumnRole(column, named, "header")
    from_values = _role_from_values(sample, distinct)
    if named in ("first_name", "last_name", "name", "city") and from_values == "string":
        return ColumnRole(column, named, "header")
    return ColumnRole(column, from_values, "values")


def _evident_role(sample: pd.Series) -> str | None:
    """A role the values show beyond doubt, whatever the header says (files whose columns
    slipped under the wrong headers exist)."""
    if _share(sample, _EMAIL) >= 0.8:
        return "email"
    if _share(sample, _SEPARATED_DATE) >= 0.9:
        return "date"
    if _share(sample, _LINK) >= 0.8:
        return "website"
    return None


def _role_from_values(sample: pd.Series, distinct: int) -> str:
    if _share(sample, _EMAIL) >= 0.5:
        return "email"
    if _share(sample, _DATE) >= 0.8:
        return "date"
    if _share(sample, _PHONE) >= 0.8 and sample.str.count(r"\d").median() >= 7:
        return "phone"
    if _share(sample, _LINK) >= 0.5 and _share(sample, _WEBSITE) >= 0.8:
        return "website"
    if not sample.str.contains(_HAS_LETTER).any():
        return "identifier" if distinct >= 0.9 * len(sample) else "ignore"
    if distinct <= max(30, 0.02 * len(sample)):
        return "category"
    if sample.str.split().str.len().mean() >= 8:
        return "text"
    return "string"


def _values_fit(role: str, sample: pd.Series) -> bool:
    """Whether the values look like the header says (a 'date' column of codes does not)."""
    checks = {
        "email": lambda: _share(sample, _EMAIL) >= 0.3,
        "date": lambda: _share(sample, _DATE) >= 0.7,
        "phone": lambda: sample.str.count(r"\d").median() >= 6,
        "website": lambda: _share(sample, _WEBSITE) >= 0.5,
        "identifier": lambda: sample.nunique() >= 0.3 * len(sample),
        "first_name": lambda: sample.str.contains(_HAS_LETTER).mean() >= 0.8,
        "last_name": lambda: sample.str.contains(_HAS_LETTER).mean() >= 0.8,
        "city": lambda: sample.str.contains(_HAS_LETTER).mean() >= 0.8,
        "name": lambda: sample.nunique() > max(30, 0.02 * len(sample)),
    }
    check = checks.get(role)
    return check() if check else True


def _share(sample: pd.Series, pattern: re.Pattern[str]) -> float:
    return float(sample.str.match(pattern).mean()) if len(sample) else 0.0


def _filled_text(values: pd.Series) -> pd.Series:
    text = values.dropna().astype(str).str.strip()
    return text[text != ""]


def _header_words(header: str) -> list[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", header)
    return [word for word in re.split(r"[^0-9a-z]+", spaced.lower()) if word]
