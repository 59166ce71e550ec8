"""Applying the agent's changeset and undoing it leaves every table as it was: records,
links and earlier history exactly; only the append-only logs have grown."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.clock import FrozenClock
from dealflow.crm.cleansing.service import (
    Policy,
    apply_changeset,
    items_of,
    run_agent,
    undo_changeset,
)
from dealflow.models import (
    Activity,
    Company,
    Contact,
    Deal,
    DealContact,
    EngagementEvent,
    Product,
    Ticket,
    Workspace,
)
from tests.crm.cleansing.dirty_data import APPEND_ONLY, build_dirty_workspace, dump


def test_apply_then_undo_restores_every_table(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock
) -> None:
    dirty = build_dirty_workspace(session, workspace)
    before = dump(session)
    changeset = run_agent(session, workspace, now=clock.now(), policy=Policy(auto_apply=False))
    frozen_clock.advance(__import__("datetime").timedelta(minutes=5))
    apply_changeset(session, workspace.id, changeset.id, now=clock.now())
    applied = dump(session)
    assert applied != before
    frozen_clock.advance(__import__("datetime").timedelta(minutes=5))
    undo_changeset(session, workspace.id, changeset.id, now=clock.now())
    after = dump(session)
    for table, rows in before.items():
        if table in APPEND_ONLY:
            assert after[table][: len(rows)] == rows, table
        else:
            assert after[table] == rows, table
    statuses = {i.status for i in items_of(session, changeset)}
    assert "undone" in statuses and statuses <= {"undone", "skipped"}  # skipped: merged away
    del dirty


def test_merges_move_every_link_to_the_survivor(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock
) -> None:
    dirty = build_dirty_workspace(session, workspace)
    changeset = run_agent(session, workspace, now=clock.now(), policy=Policy(auto_apply=False))
    apply_changeset(session, workspace.id, changeset.id, now=clock.now())
    contacts = session.scalars(
        select(Contact.id).where(Contact.id.in_([dirty.ada, dirty.ada_again]))
    ).all()
    assert len(contacts) == 1
    survivor = contacts[0]
    for model in (Activity, EngagementEvent, Ticket):
        linked = session.scalars(
            select(model.contact_id).where(
                model.workspace_id == workspace.id, model.contact_id.is_not(None)
            )
        ).all()
        assert set(linked) <= {survivor, *session.scalars(select(Contact.id))}
        assert survivor in linked
    links = session.execute(select(DealContact.deal_id, DealContact.contact_id)).all()
    assert sorted(links) == sorted((deal, survivor) for deal in dirty.deals)
    companies = session.scalars(
        select(Company.id).where(Company.id.in_([dirty.acme, dirty.acme_again]))
    ).all()
    assert len(companies) == 1
    assert set(session.scalars(select(Deal.company_id).where(Deal.id.in_(dirty.deals)))) == set(
        companies
    )
    products = session.scalars(
        select(Product).where(Product.id.in_([dirty.gtx_pro, dirty.gtx_pro_again]))
    ).all()
    assert [p.name for p in products] == ["GTX Pro"]
    assert set(session.scalars(select(Deal.product_id).where(Deal.id.in_(dirty.deals)))) == {
        products[0].id
    }
    ada = session.get(Contact, survivor)
    assert ada is not None and ada.email == "ada@example.com" and ada.phone == "+81312345678"
    assert ada.job_title == "CTO" and ada.country == "JP"
