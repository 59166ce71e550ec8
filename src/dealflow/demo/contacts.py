"""The people at the accounts: names in their own script, roles, sources and a hidden propensity."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from random import Random
from typing import Any

from dealflow.crm.history import Change
from dealflow.demo.companies import CompanyPlan
from dealflow.demo.draws import Weighted
from dealflow.demo.locales import City, phone_number
from dealflow.demo.names import FAMILY_NAMES, GIVEN_NAMES
from dealflow.demo.propensity import contact_propensity, engagement_level
from dealflow.demo.sales_team import SalesTeam, UserPlan
from dealflow.demo.timeline import HistoryEntry, Window
from dealflow.demo.titles import FUNCTIONS, SENIORITIES, job_title

SOURCES = Weighted(
    [
        ("organic_search", 22),
        ("paid_search", 12),
        ("referral", 7),
        ("webinar", 8),
        ("content_download", 12),
        ("social_media", 10),
        ("trade_show", 6),
        ("outbound", 13),
        ("partner", 5),
        ("purchased_list", 5),
    ]
)
CORPORATE_ADDRESSES = Weighted(
    [("{g}.{f}", 5), ("{i}{f}", 3), ("{f}.{g}", 1), ("{g}", 1), ("{g}_{f}", 1)]
)
FREE_MAIL_ADDRESSES = Weighted([("{g}.{f}{n}", 3), ("{g}{f}{y}", 2), ("{f}.{g}{n}", 1)])
FREE_MAIL_SHARE = 0.1
REASSIGNED_SHARE = 0.07


@dataclass(eq=False)
class ContactPlan:
    """A contact to write, with the hidden variables their story is drawn from."""

    first_name: str
    last_name: str
    email: str
    phone: str | None
    job_title: str | None
    seniority: str
    source: str
    company: CompanyPlan
    city: City
    owner: UserPlan
    do_not_email: bool
    do_not_call: bool
    segment: str | None
    propensity: float
    """Hidden: the latent will to buy that behaviour and outcomes are drawn from."""
    created: float
    previous_owner: UserPlan | None = None
    owner_changed: float | None = None
    initial_stage: str = "lead"
    funnel: dict[str, float] = field(default_factory=dict)
    """Hidden: when the contact would reach each lifecycle stage if nothing stopped them."""
    drive: float = 0.0
    """Hidden: propensity plus noise; how far down the funnel the contact goes."""
    opportunity_at: float | None = None
    customer_at: float | None = None
    deal_lost_at: float | None = None
    stages: list[tuple[str, float]] = field(default_factory=list)
    """The lifecycle stages reached, in order, with when."""
    lead_statuses: list[tuple[str | None, float]] = field(default_factory=list)
    """The lead statuses the contact went through, in order, with when."""
    lead_status: str | None = None
    id: int = 0

    @property
    def language(self) -> str:
        return self.company.locale.language

    @property
    def engagement(self) -> float:
        return engagement_level(self.propensity)

    @property
    def lifecycle_stage(self) -> str:
        return self.stages[-1][0]

    def reached(self, stage: str) -> float | None:
        """When the contact entered ``stage``, or None if they never did."""
        return next((at for name, at in self.stages if name == stage), None)


def plan_contacts(
    rng: Random, count: int, companies: list[CompanyPlan], window: Window
) -> list[ContactPlan]:
    """``count`` contacts spread over the companies (bigger ones have more), oldest first.

    Each company's creation time is set just before its first contact's.
    """
    by_size = Weighted((company, company.employees**0.35) for company in companies)
    emails: set[str] = set()
    contacts = []
    for _ in range(count):
        company = by_size.draw(rng)
        language = company.locale.language
        given, given_latin = rng.choice(GIVEN_NAMES[language])
        family, family_latin = rng.choice(FAMILY_NAMES[language])
        free_mail = rng.random() < FREE_MAIL_SHARE
        domain = rng.choice(company.locale.free_mail_domains) if free_mail else company.domain
        seniority = SENIORITIES.draw(rng)
        function = FUNCTIONS.draw(rng)
        source = SOURCES.draw(rng)
        city = company.city if rng.random() < 0.85 else company.country.draw_city(rng)
        contacts.append(
            ContactPlan(
                first_name=given,
                last_name=family,
                email=_email(rng, given_latin, family_latin, domain, free_mail, emails),
                phone=phone_number(rng, rng.choice(city.phone_patterns))
                if rng.random() < 0.85
                else None,
                job_title=job_title(rng, language, seniority, function)
                if rng.random() < 0.95
                else None,
                seniority=seniority,
                source=source,
                company=company,
                city=city,
                owner=company.owner,
                do_not_email=rng.random() < 0.03,
                do_not_call=rng.random() < 0.06,
                segment=company.industry.segment if rng.random() < 0.8 else None,
                propensity=contact_propensity(
                    rng, company.fit, seniority, function, source, free_mail
                ),
                created=window.last * rng.random() ** 0.8,
            )
        )
    contacts.sort(key=lambda contact: contact.created)
    _date_companies(rng, companies, contacts, window)
    return contacts


def reassign_owners(
    rng: Random, contacts: list[ContactPlan], team: SalesTeam, window: Window
) -> None:
    """Hand some contacts to a teammate of their owner, always before any deal is opened."""
    for contact in contacts:
        if rng.random() >= REASSIGNED_SHARE:
            continue
        opened = contact.funnel.get("opportunity", math.inf)
        until = min(opened, contact.created + 365.0, window.last)
        teammates = [
            rep for rep in team.reps_by_language[contact.language] if rep is not contact.owner
        ]
        if until - contact.created < 2.0 or not teammates:
            continue
        contact.previous_owner = contact.owner
        contact.owner = rng.choice(teammates)
        contact.owner_changed = rng.uniform(contact.created + 1.0, until - 0.5)


def owner_changes(contacts: list[ContactPlan], window: Window) -> list[HistoryEntry]:
    """History rows of the reassignments, made by the team's manager."""
    return [
        (
            contact.owner.manager.id if contact.owner.manager else None,
            contact.id,
            Change("owner_id", contact.previous_owner.id, contact.owner.id),
            window.moment(contact.owner_changed),
        )
        for contact in contacts
        if contact.previous_owner is not None and contact.owner_changed is not None
    ]


def contact_rows(contacts: list[ContactPlan], window: Window) -> list[dict[str, Any]]:
    """Rows for the ``contacts`` table, holding each contact's current values."""
    rows = []
    for contact in contacts:
        updated = max(at for _, at in contact.stages)
        if contact.owner_changed is not None:
            updated = max(updated, contact.owner_changed)
        rows.append(
            {
                "first_name": contact.first_name,
                "last_name": contact.last_name,
                "email": contact.email,
                "phone": contact.phone,
                "job_title": contact.job_title,
                "company_id": contact.company.id,
                "lifecycle_stage": contact.lifecycle_stage,
                "lead_status": contact.lead_status,
                "source": contact.source,
                "owner_id": contact.owner.id,
                "language": contact.language,
                "time_zone": contact.city.time_zone,
                "country": contact.company.country.code,
                "city": contact.city.name,
                "do_not_email": contact.do_not_email,
                "do_not_call": contact.do_not_call,
                "properties": {"industry_segment": contact.segment} if contact.segment else {},
                "created_at": window.moment(contact.created),
                "updated_at": window.moment(updated),
            }
        )
    return rows


def _email(
    rng: Random, given: str, family: str, domain: str, free_mail: bool, taken: set[str]
) -> str:
    forms = FREE_MAIL_ADDRESSES if free_mail else CORPORATE_ADDRESSES
    local = forms.draw(rng).format(
        g=given, f=family, i=given[0], n=rng.randint(1, 99), y=rng.randint(1965, 2002)
    )
    email = f"{local}@{domain}"
    number = 1
    while email in taken:
        number += 1
        email = f"{local}{number}@{domain}"
    taken.add(email)
    return email


def _date_companies(
    rng: Random, companies: list[CompanyPlan], contacts: list[ContactPlan], window: Window
) -> None:
    first_contact: dict[CompanyPlan, float] = {}
    for contact in contacts:
        first_contact.setdefault(contact.company, contact.created)
    for company in companies:
        first = first_contact.get(company)
        company.created = (
            max(0.0, first - rng.uniform(0.0, 2.0))
            if first is not None
            else window.last * rng.random()
        )
    companies.sort(key=lambda company: company.created)
