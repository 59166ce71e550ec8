"""Merge fields of message templates (``{{ first_name }}``, ``{{ company.name }}``): which
exist, checking a template at save time, and filling one from a context's facts."""

from __future__ import annotations

import re

from dealflow.core.errors import InvalidFieldsError
from dealflow.personalize.context import Context
from dealflow.personalize.crm_sources import COMPANY_FIELDS, CONTACT_FIELDS

MERGE_FIELD = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
MERGE_FIELDS: dict[str, str] = {
    **{name: f"contact.{name}" for name in CONTACT_FIELDS},
    **{f"company.{name}": f"company.{name}" for name in COMPANY_FIELDS},
    "deal.name": "deal.name",
    "deal.stage": "deal.stage",
    "deal.amount": "deal.amount",
    "deal.close_date": "deal.close_date",
    "sender.name": "sender.name",
    "sender.company": "sender.company",
    "sender.email": "sender.email",
}
"""Merge field -> the fact it is filled from."""


def check_template(text: str, path: str) -> None:
    """Raise InvalidFieldsError naming each merge field of ``text`` that does not exist."""
    unknown = [name for name in MERGE_FIELD.findall(text) if name not in MERGE_FIELDS]
    if unknown:
        raise InvalidFieldsError(
            [
                (
                    path,
                    f"unknown merge field {{{{ {name} }}}}; merge fields: "
                    + ", ".join(MERGE_FIELDS),
                )
                for name in unknown
            ]
        )


def fill(text: str, context: Context) -> str:
    """``text`` with each merge field replaced by its fact (blank when the CRM does not know
    it); values are inserted as text, never read as template syntax."""
    return MERGE_FIELD.sub(lambda m: context.value(MERGE_FIELDS.get(m.group(1), "")) or "", text)
