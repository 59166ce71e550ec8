"""A small workspace with the problems real CRMs have: duplicates under other spellings,
phones and countries in local forms, a misspelt industry, a product spelt two ways, and
links (deals, activities, events, tickets, shares, history) on every duplicate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, text
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.crm import service
from dealflow.crm.properties import define_property
from dealflow.models import Base, DealContact, RecordShare, Workspace
from tests.factories import make_user, stage_named

APPEND_ONLY = frozenset(
    {
        "property_changes",
        "outbox",
        "cleanse_changesets",
        "cleanse_changeset_items",
        "quality_snapshots",
        "jobs",
    }
)
"""Logs that only grow: their earlier rows must stay as they were; new rows are expected."""


@dataclass
class DirtyWorkspace:
    ada: int
    ada_again: int
    acme: int
    acme_again: int
    gtx_pro: int
    gtx_pro_again: int
    deals: list[int]


def build_dirty_workspace(session: Session, workspace: Workspace) -> DirtyWorkspace:
    create = lambda kind, **fields: service.create_record(session, workspace.id, kind, fields)  # noqa: E731
    rep = make_user(session, workspace)
    acme = create(
        "companies", name="ACME, INC.", domain="acme.com", country="Japan", industry="technolgy"
    )
    define_property(session, workspace.id, "companies", "website", "text")
    acme_again = create(
        "companies",
        name="Acme",
        country="Philipines",
        properties={"website": "https://www.Acme.com/about"},
    )
    service.update_record(session, workspace.id, "companies", acme_again.id, {"city": "Osaka"})
    ada = create(
        "contacts",
        first_name="Ada",
        last_name="Lovelace",
        email="Ada@Example.com",
        phone="03-1234-5678",
        country="Japan",
        company_id=acme.id,
    )
    ada_again = create(
        "contacts",
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        job_title="CTO",
        company_id=acme_again.id,
    )
    create(
        "contacts", first_name="Grace", last_name="Hopper", email=" grace@navy.mil ", country="usa"
    )
    gtx_pro = create("products", name="GTX Pro", series="GTX", price=Decimal("4821"))
    gtx_pro_again = create("products", name="GTXPro")
    won = stage_named(session, workspace, "Closed won")
    deals = []
    for contact, company, product in ((ada, acme, gtx_pro), (ada_again, acme_again, gtx_pro_again)):
        deal = create(
            "deals",
            name=f"Deal of {contact.id}",
            amount=Decimal("1000"),
            company_id=company.id,
            product_id=product.id,
            stage_id=won.id,
        )
        deals.append(deal.id)
        session.add(
            DealContact(
                deal_id=deal.id, contact_id=contact.id, workspace_id=workspace.id, role="buyer"
            )
        )
        service.log_activity(
            session,
            workspace.id,
            "call",
            subject="Intro",
            occurred_at=clock.now() - timedelta(days=3),
            links={"contact_id": contact.id},
        )
        service.record_engagement(
            session,
            workspace.id,
            contact.id,
            "page_view",
            occurred_at=clock.now() - timedelta(days=2),
        )
        create(
            "tickets", subject=f"Help {contact.id}", contact_id=contact.id, company_id=company.id
        )
        session.add(
            RecordShare(
                workspace_id=workspace.id,
                object_type="contacts",
                record_id=contact.id,
                user_id=rep.id,
                created_at=clock.now(),
            )
        )
    # both Adas are on the second deal: the merge must fold the links into one
    session.add(
        DealContact(deal_id=deals[1], contact_id=ada.id, workspace_id=workspace.id, role="champion")
    )
    session.flush()
    return DirtyWorkspace(
        ada.id, ada_again.id, acme.id, acme_again.id, gtx_pro.id, gtx_pro_again.id, deals
    )


def dump(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table as the database holds it, in key order. Raw SQL, so a JSON
    ``null`` and SQL NULL (both None through the ORM's types) tell apart."""
    session.flush()
    tables = {}
    for table in Base.metadata.sorted_tables:
        key = ", ".join(c.name for c in table.primary_key.columns)
        columns = ", ".join(
            f"CAST({c.name} AS TEXT)" if isinstance(c.type, JSON) else c.name for c in table.columns
        )
        rows = session.execute(text(f"SELECT {columns} FROM {table.name} ORDER BY {key}")).all()
        tables[table.name] = [tuple(row) for row in rows]
    return tables
