"""A workspace's contacts or companies as one table of the values that tell records apart."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from dealflow.core.errors import InvalidInputError
from dealflow.models import Company, Contact

OBJECT_TYPES = ("contacts", "companies")
WEBSITE_PROPERTIES = ("website", "web_site", "url", "homepage")
PHONE_PROPERTIES = ("phone", "phone_number", "telephone")
ADDRESS_PROPERTIES = ("address", "street", "street_address")
POSTCODE_PROPERTIES = ("zip", "postcode", "postal_code", "zip_code")


def record_table(session: Session, workspace_id: int, object_type: str) -> pd.DataFrame:
    """One row per record of ``object_type`` ("contacts" or "companies"), ``id`` first."""
    if object_type == "contacts":
        return contact_table(session, workspace_id)
    if object_type == "companies":
        return company_table(session, workspace_id)
    raise InvalidInputError(
        f"duplicates are found among {' or '.join(OBJECT_TYPES)}, not {object_type!r}"
    )


def contact_table(session: Session, workspace_id: int) -> pd.DataFrame:
    """id, first_name, last_name, email, phone, job_title, company, city, country."""
    employer = aliased(Company)
    statement = (
        select(
            Contact.id,
            Contact.first_name,
            Contact.last_name,
            Contact.email,
            Contact.phone,
            Contact.job_title,
            employer.name.label("company"),
            Contact.city,
            Contact.country,
        )
        .outerjoin(employer, employer.id == Contact.company_id)
        .where(Contact.workspace_id == workspace_id)
        .order_by(Contact.id)
    )
    rows = session.execute(statement).all()
    columns = ["id", "first_name", "last_name", "email", "phone", "job_title", "company"]
    return pd.DataFrame(rows, columns=[*columns, "city", "country"])


def company_table(session: Session, workspace_id: int) -> pd.DataFrame:
    """id, name, domain, website, phone, address, postcode, city, country (the last five
    from custom properties when the workspace keeps them)."""
    statement = (
        select(
            Company.id,
            Company.name,
            Company.domain,
            Company.city,
            Company.country,
            Company.properties,
        )
        .where(Company.workspace_id == workspace_id)
        .order_by(Company.id)
    )
    rows = [
        {
            "id": row.id,
            "name": row.name,
            "domain": row.domain,
            "website": _first_property(row.properties, WEBSITE_PROPERTIES),
            "phone": _first_property(row.properties, PHONE_PROPERTIES),
            "address": _first_property(row.properties, ADDRESS_PROPERTIES),
            "postcode": _first_property(row.properties, POSTCODE_PROPERTIES),
            "city": row.city,
            "country": row.country,
        }
        for row in session.execute(statement)
    ]
    columns = ["id", "name", "domain", "website", "phone", "address", "postcode"]
    return pd.DataFrame(rows, columns=[*columns, "city", "country"])


def _first_property(properties: dict[str, Any] | None, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = (properties or {}).get(name)
        if value not in (None, ""):
            return str(value)
    return None
