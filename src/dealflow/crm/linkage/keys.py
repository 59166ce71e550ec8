"""Strong keys: values that, once normalised, name one entity (a contact's email, a
company's domain). Two records sharing one are duplicates without further evidence."""

from __future__ import annotations

import unicodedata

from dealflow.crm.values import parse_domain

DOTLESS_MAILBOXES = frozenset({"gmail.com", "googlemail.com"})
"""Providers that ignore dots in the local part (a.b@gmail.com is ab@gmail.com)."""


def email_key(raw: str | None) -> str | None:
    """The address as its mailbox receives it: NFKC, trimmed, lower-case, without a
    ``+tag``, Gmail dots removed; None when it is not an address."""
    if raw is None:
        return None
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in text):
        return None
    local = local.split("+", 1)[0]
    if domain in DOTLESS_MAILBOXES:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}" if local else None


def domain_key(raw: str | None) -> str | None:
    """A bare, lower-case domain from a domain or website (``https://www.Acme.com/x`` is
    ``acme.com``); None when there is none."""
    if raw is None or not raw.strip():
        return None
    try:
        return parse_domain(unicodedata.normalize("NFKC", raw))
    except ValueError:
        return None
