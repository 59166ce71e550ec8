""" "My day": what a seller should look at first this morning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.crm import access
from dealflow.crm.access import Principal
from dealflow.crm.contacts import contact_name, first_reason
from dealflow.crm.tasks import TaskLine, my_tasks
from dealflow.models import Activity, Contact, Deal
from dealflow.models.base import UtcDateTime

QUIET_DAYS = 14
"""An open deal with no activity for this long needs attention."""
HOT_BANDS = ("A", "B")
LEAD_STAGES = ("subscriber", "lead", "mql", "sql")
LIST_LENGTH = 8


@dataclass(frozen=True)
class HotLead:
    id: int
    name: str
    score: int | None
    band: str | None
    reason: dict[str, Any] | None
    created_at: datetime


@dataclass(frozen=True)
class DealAlert:
    id: int
    name: str
    amount: Decimal | None
    currency: str
    since: datetime | None
    """When the deal stalled, or when it last saw activity."""
    close_date_passed: bool
    quiet: bool


@dataclass(frozen=True)
class MyDay:
    tasks: list[TaskLine]
    hot_leads: list[HotLead]
    stalled: list[DealAlert]
    attention: list[DealAlert]
    quiet_days: int


def my_day(session: Session, principal: Principal, end_of_today: datetime) -> MyDay:
    """Tasks due by ``end_of_today`` (the user's midnight), the newest high-score leads,
    stalled deals and deals past their close date or quiet for ``QUIET_DAYS``."""
    return MyDay(
        tasks=my_tasks(session, principal, due_before=end_of_today, limit=LIST_LENGTH * 3),
        hot_leads=_hot_leads(session, principal),
        stalled=_stalled(session, principal),
        attention=_needing_attention(session, principal),
        quiet_days=QUIET_DAYS,
    )


def _hot_leads(session: Session, principal: Principal) -> list[HotLead]:
    contacts = session.scalars(
        select(Contact)
        .where(
            access.visible(principal, "contacts"),
            Contact.score_band.in_(HOT_BANDS),
            Contact.lifecycle_stage.in_(LEAD_STAGES),
        )
        .order_by(Contact.created_at.desc(), Contact.id.desc())
        .limit(LIST_LENGTH)
    )
    return [
        HotLead(
            c.id,
            contact_name(c),
            c.score,
            c.score_band,
            first_reason(c.score_reasons),
            c.created_at,
        )
        for c in contacts
    ]


def _stalled(session: Session, principal: Principal) -> list[DealAlert]:
    deals = session.scalars(
        select(Deal)
        .where(
            access.visible(principal, "deals"),
            Deal.closed_at.is_(None),
            Deal.stalled_since.is_not(None),
        )
        .order_by(Deal.stalled_since, Deal.id)
        .limit(LIST_LENGTH)
    )
    return [
        DealAlert(d.id, d.name, d.amount, d.currency, d.stalled_since, False, False) for d in deals
    ]


def _needing_attention(session: Session, principal: Principal) -> list[DealAlert]:
    now = clock.now()
    quiet_since = now - timedelta(days=QUIET_DAYS)
    last_activity: Any = (
        select(func.max(Activity.occurred_at))
        .where(Activity.deal_id == Deal.id)
        .correlate(Deal)
        .scalar_subquery()
    )
    last_touch = func.coalesce(last_activity, Deal.created_at, type_=UtcDateTime())
    rows = session.execute(
        select(Deal, last_touch)
        .where(
            access.visible(principal, "deals"),
            Deal.closed_at.is_(None),
            or_(Deal.close_date < now.date(), last_touch < quiet_since),
        )
        .order_by(Deal.close_date.nulls_last(), Deal.id)
        .limit(LIST_LENGTH)
    )
    alerts = []
    for deal, touched in rows:
        alerts.append(
            DealAlert(
                deal.id,
                deal.name,
                deal.amount,
                deal.currency,
                touched,
                close_date_passed=deal.close_date is not None and deal.close_date < now.date(),
                quiet=touched is not None and touched < quiet_since,
            )
        )
    return alerts
