"""Win-probability features of deals "as of" a time, from the store and its history.

Stage, amount, owner and close date are read through their history; activity, engagement of
the deal's contacts and the owner's track record count only what happened before the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.models import Deal, DealContact, Pipeline, Product, Stage
from dealflow.predict.facts import (
    RecordTable,
    numbers,
    read_activities,
    read_companies,
    read_engagement,
    read_histories,
    read_records,
)
from dealflow.predict.timeline import DAY, EventTimes, Ints, ValueHistory, epoch_seconds

PROPERTIES = ("stage_id", "amount", "close_date", "owner_id", "closed_at")
CATEGORICAL = ("stage", "pipeline", "product", "company_industry", "company_country")


@dataclass(frozen=True)
class DealFacts:
    """What the store knows about a workspace's deals, read once for many snapshots."""

    deals: RecordTable
    created: npt.NDArray[np.float64]
    histories: dict[str, ValueHistory]
    stages: RecordTable
    names: dict[str, dict[int, str]]
    companies: RecordTable
    activities: EventTimes
    meetings: EventTimes
    deal_contacts: tuple[Ints, Ints]
    engagement: EventTimes
    owner_wins: EventTimes
    owner_closes: EventTimes
    owner_created: EventTimes

    def created_at(self, deal_ids: Ints) -> npt.NDArray[np.float64]:
        return self.created[np.searchsorted(self.deals.ids, deal_ids)]


def read_deal_facts(session: Session, workspace_id: int) -> DealFacts:
    """Read everything deal features need, in a handful of queries."""
    columns = [getattr(Deal, name) for name in (*PROPERTIES, "pipeline_id", "product_id")]
    deals = read_records(session, Deal, workspace_id, [Deal.created_at, Deal.company_id, *columns])
    stages = read_records(
        session, Stage, workspace_id, [Stage.name, Stage.position, Stage.probability, Stage.kind]
    )
    activities = read_activities(session, workspace_id, of="deal")
    engagement = read_engagement(session, workspace_id)
    links = session.execute(
        select(DealContact.deal_id, DealContact.contact_id).where(
            DealContact.workspace_id == workspace_id
        )
    ).all()
    created = epoch_seconds(deals.columns["created_at"])
    closed = epoch_seconds(deals.columns["closed_at"])
    kinds = stages.lookup("kind", deals.columns["stage_id"])
    owners = np.array([-1 if o is None else o for o in deals.columns["owner_id"]], np.int64)
    is_closed = ~np.isnan(closed)
    return DealFacts(
        deals=deals,
        created=created,
        histories=read_histories(session, workspace_id, "deals", PROPERTIES),
        stages=stages,
        names={
            "pipeline": _names(session, Pipeline, workspace_id),
            "product": _names(session, Product, workspace_id),
        },
        companies=read_companies(session, workspace_id),
        activities=activities.times_of(np.ones(len(activities.kinds), dtype=bool)),
        meetings=activities.times_of(activities.of_kinds("meeting")),
        deal_contacts=(
            np.array([row[0] for row in links], dtype=np.int64),
            np.array([row[1] for row in links], dtype=np.int64),
        ),
        engagement=engagement.times_of(np.ones(len(engagement.kinds), dtype=bool)),
        owner_wins=EventTimes(
            owners[is_closed & (kinds == "won")], closed[is_closed & (kinds == "won")]
        ),
        owner_closes=EventTimes(owners[is_closed], closed[is_closed]),
        owner_created=EventTimes(owners, created),
    )


def _names(
    session: Session, model: type[Pipeline] | type[Product], workspace_id: int
) -> dict[int, str]:
    rows = session.execute(select(model.id, model.name).where(model.workspace_id == workspace_id))
    return dict(rows.all())


def deal_features(facts: DealFacts, deal_ids: Ints, as_of: Ints) -> pd.DataFrame:
    """One row of features per (deal, time) pair, using only what was known at that time."""
    deal_ids = np.asarray(deal_ids, dtype=np.int64)
    as_of = np.asarray(as_of, dtype=np.int64)
    rows = np.searchsorted(facts.deals.ids, deal_ids)
    current = facts.deals.columns
    known = {
        name: facts.histories[name].values_at(deal_ids, as_of, current[name][rows])
        for name in PROPERTIES
    }
    stage = known["stage_id"]
    company = current["company_id"][rows]
    owner = np.array([-1 if o is None else o for o in known["owner_id"]], dtype=np.int64)
    stage_changed = facts.histories["stage_id"].last_change_until(deal_ids, as_of)
    entered_stage = np.where(np.isnan(stage_changed), facts.created[rows], stage_changed)
    wins = facts.owner_wins.count_until(owner, as_of)
    closes = facts.owner_closes.count_until(owner, as_of)
    features: dict[str, object] = {
        "stage": facts.stages.lookup("name", stage),
        "pipeline": _named(facts.names["pipeline"], current["pipeline_id"][rows]),
        "product": _named(facts.names["product"], current["product_id"][rows]),
        "company_industry": facts.companies.lookup("industry", company),
        "company_country": facts.companies.lookup("country", company),
        "amount": numbers(known["amount"]),
        "age_days": (as_of - facts.created[rows]) / DAY,
        "days_in_stage": (as_of - entered_stage) / DAY,
        "stage_probability": numbers(facts.stages.lookup("probability", stage)),
        "stage_position": numbers(facts.stages.lookup("position", stage)),
        "contacts_count": _contacts_count(facts, deal_ids),
        "activities_total": facts.activities.count_until(deal_ids, as_of),
        "activities_30d": facts.activities.count_between(deal_ids, as_of - 30 * DAY, as_of),
        "meetings_total": facts.meetings.count_until(deal_ids, as_of),
        "days_since_last_activity": (as_of - facts.activities.last_until(deal_ids, as_of)) / DAY,
        "owner_win_rate": (wins + 1) / (closes + 2),  # smoothed toward a coin flip
        "owner_open_deals": facts.owner_created.count_until(owner, as_of) - closes,
        "days_to_close_date": _days_until(known["close_date"], as_of),
        "company_employees": numbers(facts.companies.lookup("employees", company)),
        "company_revenue": numbers(facts.companies.lookup("annual_revenue", company)),
        "contact_engagement_30d": _contact_engagement(facts, deal_ids, as_of, days=30),
    }
    frame = pd.DataFrame(features)
    for name in CATEGORICAL:
        frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame


def _named(names: dict[int, str], ids: npt.NDArray[np.object_]) -> list[str | None]:
    return [None if record_id is None else names.get(record_id) for record_id in ids]


def _days_until(dates: npt.NDArray[np.object_], as_of: Ints) -> npt.NDArray[np.float64]:
    """Days from each time to a close date (a date or its ISO text); NaN when unknown."""
    seconds = np.array(
        [np.nan if value is None else _date_seconds(value) for value in dates], dtype=np.float64
    )
    return (seconds - as_of) / DAY


def _date_seconds(value: date | str) -> float:
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return float((day - date(1970, 1, 1)).days * DAY)


def _contacts_count(facts: DealFacts, deal_ids: Ints) -> Ints:
    linked_deals, _ = facts.deal_contacts
    ordered = np.sort(linked_deals)
    return np.searchsorted(ordered, deal_ids, side="right") - np.searchsorted(ordered, deal_ids)


def _contact_engagement(facts: DealFacts, deal_ids: Ints, as_of: Ints, *, days: int) -> Ints:
    """Engagement events of all the deal's contacts in the window before each time."""
    linked_deals, linked_contacts = facts.deal_contacts
    pairs = pd.DataFrame({"row": np.arange(len(deal_ids)), "deal": deal_ids}).merge(
        pd.DataFrame({"deal": linked_deals, "contact": linked_contacts}), on="deal"
    )
    rows = pairs["row"].to_numpy(np.int64)
    contacts = pairs["contact"].to_numpy(np.int64)
    counts = facts.engagement.count_between(contacts, as_of[rows] - days * DAY, as_of[rows])
    totals = np.zeros(len(deal_ids), dtype=np.int64)
    np.add.at(totals, rows, counts)
    return totals
