"""The mess real CRMs collect, planted in the demo for the quality report and the cleansing
agent to find: contacts entered twice (the address typed in other case, a phone in local
form, fields left empty), companies entered twice (a ``www.`` domain, the legal form in the
name, the country in the local language or misspelt, the industry misspelt).

Only new rows are added: the planned records, and so the scoring signal, stay as they are.
"""

from __future__ import annotations

from random import Random
from typing import Any

import phonenumbers

from dealflow.demo.companies import CompanyPlan
from dealflow.demo.contacts import ContactPlan
from dealflow.demo.timeline import Window

CONTACT_DUPLICATES = 0.02
COMPANY_DUPLICATES = 0.015
LEGAL_FORMS = {"ja": ("株式会社{}", "{}(株)"), "ko": ("(주){}", "주식회사 {}"), "fa": ("شرکت {}",)}
LATIN_FORMS = ("{} Inc.", "{}, Ltd.", "{} GmbH", "{} LLC", "{} Co., Ltd.")
COUNTRY_SPELLINGS = {
    "Japan": ("日本", "japan", "JPN"),
    "South Korea": ("대한민국", "Korea", "korea"),
    "Iran": ("ایران", "iran"),
    "United States": ("USA", "U.S.", "Untied States"),
    "United Kingdom": ("UK", "Great Britain"),
    "Germany": ("Deutschland", "Germnay"),
    "Philippines": ("Philipines",),
    "Canada": ("Cananda",),
    "France": ("france",),
}
INDUSTRY_TYPOS = {
    "Technology": "Technolgy",
    "Software": "Sofware",
    "Manufacturing": "Manufacturng",
    "Healthcare": "Helthcare",
    "Finance": "Finanse",
    "Retail": "Retial",
}


def duplicate_company_rows(
    rng: Random, companies: list[CompanyPlan], window: Window
) -> list[dict[str, Any]]:
    """A second, sloppier row for a few companies (entered later by someone else)."""
    rows: list[dict[str, Any]] = []
    for company in rng.sample(companies, round(len(companies) * COMPANY_DUPLICATES)):
        forms = LEGAL_FORMS.get(company.locale.language, LATIN_FORMS)
        name = rng.choice(forms).format(company.name)
        if rng.random() < 0.3:
            name = name.upper()
        country = rng.choice(COUNTRY_SPELLINGS.get(company.country.name, (company.country.name,)))
        industry = INDUSTRY_TYPOS.get(company.industry.label, company.industry.label)
        created = window.moment(min(1.0, company.created + rng.uniform(0.01, 0.2)))
        rows.append(
            {
                "name": name,
                "domain": f"www.{company.domain}",
                "industry": industry,
                "employees": None,
                "annual_revenue": None,
                "country": country,
                "city": company.city.name,
                "year_established": None,
                "owner_id": company.owner.id,
                "properties": {},
                "created_at": created,
                "updated_at": created,
            }
        )
    return rows


def duplicate_contact_rows(
    rng: Random, contacts: list[ContactPlan], window: Window
) -> list[dict[str, Any]]:
    """A second row for a few contacts: from a business card, an event list, a form."""
    rows: list[dict[str, Any]] = []
    for contact in rng.sample(contacts, round(len(contacts) * CONTACT_DUPLICATES)):
        local, _, domain = contact.email.partition("@")
        if rng.random() < 0.5:
            email = f"{local[:1].upper()}{local[1:]}@{domain.upper()}"
        else:
            email = f" {local}@{domain.title()} "
        phone = _local_form(contact.phone) if contact.phone and rng.random() < 0.6 else None
        created = window.moment(min(1.0, contact.created + rng.uniform(0.01, 0.2)))
        rows.append(
            {
                "first_name": contact.first_name,
                "last_name": contact.last_name,
                "email": email,
                "phone": phone,
                "job_title": None,
                "company_id": contact.company.id,
                "lifecycle_stage": "lead",
                "lead_status": None,
                "source": None,
                "owner_id": contact.owner.id,
                "language": contact.language,
                "time_zone": contact.city.time_zone,
                "country": None,
                "city": contact.city.name,
                "do_not_email": False,
                "do_not_call": False,
                "properties": {},
                "created_at": created,
                "updated_at": created,
            }
        )
    return rows


def _local_form(phone: str) -> str:
    """The number as people write it by hand: spaced and dashed (``+81 90-1234-5678``)."""
    number = phonenumbers.parse(phone)
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
