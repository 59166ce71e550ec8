"""The accounts: multilingual companies with a size, an industry, a home city and an owner."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from random import Random
from typing import Any

from dealflow.demo.draws import Weighted, log_uniform
from dealflow.demo.locales import LOCALES, City, Country, Locale
from dealflow.demo.names import COMPANY_FORMS, COMPANY_STEMS, INDUSTRY_WORDS
from dealflow.demo.propensity import company_fit
from dealflow.demo.sales_team import SalesTeam, UserPlan
from dealflow.demo.timeline import Window


@dataclass(frozen=True)
class Industry:
    """An industry: its label, how common it is, revenue per head and marketing segment."""

    key: str
    label: str
    weight: float
    revenue_per_employee: int
    segment: str


INDUSTRIES = Weighted(
    (industry, industry.weight)
    for industry in (
        Industry("manufacturing", "Manufacturing", 14, 250_000, "industrial"),
        Industry("logistics", "Logistics", 10, 180_000, "industrial"),
        Industry("real_estate", "Real Estate", 10, 400_000, "commercial_real_estate"),
        Industry("healthcare", "Healthcare", 9, 150_000, "healthcare"),
        Industry("retail", "Retail", 10, 200_000, "retail_hospitality"),
        Industry("software", "Software", 12, 300_000, "technology"),
        Industry("construction", "Construction", 8, 220_000, "industrial"),
        Industry("food", "Food & Beverage", 7, 210_000, "retail_hospitality"),
        Industry("energy", "Energy", 6, 500_000, "industrial"),
        Industry("education", "Education", 7, 90_000, "public_sector"),
        Industry("hospitality", "Hospitality", 7, 110_000, "retail_hospitality"),
    )
)
SIZE_BANDS = Weighted(
    [(("standard", 5, 100), 0.55), (("key", 100, 1000), 0.33), (("strategic", 1000, 30000), 0.12)]
)
LOCALE_CHOICE = Weighted((locale, locale.weight) for locale in LOCALES)
_FORMS = {language: Weighted(forms) for language, forms in COMPANY_FORMS.items()}
_NAME_TRIES = 6


@dataclass(eq=False)
class CompanyPlan:
    """A company to write; ``id`` is set once it is written."""

    name: str
    domain: str
    industry: Industry
    employees: int
    tier: str
    """The size band; stored as the ``tier`` custom property when sales filled it in."""
    tier_recorded: bool
    annual_revenue: Decimal | None
    locale: Locale
    country: Country
    city: City
    year_established: int
    owner: UserPlan
    fit: float
    """Hidden: how well the company fits the product."""
    created: float = 0.0
    id: int = 0


def plan_companies(rng: Random, count: int, team: SalesTeam) -> list[CompanyPlan]:
    """``count`` companies with unique domains; creation times are set from their contacts."""
    domains: set[str] = set()
    companies = []
    for _ in range(count):
        locale = LOCALE_CHOICE.draw(rng)
        country = locale.draw_country(rng)
        city = country.draw_city(rng)
        industry = INDUSTRIES.draw(rng)
        tier, low, high = SIZE_BANDS.draw(rng)
        employees = round(log_uniform(rng, low, high))
        name, domain = _name_and_domain(rng, locale, country, city, industry, domains)
        revenue = employees * industry.revenue_per_employee * rng.lognormvariate(0.0, 0.3)
        companies.append(
            CompanyPlan(
                name=name,
                domain=domain,
                industry=industry,
                employees=employees,
                tier=tier,
                tier_recorded=rng.random() < 0.85,
                annual_revenue=Decimal(round(revenue, -3)) if rng.random() < 0.9 else None,
                locale=locale,
                country=country,
                city=city,
                year_established=rng.randint(1955, 2021),
                owner=rng.choice(team.reps_by_language[locale.language]),
                fit=company_fit(rng, industry.key, employees),
            )
        )
    return companies


def company_rows(companies: list[CompanyPlan], window: Window) -> list[dict[str, Any]]:
    """Rows for the ``companies`` table."""
    rows = []
    for company in companies:
        created_at = window.moment(company.created)
        rows.append(
            {
                "name": company.name,
                "domain": company.domain,
                "industry": company.industry.label,
                "employees": company.employees,
                "annual_revenue": company.annual_revenue,
                "country": company.country.code,
                "city": company.city.name,
                "year_established": company.year_established,
                "owner_id": company.owner.id,
                "properties": {"tier": company.tier} if company.tier_recorded else {},
                "created_at": created_at,
                "updated_at": created_at,
            }
        )
    return rows


def _name_and_domain(
    rng: Random,
    locale: Locale,
    country: Country,
    city: City,
    industry: Industry,
    taken: set[str],
) -> tuple[str, str]:
    """A name like "株式会社さくら精機" and an unused domain like "sakura-seiki.co.jp"; when
    every try clashes with an earlier company, the city is added, as real companies do."""
    language = locale.language
    for _ in range(_NAME_TRIES):
        stem, stem_latin = rng.choice(COMPANY_STEMS[language])
        word, word_latin = rng.choice(INDUSTRY_WORDS[language][industry.key])
        name = _FORMS[language].draw(rng).format(stem=stem, word=word)
        suffix = rng.choice(country.domain_suffixes)
        domain = f"{stem_latin}{rng.choice(('', '-'))}{word_latin}{suffix}"
        if domain not in taken:
            break
    else:
        name = f"{name} {city.local_name}"
        place = city.name.lower().replace(" ", "")
        domain = f"{stem_latin}-{word_latin}-{place}{suffix}"
        number = 1
        while domain in taken:
            number += 1
            domain = f"{stem_latin}-{word_latin}-{place}{number}{suffix}"
    taken.add(domain)
    return name, domain
