"""The hidden truth behind the demo's outcomes, with real signal and real noise.

Each contact gets a latent propensity from firmographics, role and source plus noise. Their
behaviour is drawn from it, and outcomes are drawn from logistic functions of it, so lead
scoring and win probability have something true to learn but can never score perfectly. None
of these numbers is stored; only what they cause is.
"""

from __future__ import annotations

import math
from random import Random

INDUSTRY_FIT = {
    "manufacturing": 0.5,
    "logistics": 0.4,
    "real_estate": 0.6,
    "healthcare": 0.2,
    "retail": 0.0,
    "software": -0.3,
    "construction": 0.3,
    "food": 0.0,
    "energy": 0.3,
    "education": -0.4,
    "hospitality": 0.1,
}
SENIORITY_FIT = {"c_level": 0.2, "vp": 0.5, "director": 0.6, "manager": 0.3, "individual": -0.4}
FUNCTION_FIT = {
    "facilities": 0.4,
    "operations": 0.3,
    "it": 0.2,
    "procurement": 0.1,
    "finance": -0.1,
    "sustainability": 0.4,
    "hr": -0.5,
}
SOURCE_FIT = {
    "organic_search": 0.2,
    "paid_search": -0.1,
    "referral": 0.8,
    "webinar": 0.3,
    "content_download": -0.1,
    "social_media": -0.3,
    "trade_show": 0.3,
    "outbound": -0.5,
    "partner": 0.5,
    "purchased_list": -1.0,
}
FREE_MAIL_FIT = -0.5
COMPANY_NOISE = 0.4
CONTACT_NOISE = 0.9
CENTRE = 0.55
"""Roughly the mean of the summed effects, so propensity centres on zero."""


def company_fit(rng: Random, industry: str, employees: int) -> float:
    """How well a company fits the product: industry and size, plus what nobody records."""
    return INDUSTRY_FIT[industry] + _size_fit(employees) + rng.gauss(0.0, COMPANY_NOISE)


def contact_propensity(
    rng: Random, fit: float, seniority: str, function: str, source: str, free_mail: bool
) -> float:
    """A contact's latent will to buy (centred on 0, about 1.3 wide)."""
    return (
        fit
        + SENIORITY_FIT[seniority]
        + FUNCTION_FIT[function]
        + SOURCE_FIT[source]
        + (FREE_MAIL_FIT if free_mail else 0.0)
        + rng.gauss(0.0, CONTACT_NOISE)
        - CENTRE
    )


def engagement_level(propensity: float) -> float:
    """How much a contact interacts (visits, opens, events): 1.0 for an average contact."""
    return math.exp(0.55 * propensity)


def win_score(
    rng: Random, propensity: float, rep_skill: float, amount: float, expansion: bool
) -> float:
    """The logit of a deal being won: buyer, seller, size of the ask, and noise."""
    return (
        -2.0
        + 0.8 * propensity
        + 0.8 * rep_skill
        - 0.35 * math.log(amount / 30000.0)
        + (1.2 if expansion else 0.0)
        + rng.gauss(0.0, 0.7)
    )


def _size_fit(employees: int) -> float:
    if employees < 20:
        return -0.4
    if employees < 100:
        return 0.0
    if employees < 1000:
        return 0.4
    return 0.2
