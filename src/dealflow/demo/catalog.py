"""What the demo vendor sells, and the custom properties its CRM defines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from random import Random
from typing import Any

from sqlalchemy.orm import Session

from dealflow.crm.properties import define_property
from dealflow.demo.draws import Weighted
from dealflow.models import PropertyDefinition

TIERS = ("strategic", "key", "standard")
INDUSTRY_SEGMENTS = (
    "industrial",
    "commercial_real_estate",
    "public_sector",
    "healthcare",
    "retail_hospitality",
    "technology",
)
TICKET_TOPICS = (
    "price",
    "installation",
    "warranty",
    "delivery",
    "competitors",
    "compatibility",
    "quality",
    "after_sales",
)


@dataclass(eq=False)
class ProductPlan:
    """A product to write, with what decides how much of it a company buys."""

    name: str
    series: str
    price: Decimal
    employees_per_unit: int
    """How many of a customer's employees one unit serves: the order size scales with it."""
    max_units: int
    weights: tuple[float, float, float]
    """How often companies of each tier (strategic, key, standard) buy it."""
    expansion: bool
    """Whether customers add it on later."""
    id: int = 0

    def units_for(self, rng: Random, employees: int) -> int:
        """How many units a company of ``employees`` people orders."""
        units = employees / self.employees_per_unit * rng.lognormvariate(0.0, 0.35)
        return max(1, min(self.max_units, round(units)))


def plan_products() -> list[ProductPlan]:
    """Seven products: building sensors, a gateway, software subscriptions and services."""
    return [
        ProductPlan("Aster Sense Kit", "Hardware", Decimal("4800"), 40, 300, (5, 4, 2), True),
        ProductPlan("Aster Hub", "Hardware", Decimal("1200"), 150, 100, (1, 2, 3), False),
        ProductPlan("Aster Cloud", "Software", Decimal("12000"), 400, 40, (6, 4, 1), False),
        ProductPlan("Aster Analytics", "Software", Decimal("6000"), 400, 40, (3, 2, 0.5), True),
        ProductPlan("Aster Air", "Hardware", Decimal("950"), 15, 600, (2, 3, 4), True),
        ProductPlan(
            "Installation & Onboarding", "Services", Decimal("3500"), 200, 50, (1, 1, 1), False
        ),
        ProductPlan("Premium Support", "Services", Decimal("2400"), 300, 40, (2, 1, 0.5), True),
    ]


def product_choices(products: list[ProductPlan]) -> dict[str, Weighted[ProductPlan]]:
    """Per tier, which product a new deal is for."""
    return {
        tier: Weighted((product, product.weights[index]) for product in products)
        for index, tier in enumerate(TIERS)
    }


def product_rows(products: list[ProductPlan], created_at: datetime) -> list[dict[str, Any]]:
    """Rows for the ``products`` table."""
    return [
        {
            "name": product.name,
            "series": product.series,
            "price": product.price,
            "currency": "USD",
            "properties": {},
            "created_at": created_at,
            "updated_at": created_at,
        }
        for product in products
    ]


def define_custom_properties(
    session: Session, workspace_id: int, created_at: datetime
) -> list[PropertyDefinition]:
    """Account tier on companies, industry segment on contacts, question topic on tickets."""
    definitions = [
        define_property(
            session,
            workspace_id,
            "companies",
            "tier",
            "enum",
            label="Account tier",
            options=TIERS,
            description="How much attention the account gets from sales.",
        ),
        define_property(
            session,
            workspace_id,
            "contacts",
            "industry_segment",
            "enum",
            label="Industry segment",
            options=INDUSTRY_SEGMENTS,
            description="The market segment marketing targets this contact in.",
        ),
        define_property(
            session,
            workspace_id,
            "tickets",
            "topic",
            "enum",
            label="Question topic",
            options=TICKET_TOPICS,
            description="What the customer asked about, as tagged by the support agent.",
        ),
    ]
    for definition in definitions:
        definition.created_at = created_at
    return definitions
