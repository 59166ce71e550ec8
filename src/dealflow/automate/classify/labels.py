"""The labels a new workspace starts with, each described in words the zero-shot
classifier compares inquiries with (one description per line; any language works)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabelSpec:
    name: str
    description: str
    is_sales: bool = False


DEFAULT_LABELS: tuple[LabelSpec, ...] = (
    LabelSpec(
        "sales_inquiry",
        "A prospect asks about buying: prices, a quote, a discount, a demo or a trial.\n"
        "Comparing the product with a competitor before a purchase decision.\n"
        "How many units or licences to order, and what it would cost.",
        is_sales=True,
    ),
    LabelSpec(
        "support",
        "A customer needs help with a product they use: it is broken, faulty or not working.\n"
        "Questions about installation, setup, compatibility, delivery or the warranty.\n"
        "A technical problem, an error, a replacement or a repair.",
    ),
    LabelSpec(
        "billing",
        "A question about an invoice, a payment, a refund, a charge or a subscription.",
    ),
    LabelSpec(
        "partnership",
        "A company proposes to partner, resell, integrate or co-market with us.",
        is_sales=True,
    ),
    LabelSpec(
        "spam",
        "Unsolicited advertising, SEO offers, phishing or messages unrelated to our products.",
    ),
    LabelSpec("other", "Anything else: a job application, press, feedback or a general question."),
)
