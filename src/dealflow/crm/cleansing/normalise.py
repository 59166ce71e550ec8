"""Stored values in one clean form: phones in E.164, emails lower-case with an ASCII domain,
company names without legal forms, bare domains, ISO country codes, tidy text.

Every function takes any text, never raises, and returns None when the value cannot be
read; applying one to its own output changes nothing.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from dealflow.crm.cleansing.countries import read_country
from dealflow.crm.values import DOMAIN_PATTERN, EMAIL_PATTERN, without_www

_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = " \t,.;:-_/|·、。"
LEGAL_FORMS = (
    # Latin-script forms, matched as whole words at either end of the name.
    "incorporated", "inc", "corporation", "corp", "company limited", "co ltd", "limited",
    "ltd", "llc", "l l c", "plc", "gmbh", "gmbh & co kg", "ag", "kg", "se", "sa", "s a",
    "sas", "sarl", "srl", "s r l", "spa", "s p a", "bv", "b v", "nv", "n v", "oy", "ab",
    "as", "a s", "aps", "pty ltd", "pty", "kk", "k k", "co", "lp", "llp", "sl", "s l",
)  # fmt: skip
CJK_LEGAL_FORMS = (
    "株式会社", "有限会社", "合同会社", "(株)", "(有)", "㈱", "㈲", "주식회사", "유한회사",
    "(주)", "㈜", "(유)", "有限公司", "股份有限公司",
)  # fmt: skip
PERSIAN_LEGAL_FORMS = (
    "(سهامی خاص)", "(سهامی عام)", "سهامی خاص", "سهامی عام", "(با مسئولیت محدود)",
    "با مسئولیت محدود", "شرکت",
)  # fmt: skip
_LATIN_FORM = re.compile(
    r"(?i)(?:^|[\s,]+)(?:"
    + "|".join(
        re.escape(f).replace(r"\ ", r"[\s.]*") for f in sorted(LEGAL_FORMS, key=len, reverse=True)
    )
    + r")\.?$"
)


def text(raw: str | None) -> str | None:
    """NFKC (full-width letters and digits become ASCII), single spaces, trimmed."""
    if raw is None:
        return None
    cleaned = _SPACES.sub(" ", unicodedata.normalize("NFKC", raw)).strip()
    return cleaned or None


def email(raw: str | None) -> str | None:
    """Trimmed, lower-case, with an internationalised domain in its ASCII (IDNA) form."""
    value = text(raw)
    if value is None or " " in value:
        return None
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return None
    try:
        ascii_domain = domain.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    address = f"{local.lower()}@{ascii_domain}"
    if len(address) > 320 or ".." in address or not EMAIL_PATTERN.match(address):
        return None
    return address


def domain(raw: str | None) -> str | None:
    """A bare domain from a website, URL, domain or email address (``https://www.Acme.com/x``
    and ``jo@acme.com`` are ``acme.com``), internationalised names in IDNA form."""
    value = text(raw)
    if value is None:
        return None
    value = value.rpartition("@")[2] if "@" in value and "://" not in value else value
    value = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", value)
    value = re.split(r"[/?#\s]", value, maxsplit=1)[0].split(":", 1)[0]
    value = without_www(value.lower().rstrip("."))
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return value if DOMAIN_PATTERN.match(value) else None


def phone(raw: str | None, region: str | None = None) -> str | None:
    """E.164 (``+81312345678``); a number without a country code is read as ``region``'s.
    None when the number is not a valid one."""
    value = text(raw)
    if value is None or len(value) > 40:
        return None
    try:
        number = phonenumbers.parse(value, region.upper() if isinstance(region, str) else None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def country(raw: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name or code in any of several languages
    (``Japan``, ``日本``, ``대한민국``, ``ایران``, ``Philipines``)."""
    match = read_country(raw)
    return match.code if match else None


def company_name(raw: str | None) -> str | None:
    """The name without its legal form (Inc, GmbH, 株式会社, (주), شرکت ... سهامی خاص),
    stray punctuation and shouting (``ACME, INC.`` is ``Acme``); the name as it was when
    nothing else would be left."""
    value = text(raw)
    if value is None:
        return None
    name = value
    while (stripped := _strip_forms(name)) != name:  # "Acme Co., Ltd." has two forms
        name = stripped
    if not name:
        return value
    letters = [c for c in name if c.isalpha() and c.isascii()]
    shouted = bool(letters) and all(c.isupper() for c in letters)
    if letters and (shouted or all(c.islower() for c in letters)):
        name = " ".join(_cased(word, keep_acronyms=shouted) for word in name.split(" "))
    return name


def _cased(word: str, *, keep_acronyms: bool) -> str:
    """``ACME`` is ``Acme``; a short shouted word (``IBM``) stays an acronym."""
    letters = [i for i, c in enumerate(word) if c.isalpha() and c.isascii()]
    if not letters or (keep_acronyms and len(letters) <= 3):
        return word
    first = letters[0]
    return (
        word[:first]
        + word[first].upper()
        + "".join(c.lower() if c.isascii() else c for c in word[first + 1 :])
    )


def _strip_forms(name: str) -> str:
    name = _LATIN_FORM.sub("", name).strip(_EDGE_PUNCTUATION)
    for form in (*CJK_LEGAL_FORMS, *PERSIAN_LEGAL_FORMS):
        if name.startswith(form):
            name = name[len(form) :]
        if name.endswith(form):
            name = name[: -len(form)]
        name = name.strip(_EDGE_PUNCTUATION)
    return _SPACES.sub(" ", name).strip(_EDGE_PUNCTUATION)
