"""Deals and their journeys through the pipeline, with outcomes drawn from the hidden truth.

A deal opens when a contact reaches the opportunity stage, in the first open stage. Whether it
will be won is drawn up front from the buyer's propensity, the rep's skill and the size of the
ask; won deals move faster, lost ones leave at some stage, and a few stall for months. The
window's end cuts journeys short, which leaves the open pipeline.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise
from random import Random
from typing import Any

from sqlalchemy.orm import Session

from dealflow.core.errors import ConflictError
from dealflow.crm.history import Change
from dealflow.crm.workspaces import default_pipeline, stages_of
from dealflow.demo.catalog import ProductPlan, product_choices
from dealflow.demo.companies import CompanyPlan
from dealflow.demo.contacts import ContactPlan
from dealflow.demo.draws import Weighted, logistic
from dealflow.demo.propensity import win_score
from dealflow.demo.sales_team import UserPlan
from dealflow.demo.texts import EXPANSION_LABEL
from dealflow.demo.timeline import MINUTE, HistoryEntry, Window

WON = -1
LOST = -2
STAGE_DAYS = (10.0, 14.0, 16.0, 18.0, 14.0)
"""Typical days spent in each open stage (later stages reuse the last)."""
LOST_AFTER = (0.25, 0.25, 0.20, 0.18, 0.12)
"""Of lost deals, the share lost while in each open stage."""
EXPANSION_SHARE = 0.12
COLLEAGUES = Weighted([(0, 0.45), (1, 0.35), (2, 0.20)])
COLLEAGUE_ROLES = Weighted(
    [("influencer", 3), ("technical_evaluator", 2), ("economic_buyer", 2), ("end_user", 1)]
)
SENIOR = ("c_level", "vp", "director")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SalesPipeline:
    """The workspace's default pipeline: its open stages in order, and its won and lost stage."""

    id: int
    open_stage_ids: tuple[int, ...]
    won_stage_id: int
    lost_stage_id: int

    @classmethod
    def of(cls, session: Session, workspace_id: int) -> SalesPipeline:
        """The workspace's default pipeline, read from the database."""
        pipeline = default_pipeline(session, workspace_id)
        stages = stages_of(session, pipeline.id)
        open_ids = tuple(stage.id for stage in stages if stage.kind == "open")
        won = [stage.id for stage in stages if stage.kind == "won"]
        lost = [stage.id for stage in stages if stage.kind == "lost"]
        if not open_ids or not won or not lost:
            raise ConflictError(
                f"pipeline {pipeline.name!r} needs open, won and lost stages for the demo deals"
            )
        return cls(pipeline.id, open_ids, won[0], lost[0])

    def stage_id(self, step: int) -> int:
        """The stage of a journey step: an open stage's position, or WON or LOST."""
        if step == WON:
            return self.won_stage_id
        if step == LOST:
            return self.lost_stage_id
        return self.open_stage_ids[step]


@dataclass(eq=False)
class DealPlan:
    """A deal to write, with its journey through the pipeline."""

    name: str
    contact: ContactPlan
    colleagues: list[tuple[ContactPlan, str]]
    owner: UserPlan
    product: ProductPlan
    first_amount: Decimal
    amount: Decimal
    created: float
    expansion: bool
    will_win: bool
    """Hidden for open deals: how the deal would end if the window went on."""
    steps: list[tuple[int, float]] = field(default_factory=list)
    """The journey: (open stage position, WON or LOST; entered at), starting at creation."""
    discounted: float | None = None
    expected_close: date | None = None
    """The rep's close date while the deal was open; corrected to the real day on closing."""
    id: int = 0

    @property
    def outcome(self) -> int | None:
        """WON, LOST, or None while the deal is open."""
        step = self.steps[-1][0]
        return step if step in (WON, LOST) else None

    @property
    def closed(self) -> float | None:
        return self.steps[-1][1] if self.outcome is not None else None

    def close_date(self, window: Window) -> date | None:
        """The close date the record holds now: the real day once closed, else the forecast."""
        return window.date_of(self.closed) if self.closed is not None else self.expected_close


def plan_deals(
    rng: Random,
    count: int,
    contacts: list[ContactPlan],
    products: list[ProductPlan],
    pipeline: SalesPipeline,
    window: Window,
) -> list[DealPlan]:
    """About ``count`` deals: new business for the contacts with the strongest drive, and
    expansions for customers. Marks each contact's opportunity and customer moments."""
    expansions = round(count * EXPANSION_SHARE)
    eligible = [c for c in contacts if c.funnel.get("opportunity", math.inf) < window.last - 1.0]
    eligible.sort(key=lambda contact: contact.drive, reverse=True)
    chosen = sorted(eligible[: count - expansions], key=lambda c: c.funnel["opportunity"])
    by_tier = product_choices(products)
    colleagues_at = _contacts_by_company(contacts)
    deals = []
    for contact in chosen:
        product = by_tier[contact.company.tier].draw(rng)
        deal = _deal(rng, contact, product, contact.funnel["opportunity"], False, pipeline, window)
        deal.colleagues = _colleagues(rng, contact, colleagues_at, deal.created)
        contact.opportunity_at = deal.created
        closed = deal.closed
        if deal.outcome == WON and closed is not None and closed + MINUTE < window.last:
            contact.customer_at = closed + MINUTE
        contact.deal_lost_at = closed if deal.outcome == LOST else None
        deals.append(deal)
    deals += _expansions(rng, expansions, deals, products, pipeline, window)
    deals.sort(key=lambda deal: deal.created)
    return deals


def deal_rows(
    deals: list[DealPlan], pipeline: SalesPipeline, window: Window
) -> list[dict[str, Any]]:
    """Rows for the ``deals`` table, holding each deal's current stage and amount."""
    rows = []
    for deal in deals:
        step, entered = deal.steps[-1]
        updated = max(entered, deal.discounted or 0.0)
        rows.append(
            {
                "name": deal.name,
                "amount": deal.amount,
                "currency": "USD",
                "close_date": deal.close_date(window),
                "owner_id": deal.owner.id,
                "pipeline_id": pipeline.id,
                "stage_id": pipeline.stage_id(step),
                "company_id": deal.contact.company.id,
                "product_id": deal.product.id,
                "closed_at": window.moment(entered) if deal.outcome is not None else None,
                "properties": {},
                "created_at": window.moment(deal.created),
                "updated_at": window.moment(updated),
            }
        )
    return rows


DEAL_CONTACT_COLUMNS = ("deal_id", "contact_id", "workspace_id", "role")


def deal_contact_rows(deals: list[DealPlan], workspace_id: int) -> list[tuple[int, int, int, str]]:
    """The contacts involved in each deal, with their role, as ``DEAL_CONTACT_COLUMNS``."""
    rows = []
    for deal in deals:
        role = "decision_maker" if deal.contact.seniority in SENIOR else "champion"
        rows.append((deal.id, deal.contact.id, workspace_id, role))
        rows += [
            (deal.id, c.id, workspace_id, colleague_role) for c, colleague_role in deal.colleagues
        ]
    return rows


def deal_changes(
    deals: list[DealPlan], pipeline: SalesPipeline, window: Window
) -> list[HistoryEntry]:
    """History rows of stage moves, closings and discounts, made by the deal's owner."""
    entries: list[HistoryEntry] = []
    for deal in deals:
        owner = deal.owner.id
        for (old, _), (new, at) in pairwise(deal.steps):
            moment = window.moment(at)
            change = Change("stage_id", pipeline.stage_id(old), pipeline.stage_id(new))
            entries.append((owner, deal.id, change, moment))
            if new in (WON, LOST):
                entries.append((owner, deal.id, Change("closed_at", None, moment), moment))
                actual = window.date_of(at)
                if actual != deal.expected_close:
                    change = Change("close_date", deal.expected_close, actual)
                    entries.append((owner, deal.id, change, moment))
        if deal.discounted is not None:
            change = Change("amount", deal.first_amount, deal.amount)
            entries.append((owner, deal.id, change, window.moment(deal.discounted)))
    return entries


def _deal(
    rng: Random,
    contact: ContactPlan,
    product: ProductPlan,
    created: float,
    expansion: bool,
    pipeline: SalesPipeline,
    window: Window,
) -> DealPlan:
    owner = contact.owner
    amount = _money(float(product.price) * product.units_for(rng, contact.company.employees))
    will_win = rng.random() < logistic(
        win_score(rng, contact.propensity, owner.skill, float(amount), expansion)
    )
    name = f"{contact.company.name} – {product.name}"
    if expansion:
        name += f" ({EXPANSION_LABEL[contact.language]})"
    deal = DealPlan(
        name=name,
        contact=contact,
        colleagues=[],
        owner=owner,
        product=product,
        first_amount=amount,
        amount=amount,
        created=created,
        expansion=expansion,
        will_win=will_win,
    )
    _walk(rng, deal, len(pipeline.open_stage_ids), window)
    _negotiate(rng, deal, len(pipeline.open_stage_ids) - 1, window)
    deal.expected_close = _expected_close(rng, deal, window)
    return deal


def _walk(rng: Random, deal: DealPlan, open_stages: int, window: Window) -> None:
    """Move the deal stage by stage until it closes or the window ends."""
    if deal.will_win:
        leaves_at = open_stages - 1
    else:
        leaves_at = Weighted(
            (position, LOST_AFTER[min(position, len(LOST_AFTER) - 1)])
            for position in range(open_stages)
        ).draw(rng)
    pace = (0.75 if deal.will_win else 1.25) * (float(deal.amount) / 30000.0) ** 0.15
    if deal.expansion:
        pace *= 0.6
    stalls_at = -1
    if rng.random() < (0.06 if deal.will_win else 0.2):
        stalls_at = rng.randint(0, leaves_at)
    final = WON if deal.will_win else LOST
    at = deal.created
    deal.steps = [(0, at)]
    for position in range(leaves_at + 1):
        days = STAGE_DAYS[min(position, len(STAGE_DAYS) - 1)] * pace * rng.lognormvariate(0, 0.5)
        if position == stalls_at:
            days *= rng.uniform(4.0, 9.0)
        at += days
        if at >= window.last:
            return
        deal.steps.append((position + 1 if position < leaves_at else final, at))


def _negotiate(rng: Random, deal: DealPlan, last_open: int, window: Window) -> None:
    """Some deals that reach the last open stage get a discount there."""
    entered = next((at for step, at in deal.steps if step == last_open), None)
    if entered is None or rng.random() >= 0.35:
        return
    at = entered + rng.uniform(0.5, 3.0)
    if at >= (deal.closed or window.last):
        return
    discounted = float(deal.first_amount) * (1.0 - rng.uniform(0.05, 0.15))
    deal.amount = _money(round(discounted, -2))
    deal.discounted = at


def _expected_close(rng: Random, deal: DealPlan, window: Window) -> date:
    """The rep's expected close date: set at creation, pushed out now and then when it passes
    with the deal still open."""
    expected = deal.created + rng.uniform(45.0, 100.0)
    if deal.closed is None and expected < window.last and rng.random() < 0.5:
        expected = window.last + rng.uniform(7.0, 60.0)
    return window.date_of(expected)


def _expansions(
    rng: Random,
    count: int,
    deals: list[DealPlan],
    products: list[ProductPlan],
    pipeline: SalesPipeline,
    window: Window,
) -> list[DealPlan]:
    """Add-on deals for customers, opened some time after they became customers."""
    customers = [
        (deal, since)
        for deal in deals
        if deal.outcome == WON
        and (since := deal.contact.customer_at) is not None
        and since < window.last - 2.0
    ]
    add_ons = [product for product in products if product.expansion]
    if not customers:
        return []
    expansions = []
    for _ in range(count):
        first, since = rng.choice(customers)
        created = rng.uniform(since + min(14.0, (window.last - since) / 2), window.last - 1.0)
        product = rng.choice([p for p in add_ons if p is not first.product] or add_ons)
        expansion = _deal(rng, first.contact, product, created, True, pipeline, window)
        expansion.colleagues = first.colleagues
        expansions.append(expansion)
    return expansions


def _contacts_by_company(contacts: list[ContactPlan]) -> dict[CompanyPlan, list[ContactPlan]]:
    by_company: dict[CompanyPlan, list[ContactPlan]] = defaultdict(list)
    for contact in contacts:
        by_company[contact.company].append(contact)
    return by_company


def _colleagues(
    rng: Random,
    contact: ContactPlan,
    by_company: dict[CompanyPlan, list[ContactPlan]],
    before: float,
) -> list[tuple[ContactPlan, str]]:
    """Other people at the company, known before the deal opened, who take part in it."""
    known = [c for c in by_company[contact.company] if c is not contact and c.created < before]
    picked = rng.sample(known, min(len(known), COLLEAGUES.draw(rng)))
    return [(colleague, COLLEAGUE_ROLES.draw(rng)) for colleague in picked]


def _money(value: float) -> Decimal:
    return Decimal(round(value)).quantize(CENT)
