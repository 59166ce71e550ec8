"""Contacts' journeys through the lifecycle: subscriber, lead, MQL, SQL, opportunity, customer.

First every contact gets a funnel: when they would reach each stage if nothing stopped them
(higher propensity moves faster) and a noisy drive that decides how far they go. Deals are
opened for the strongest drives; once deals are decided, each contact's stages are settled.
"""

from __future__ import annotations

import math
from itertools import pairwise
from random import Random

from dealflow.crm.history import Change
from dealflow.demo.contacts import ContactPlan
from dealflow.demo.draws import Weighted
from dealflow.demo.timeline import HistoryEntry, Window

ORDER = ("subscriber", "lead", "mql", "sql", "opportunity", "customer")
MEAN_DAYS_TO = {"lead": 30.0, "mql": 25.0, "sql": 12.0, "opportunity": 10.0}
SUBSCRIBING_SOURCES = ("webinar", "content_download", "social_media")
OTHER_SHARE = 0.03
"""Partners, suppliers and job seekers: contacts outside the sales funnel."""
STAGE_SHARES = {"sql": 0.85, "mql": 0.60, "lead": 0.35}
"""Quantiles of drive, among contacts without a deal, above which they reach each stage."""

LEAD_STATUSES: dict[str, Weighted[str | None]] = {
    "subscriber": Weighted([(None, 1)]),
    "lead": Weighted([("new", 4), ("open", 3), ("attempted_to_contact", 2), ("unqualified", 1)]),
    "mql": Weighted([("attempted_to_contact", 4), ("open", 2), ("connected", 2)]),
    "sql": Weighted([("connected", 3), ("in_progress", 4)]),
    "opportunity": Weighted([("open_deal", 1)]),
    "customer": Weighted([(None, 1)]),
    "other": Weighted([(None, 1)]),
}
AFTER_LOST_DEAL = Weighted([("bad_timing", 3), ("unqualified", 1), ("connected", 1)])


def plan_funnels(rng: Random, contacts: list[ContactPlan]) -> None:
    """Give each contact a first stage, the times they would reach later ones, and a drive."""
    for contact in contacts:
        if rng.random() < OTHER_SHARE:
            contact.initial_stage = "other"
            contact.drive = -math.inf
            continue
        subscribing = contact.source in SUBSCRIBING_SOURCES and rng.random() < 0.7
        contact.initial_stage = "subscriber" if subscribing else "lead"
        pace = math.exp(-0.3 * contact.propensity)
        at = contact.created
        for stage in ORDER[ORDER.index(contact.initial_stage) + 1 : ORDER.index("customer")]:
            at += rng.expovariate(1.0 / (MEAN_DAYS_TO[stage] * pace))
            contact.funnel[stage] = at
        contact.drive = contact.propensity + _logistic_noise(rng)


def settle_lifecycles(rng: Random, contacts: list[ContactPlan], window: Window) -> None:
    """Decide the stages each contact reached by the end of the window, and a lead status."""
    cuts = _drive_cuts(contacts)
    for contact in contacts:
        first = contact.initial_stage
        contact.stages = [(first, contact.created)]
        if first != "other":
            target = _target_stage(contact, cuts)
            for stage in ORDER[ORDER.index(first) + 1 : ORDER.index(target) + 1]:
                at = contact.funnel[stage]
                if at >= window.last:
                    break
                contact.stages.append((stage, at))
            if contact.customer_at is not None:
                contact.stages.append(("customer", contact.customer_at))
        contact.lead_statuses = [
            (LEAD_STATUSES[stage].draw(rng), at) for stage, at in contact.stages
        ]
        if contact.deal_lost_at is not None and contact.customer_at is None:
            contact.lead_statuses.append((AFTER_LOST_DEAL.draw(rng), contact.deal_lost_at))
        contact.lead_status = contact.lead_statuses[-1][0]


def lifecycle_changes(contacts: list[ContactPlan], window: Window) -> list[HistoryEntry]:
    """History rows of every stage change, made by automation (no user)."""
    return [
        (None, contact.id, Change("lifecycle_stage", old, new), window.moment(at))
        for contact in contacts
        for (old, _), (new, at) in pairwise(contact.stages)
    ]


def lead_status_changes(contacts: list[ContactPlan], window: Window) -> list[HistoryEntry]:
    """History rows of lead status changes: each stage brings its own status, set by its owner."""
    return [
        (contact.owner.id, contact.id, Change("lead_status", old, new), window.moment(at))
        for contact in contacts
        for (old, _), (new, at) in pairwise(contact.lead_statuses)
        if old != new
    ]


def _target_stage(contact: ContactPlan, cuts: dict[str, float]) -> str:
    if contact.opportunity_at is not None:
        return "opportunity"
    for stage in ("sql", "mql", "lead"):
        if contact.drive >= cuts[stage]:
            return stage
    return contact.initial_stage


def _drive_cuts(contacts: list[ContactPlan]) -> dict[str, float]:
    drives = sorted(
        contact.drive
        for contact in contacts
        if contact.opportunity_at is None and contact.initial_stage != "other"
    )
    if not drives:
        return dict.fromkeys(STAGE_SHARES, math.inf)
    return {stage: drives[int(share * (len(drives) - 1))] for stage, share in STAGE_SHARES.items()}


def _logistic_noise(rng: Random) -> float:
    u = min(max(rng.random(), 1e-12), 1.0 - 1e-12)
    return math.log(u / (1.0 - u))
