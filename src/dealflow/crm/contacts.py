"""Contacts as people work with them: a sortable, filterable list, and one contact's page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from dealflow.core.dialect import Dialect, dialect_of
from dealflow.core.errors import InvalidInputError
from dealflow.crm import access
from dealflow.crm.access import Principal
from dealflow.crm.objects import LIFECYCLE_STAGES
from dealflow.models import (
    Activity,
    Company,
    Contact,
    Deal,
    DealContact,
    EngagementEvent,
    Stage,
    Ticket,
    User,
)

SORTS = ("score", "name", "created", "last_activity")
BANDS = ("A", "B", "C", "D")
PAGE_SIZE = 50
TIMELINE_LENGTH = 60


def person_name(language: str | None, given: str | None, family: str | None) -> str:
    """A name as written in its language: family first in Japanese and Korean (no space in
    Korean), given name first otherwise."""
    given, family = (given or "").strip(), (family or "").strip()
    if language == "ja":
        return f"{family} {given}".strip()
    if language == "ko":
        return f"{family}{given}"
    return f"{given} {family}".strip()


def first_reason(reasons: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    """The strongest reason behind a score (reasons come strongest first), as stored: its
    sentence, feature, value and impact, for the page to say in the viewer's language."""
    return reasons[0] if reasons else None


def contact_name(contact: Contact) -> str:
    """The contact's name, or their email when they have none."""
    return (
        person_name(contact.language, contact.first_name, contact.last_name)
        or contact.email
        or f"#{contact.id}"
    )


@dataclass(frozen=True)
class ContactQuery:
    """What a contact list shows: filters, order and page (1-based)."""

    search: str = ""
    lifecycle: str = ""
    band: str = ""
    owner_id: int | None = None
    sort: str = "score"
    page: int = 1

    def checked(self) -> ContactQuery:
        """This query, or InvalidInputError naming the bad filter."""
        if self.sort not in SORTS:
            raise InvalidInputError(f"sort {self.sort!r} is not one of: {', '.join(SORTS)}")
        if self.lifecycle and self.lifecycle not in LIFECYCLE_STAGES:
            raise InvalidInputError(f"lifecycle {self.lifecycle!r} is not a lifecycle stage")
        if self.band and self.band not in BANDS:
            raise InvalidInputError(f"band {self.band!r} is not one of: {', '.join(BANDS)}")
        if self.page < 1:
            raise InvalidInputError("page: pages start at 1")
        return self


@dataclass(frozen=True)
class ContactRow:
    id: int
    name: str
    email: str | None
    job_title: str | None
    company: str | None
    lifecycle_stage: str
    score: int | None
    band: str | None
    top_reason: dict[str, Any] | None
    owner: str | None
    created_at: datetime
    last_activity_at: datetime | None


@dataclass(frozen=True)
class ContactPage:
    rows: list[ContactRow]
    total: int
    page: int
    pages: int


def list_contacts(session: Session, principal: Principal, query: ContactQuery) -> ContactPage:
    """One page of the contacts ``principal`` may see, filtered and sorted."""
    query = query.checked()
    where = [access.visible(principal, "contacts"), *_filters(query, dialect_of(session))]
    total = int(session.scalar(select(func.count()).select_from(Contact).where(*where)) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    last_activity = _last_activity()
    # Pick the page's ids first: sorting whole rows (with their last activity) would compute
    # the subquery and carry every column for every contact through the sort.
    page_ids = session.scalars(
        select(Contact.id)
        .where(*where)
        .order_by(*_order(query.sort, last_activity))
        .limit(PAGE_SIZE)
        .offset((min(query.page, pages) - 1) * PAGE_SIZE)
    ).all()
    owner = aliased(User)
    statement: Select[Any] = (
        select(Contact, Company.name, owner.name, last_activity)
        .outerjoin(Company, Company.id == Contact.company_id)
        .outerjoin(owner, owner.id == Contact.owner_id)
        .where(Contact.id.in_(page_ids))
    )
    by_id = {
        contact.id: ContactRow(
            id=contact.id,
            name=contact_name(contact),
            email=contact.email,
            job_title=contact.job_title,
            company=company,
            lifecycle_stage=contact.lifecycle_stage,
            score=contact.score,
            band=contact.score_band,
            top_reason=first_reason(contact.score_reasons),
            owner=owner_name,
            created_at=contact.created_at,
            last_activity_at=last_at,
        )
        for contact, company, owner_name, last_at in session.execute(statement)
    }
    rows = [by_id[contact_id] for contact_id in page_ids]
    return ContactPage(rows, total, min(query.page, pages), pages)


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened with a contact: an activity or an engagement event."""

    at: datetime
    source: str  # "activity" or "engagement"
    kind: str
    title: str
    detail: str | None


@dataclass(frozen=True)
class DealLine:
    id: int
    name: str
    stage: str
    stage_kind: str
    amount: Any
    currency: str
    win_probability: int | None


@dataclass(frozen=True)
class ContactOverview:
    """Everything the contact page shows."""

    contact: Contact
    name: str
    company: Company | None
    owner: User | None
    timeline: list[TimelineEntry]
    deals: list[DealLine]
    tasks: Sequence[Activity]
    questions: Sequence[Ticket]


def contact_overview(session: Session, principal: Principal, contact_id: int) -> ContactOverview:
    """The contact (if ``principal`` may see it), its timeline, deals, tasks and questions."""
    contact: Contact = access.read(session, principal, "contacts", contact_id)
    company = session.get(Company, contact.company_id) if contact.company_id else None
    owner = session.get(User, contact.owner_id) if contact.owner_id else None
    deals = [
        DealLine(
            deal.id,
            deal.name,
            stage.name,
            stage.kind,
            deal.amount,
            deal.currency,
            deal.win_probability,
        )
        for deal, stage in session.execute(
            select(Deal, Stage)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(
                Deal.workspace_id == principal.workspace_id,
                Deal.id.in_(_deal_ids_of(contact.id)),
            )
            .order_by(Deal.created_at.desc())
        )
    ]
    tasks = session.scalars(
        select(Activity)
        .where(
            Activity.workspace_id == principal.workspace_id,
            Activity.contact_id == contact.id,
            Activity.kind == "task",
        )
        .order_by(Activity.status != "open", Activity.due_at.desc())
        .limit(20)
    ).all()
    questions = session.scalars(
        select(Ticket)
        .where(Ticket.workspace_id == principal.workspace_id, Ticket.contact_id == contact.id)
        .order_by(Ticket.created_at.desc())
        .limit(20)
    ).all()
    return ContactOverview(
        contact=contact,
        name=contact_name(contact),
        company=company,
        owner=owner,
        timeline=_timeline(session, principal.workspace_id, contact.id),
        deals=deals,
        tasks=tasks,
        questions=questions,
    )


def _timeline(session: Session, workspace_id: int, contact_id: int) -> list[TimelineEntry]:
    activities = session.scalars(
        select(Activity)
        .where(
            Activity.workspace_id == workspace_id,
            Activity.contact_id == contact_id,
            Activity.kind != "task",
        )
        .order_by(Activity.occurred_at.desc())
        .limit(TIMELINE_LENGTH)
    ).all()
    events = session.scalars(
        select(EngagementEvent)
        .where(
            EngagementEvent.workspace_id == workspace_id, EngagementEvent.contact_id == contact_id
        )
        .order_by(EngagementEvent.occurred_at.desc())
        .limit(TIMELINE_LENGTH)
    ).all()
    entries = [
        TimelineEntry(a.occurred_at, "activity", a.kind, a.subject or "", a.body)
        for a in activities
    ] + [
        TimelineEntry(
            e.occurred_at, "engagement", e.kind, e.url or str(e.properties.get("form") or ""), None
        )
        for e in events
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:TIMELINE_LENGTH]


def _deal_ids_of(contact_id: int) -> Select[Any]:
    return select(DealContact.deal_id).where(DealContact.contact_id == contact_id)


def _filters(query: ContactQuery, dialect: Dialect) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if query.search.strip():
        pattern = "%" + _escaped(query.search.strip()) + "%"
        first, last = func.coalesce(Contact.first_name, ""), func.coalesce(Contact.last_name, "")
        searched = (  # names either way round, with a space or (Korean) without
            func.coalesce(Contact.email, ""),
            first + " " + last,
            last + " " + first,
            last + first,
        )
        filters.append(or_(*(dialect.matches(column, pattern) for column in searched)))
    if query.lifecycle:
        filters.append(Contact.lifecycle_stage == query.lifecycle)
    if query.band:
        filters.append(Contact.score_band == query.band)
    if query.owner_id is not None:
        filters.append(Contact.owner_id == query.owner_id)
    return filters


def _escaped(text: str) -> str:
    """``text`` with LIKE's wildcards taken literally (the dialects escape with a backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _last_activity() -> Any:
    return (
        select(func.max(Activity.occurred_at))
        .where(Activity.contact_id == Contact.id)
        .correlate(Contact)
        .scalar_subquery()
        .label("last_activity_at")
    )


def _order(sort: str, last_activity: Any) -> list[Any]:
    if sort == "name":
        return [Contact.last_name, Contact.first_name, Contact.id]
    if sort == "created":
        return [Contact.created_at.desc(), Contact.id.desc()]
    if sort == "last_activity":
        return [last_activity.desc().nulls_last(), Contact.id.desc()]
    return [Contact.score.desc().nulls_last(), Contact.created_at.desc(), Contact.id.desc()]
