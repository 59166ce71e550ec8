"""Deals as people work with them: a pipeline's board with stage totals, and one deal's page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from dealflow.core import clock
from dealflow.crm import access
from dealflow.crm.access import Principal
from dealflow.crm.contacts import contact_name, first_reason
from dealflow.crm.history import history_of
from dealflow.crm.repository import WorkspaceRepository
from dealflow.crm.workspaces import default_pipeline, list_pipelines, stages_of
from dealflow.models import (
    Activity,
    Company,
    Contact,
    Deal,
    DealContact,
    Pipeline,
    Stage,
    User,
)

CARDS_PER_STAGE = 40
CLOSED_RECENTLY = timedelta(days=30)
"""Won and lost columns show deals closed this recently; open columns show every deal."""


@dataclass(frozen=True)
class DealCard:
    id: int
    name: str
    amount: Decimal | None
    currency: str
    owner: str | None
    company: str | None
    close_date: date | None
    win_probability: int | None
    win_band: str | None
    top_reason: dict[str, Any] | None
    stalled_since: datetime | None
    overdue: bool


@dataclass
class StageColumn:
    """One stage of the board: its cards (the first ``CARDS_PER_STAGE``) and totals."""

    stage: Stage
    count: int = 0
    totals: dict[str, Decimal] = field(default_factory=dict)
    """Amount per currency."""
    weighted: dict[str, Decimal] = field(default_factory=dict)
    """Amount times the stage's probability, per currency."""
    cards: list[DealCard] = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return self.count - len(self.cards)


@dataclass(frozen=True)
class Board:
    pipeline: Pipeline
    pipelines: Sequence[Pipeline]
    columns: list[StageColumn]
    closed_since: datetime


def deal_board(session: Session, principal: Principal, pipeline_id: int | None = None) -> Board:
    """The kanban of one pipeline (default: the workspace's default) for ``principal``."""
    repository = WorkspaceRepository(session, principal.workspace_id)
    pipeline = (
        repository.get(Pipeline, pipeline_id)
        if pipeline_id is not None
        else default_pipeline(session, principal.workspace_id)
    )
    pipelines = list_pipelines(session, principal.workspace_id)
    columns = {stage.id: StageColumn(stage) for stage in stages_of(session, pipeline.id)}
    now = clock.now()
    closed_since = now - CLOSED_RECENTLY
    owner = aliased(User)
    # Columns, not Deal objects: decoding every deal's custom properties would cost more than
    # the query.
    statement = (
        select(*_CARD_COLUMNS, owner.name.label("owner"), Company.name.label("company"))
        .outerjoin(owner, owner.id == Deal.owner_id)
        .outerjoin(Company, Company.id == Deal.company_id)
        .where(
            access.visible(principal, "deals"),
            Deal.pipeline_id == pipeline.id,
            or_(Deal.closed_at.is_(None), Deal.closed_at >= closed_since),
        )
        .order_by(Deal.stalled_since.is_(None), Deal.amount.desc().nulls_last(), Deal.id)
    )
    today = now.date()
    for deal in session.execute(statement):
        column = columns.get(deal.stage_id)
        if column is None:
            continue
        column.count += 1
        amount = deal.amount or Decimal(0)
        column.totals[deal.currency] = column.totals.get(deal.currency, Decimal(0)) + amount
        weight = Decimal(str(column.stage.probability))
        column.weighted[deal.currency] = (
            column.weighted.get(deal.currency, Decimal(0)) + amount * weight
        ).quantize(Decimal("0.01"))
        if len(column.cards) < CARDS_PER_STAGE:
            column.cards.append(_card(deal, today))
    return Board(pipeline, pipelines, list(columns.values()), closed_since)


_CARD_COLUMNS = (
    Deal.id,
    Deal.name,
    Deal.amount,
    Deal.currency,
    Deal.stage_id,
    Deal.close_date,
    Deal.closed_at,
    Deal.win_probability,
    Deal.win_band,
    Deal.win_reasons,
    Deal.stalled_since,
)


def _card(deal: Any, today: date) -> DealCard:
    """A card from a row of ``_CARD_COLUMNS`` plus the owner's and company's names."""
    return DealCard(
        id=deal.id,
        name=deal.name,
        amount=deal.amount,
        currency=deal.currency,
        owner=deal.owner,
        company=deal.company,
        close_date=deal.close_date,
        win_probability=deal.win_probability,
        win_band=deal.win_band,
        top_reason=first_reason(deal.win_reasons),
        stalled_since=deal.stalled_since,
        overdue=deal.closed_at is None and deal.close_date is not None and deal.close_date < today,
    )


@dataclass(frozen=True)
class HistoryLine:
    """One change of the deal, with ids shown as names."""

    at: datetime
    property: str
    old: str
    new: str
    by: str | None
    source: str


@dataclass(frozen=True)
class DealOverview:
    deal: Deal
    stage: Stage
    stages: Sequence[Stage]
    pipeline: Pipeline
    owner: User | None
    company: Company | None
    contacts: list[tuple[int, str, str | None, str | None]]
    """(id, name, email, role) of the people involved."""
    history: list[HistoryLine]
    activities: Sequence[Activity]


def deal_overview(session: Session, principal: Principal, deal_id: int) -> DealOverview:
    """The deal (if ``principal`` may see it), its people and its full history."""
    deal: Deal = access.read(session, principal, "deals", deal_id)
    repository = WorkspaceRepository(session, principal.workspace_id)
    pipeline = repository.get(Pipeline, deal.pipeline_id)
    stages = stages_of(session, pipeline.id)
    contacts = [
        (contact.id, contact_name(contact), contact.email, role)
        for contact, role in session.execute(
            select(Contact, DealContact.role)
            .join(DealContact, DealContact.contact_id == Contact.id)
            .where(DealContact.deal_id == deal.id, Contact.workspace_id == principal.workspace_id)
            .order_by(Contact.last_name, Contact.id)
        )
    ]
    activities = session.scalars(
        select(Activity)
        .where(Activity.workspace_id == principal.workspace_id, Activity.deal_id == deal.id)
        .order_by(Activity.occurred_at.desc())
        .limit(30)
    ).all()
    return DealOverview(
        deal=deal,
        stage=repository.get(Stage, deal.stage_id),
        stages=stages,
        pipeline=pipeline,
        owner=repository.find(User, deal.owner_id) if deal.owner_id else None,
        company=repository.find(Company, deal.company_id) if deal.company_id else None,
        contacts=contacts,
        history=_history(session, principal.workspace_id, deal.id),
        activities=activities,
    )


def _history(session: Session, workspace_id: int, deal_id: int) -> list[HistoryLine]:
    changes = list(reversed(history_of(session, workspace_id, "deals", deal_id)))
    names = _names(session, workspace_id, changes)
    return [
        HistoryLine(
            at=change.changed_at,
            property=change.property,
            old=names.get((change.property, change.old_value), _shown(change.old_value)),
            new=names.get((change.property, change.new_value), _shown(change.new_value)),
            by=names.get(("owner_id", change.changed_by)) if change.changed_by else None,
            source=change.source,
        )
        for change in changes
    ]


def _names(session: Session, workspace_id: int, changes: Sequence[Any]) -> dict[Any, str]:
    """Names for the stage and user ids the changes mention, keyed by (property, id)."""
    ids: dict[str, set[int]] = defaultdict(set)
    for change in changes:
        for value in (change.old_value, change.new_value):
            if isinstance(value, int) and change.property in ("stage_id", "owner_id"):
                ids[change.property].add(value)
        if change.changed_by:
            ids["owner_id"].add(change.changed_by)
    names: dict[Any, str] = {}
    if ids["stage_id"]:
        for stage_id, name in session.execute(
            select(Stage.id, Stage.name).where(
                Stage.workspace_id == workspace_id, Stage.id.in_(ids["stage_id"])
            )
        ):
            names[("stage_id", stage_id)] = name
    if ids["owner_id"]:
        for user_id, name in session.execute(
            select(User.id, User.name).where(
                User.workspace_id == workspace_id, User.id.in_(ids["owner_id"])
            )
        ):
            names[("owner_id", user_id)] = name
    return names


def _shown(value: Any) -> str:
    return "" if value is None else str(value)
