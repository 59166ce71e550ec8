"""Segments: dynamic lists of contacts defined with the workflows' filter language over
properties, scores and bands, the company's properties and behaviour (``behaviour.
page_view_30d``). Members are computed on demand, so they follow every record change.
Each segment carries message templates by language, checked for unknown merge fields
when saved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.automate.filters import Filter, FilterError, check_filter, matches, parse_filter
from dealflow.automate.schema import PropertyInfo, PropertyKind, PropertySchema
from dealflow.core import clock
from dealflow.core.errors import InvalidFieldsError, NotFoundError
from dealflow.crm.objects import ENGAGEMENT_KINDS
from dealflow.models import Company, Contact, EngagementEvent, PropertyChange, Segment
from dealflow.personalize.context import LANGUAGES
from dealflow.personalize.generators.base import MessageTemplate
from dealflow.personalize.merge_fields import check_template

WINDOWS = {"7d": 7, "30d": 30, "90d": 90}
BEHAVIOUR = "behaviour"
BEHAVIOUR_PROPERTIES: dict[str, PropertyInfo] = {
    **{
        f"{kind}_{window}": PropertyInfo(f"{kind}_{window}", PropertyKind.number)
        for kind in ENGAGEMENT_KINDS
        for window in WINDOWS
    },
    **{f"events_{w}": PropertyInfo(f"events_{w}", PropertyKind.number) for w in WINDOWS},
    "last_event_at": PropertyInfo("last_event_at", PropertyKind.date),
}


class SegmentSchema(PropertySchema):
    """The properties a segment may filter on: a contact's, its company's, and behaviour."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        super().__init__(session, workspace_id, "contacts")

    def resolve(self, path: str) -> PropertyInfo:
        head, _, rest = path.partition(".")
        if head != BEHAVIOUR:
            return super().resolve(path)
        if rest not in BEHAVIOUR_PROPERTIES:
            raise KeyError(
                f"no behaviour {rest!r}; behaviour: counts like page_view_30d, "
                f"email_click_7d, events_90d (windows {', '.join(WINDOWS)}), last_event_at"
            )
        return BEHAVIOUR_PROPERTIES[rest]


def save_segment(
    session: Session,
    workspace_id: int,
    name: str,
    filter_document: Any,
    templates: dict[str, dict[str, str]] | None = None,
    description: str | None = None,
) -> Segment:
    """Create the segment ``name``, or replace its definition; InvalidFieldsError names a
    bad filter part, an unknown language or an unknown merge field."""
    name = name.strip()
    if not name:
        raise InvalidFieldsError([("name", "a segment needs a name")])
    try:
        tree = parse_filter(filter_document)
        check_filter(tree, SegmentSchema(session, workspace_id))
    except FilterError as error:
        raise InvalidFieldsError([(f"filter.{error.path}".rstrip("."), error.message)]) from None
    templates = templates or {}
    for language, parts in templates.items():
        if language not in LANGUAGES:
            raise InvalidFieldsError(
                [(f"templates.{language}", f"expected a language of: {', '.join(LANGUAGES)}")]
            )
        for part in ("subject", "body"):
            if parts.get(part):
                check_template(parts[part], f"templates.{language}.{part}")
    now = clock.now()
    segment = session.scalars(
        select(Segment).where(Segment.workspace_id == workspace_id, Segment.name == name)
    ).first()
    if segment is None:
        segment = Segment(workspace_id=workspace_id, name=name, created_at=now)
        session.add(segment)
    segment.filter = filter_document
    segment.templates = {
        language: {k: v for k, v in parts.items() if k in ("subject", "body") and v}
        for language, parts in templates.items()
    }
    segment.description = description
    segment.updated_at = now
    session.flush()
    return segment


def list_segments(session: Session, workspace_id: int) -> Sequence[Segment]:
    """The workspace's segments by name."""
    return session.scalars(
        select(Segment).where(Segment.workspace_id == workspace_id).order_by(Segment.name)
    ).all()


def get_segment(session: Session, workspace_id: int, key: str | int) -> Segment:
    """A segment by id or name; NotFoundError lists the segments there are."""
    statement = select(Segment).where(Segment.workspace_id == workspace_id)
    if isinstance(key, int) or str(key).isdigit():
        statement = statement.where(Segment.id == int(key))
    else:
        statement = statement.where(Segment.name == str(key))
    segment = session.scalars(statement).first()
    if segment is None:
        names = ", ".join(s.name for s in list_segments(session, workspace_id)) or "none yet"
        raise NotFoundError(f"no segment {key!r} in this workspace (segments: {names})")
    return segment


def template_for(segment: Segment | None, language: str) -> MessageTemplate | None:
    """The segment's template in ``language`` (None when it has none in that language)."""
    if segment is None:
        return None
    parts = (segment.templates or {}).get(language)
    if not parts:
        return None
    return MessageTemplate(parts.get("subject"), parts.get("body"))


def segment_members(
    session: Session, workspace_id: int, segment: Segment, now: datetime | None = None
) -> list[Contact]:
    """The contacts that match the segment's filter now, in id order."""
    now = now or clock.now()
    tree = parse_filter(segment.filter)
    contacts = session.scalars(
        select(Contact).where(Contact.workspace_id == workspace_id).order_by(Contact.id)
    ).all()
    companies = {
        c.id: c
        for c in session.scalars(select(Company).where(Company.workspace_id == workspace_id))
    }
    behaviour = _behaviour(session, workspace_id, now) if _names_behaviour(tree) else {}
    return [
        contact
        for contact in contacts
        if matches(
            tree,
            _Member(session, contact, companies.get(contact.company_id or -1), behaviour),
            now,
        )
    ]


def _names_behaviour(tree: Filter) -> bool:
    if hasattr(tree, "items"):
        return any(_names_behaviour(item) for item in tree.items)
    return tree.property.startswith(f"{BEHAVIOUR}.")


@dataclass
class _Member:
    """A contact as a segment's filter reads it."""

    session: Session
    contact: Contact
    company: Company | None
    behaviour: dict[int, dict[str, Any]]

    def values(self, prop: str) -> Sequence[Any]:
        head, _, rest = prop.partition(".")
        if not rest:
            return [_field(self.contact, prop)]
        if head == BEHAVIOUR:
            counts = self.behaviour.get(self.contact.id, {})
            return [counts.get(rest, None if rest == "last_event_at" else 0)]
        if head == "company":
            return [_field(self.company, rest)] if self.company is not None else []
        return []

    def changed_since(self, prop: str, since: datetime) -> bool:
        head, _, rest = prop.partition(".")
        object_type, record_id, name = "contacts", self.contact.id, prop
        if head == "company" and rest:
            if self.company is None:
                return False
            object_type, record_id, name = "companies", self.company.id, rest
        return (
            self.session.scalar(
                select(PropertyChange.id)
                .where(
                    PropertyChange.workspace_id == self.contact.workspace_id,
                    PropertyChange.object_type == object_type,
                    PropertyChange.record_id == record_id,
                    PropertyChange.property == name,
                    PropertyChange.changed_at >= since,
                )
                .limit(1)
            )
            is not None
        )


def _field(record: Any, name: str) -> Any:
    if name in record.__table__.columns and name != "properties":
        return getattr(record, name)
    return (record.properties or {}).get(name)


def _behaviour(session: Session, workspace_id: int, now: datetime) -> dict[int, dict[str, Any]]:
    """Per contact: event counts by kind and window, and the time of the last event."""
    result: dict[int, dict[str, Any]] = defaultdict(dict)
    for window, days in WINDOWS.items():
        rows = session.execute(
            select(EngagementEvent.contact_id, EngagementEvent.kind, func.count())
            .where(
                EngagementEvent.workspace_id == workspace_id,
                EngagementEvent.occurred_at >= now - timedelta(days=days),
                EngagementEvent.occurred_at <= now,
                EngagementEvent.contact_id.is_not(None),
            )
            .group_by(EngagementEvent.contact_id, EngagementEvent.kind)
        ).all()
        for contact_id, kind, count in rows:
            counts = result[contact_id or 0]
            counts[f"{kind}_{window}"] = count
            counts[f"events_{window}"] = counts.get(f"events_{window}", 0) + count
    for contact_id, last in session.execute(
        select(EngagementEvent.contact_id, func.max(EngagementEvent.occurred_at))
        .where(EngagementEvent.workspace_id == workspace_id, EngagementEvent.occurred_at <= now)
        .group_by(EngagementEvent.contact_id)
    ):
        if contact_id is not None:
            result[contact_id]["last_event_at"] = last
    return result
