"""Access control: the authorization matrix of roles over every secured object type.

A workspace with an admin, two teams (a manager and reps each) and another workspace's rep;
each rep owns one record of every kind. Who sees, reads, changes and moves what is checked
against the rule: reps their own (plus shares), managers their teams', admins everything,
nobody another workspace's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.core.errors import NotFoundError, PermissionDeniedError
from dealflow.crm import access, service
from dealflow.crm.access import Principal, principal_for
from dealflow.crm.history import history_of
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import AuditEntry, Team, User, Workspace
from tests.factories import (
    make_company,
    make_contact,
    make_deal,
    make_ticket,
    make_user,
    stage_named,
)

OBJECT_TYPES = ("contacts", "companies", "deals", "tickets", "activities")


@dataclass
class Org:
    """The people of the matrix, and the ids of the records each rep owns, by object type."""

    users: dict[str, User]
    owned: dict[str, dict[str, int]]
    """owner key -> object type -> record id"""

    def principal(self, key: str) -> Principal:
        return principal_for(self.users[key])


def _team(session: Session, workspace: Workspace, name: str) -> Team:
    team = Team(workspace_id=workspace.id, name=name, created_at=workspace.created_at)
    session.add(team)
    session.flush()
    return team


def _records_of(session: Session, workspace: Workspace, owner: User) -> dict[str, int]:
    company = make_company(session, workspace, owner_id=owner.id)
    contact = make_contact(session, workspace, owner_id=owner.id, company_id=company.id)
    deal = make_deal(session, workspace, owner_id=owner.id, company_id=company.id)
    ticket = make_ticket(session, workspace, owner_id=owner.id, contact_id=contact.id)
    task = service.log_activity(
        session,
        workspace.id,
        "task",
        subject=f"Call {contact.email}",
        links={"contact_id": contact.id, "deal_id": deal.id, "owner_id": owner.id},
    )
    return {
        "companies": company.id,
        "contacts": contact.id,
        "deals": deal.id,
        "tickets": ticket.id,
        "activities": task.id,
    }


@pytest.fixture
def org(session: Session, workspace: Workspace, frozen_clock: FrozenClock) -> Org:
    east, west = _team(session, workspace, "East"), _team(session, workspace, "West")
    admin = make_user(session, workspace, role="admin")
    manager = make_user(session, workspace, role="manager", team_id=east.id)
    rep = make_user(session, workspace, role="rep", team_id=east.id, manager_id=manager.id)
    teammate = make_user(session, workspace, role="rep", team_id=east.id)
    west_manager = make_user(session, workspace, role="manager", team_id=west.id)
    west_rep = make_user(session, workspace, role="rep", team_id=west.id)
    other = ensure_workspace(session, "globex", "Globex")
    stranger = make_user(session, other, role="admin")
    users = {
        "admin": admin,
        "manager": manager,
        "rep": rep,
        "teammate": teammate,
        "west_manager": west_manager,
        "west_rep": west_rep,
        "stranger": stranger,
    }
    owned = {
        key: _records_of(session, workspace, users[key]) for key in ("rep", "teammate", "west_rep")
    }
    owned["stranger"] = _records_of(session, other, stranger)
    return Org(users, owned)


SEES = {
    "admin": {"rep", "teammate", "west_rep"},
    "manager": {"rep", "teammate"},
    "rep": {"rep"},
    "teammate": {"teammate"},
    "west_manager": {"west_rep"},
    "west_rep": {"west_rep"},
    "stranger": {"stranger"},
}
"""Whose records each viewer sees by role alone."""


@pytest.mark.parametrize("object_type", OBJECT_TYPES)
@pytest.mark.parametrize("viewer", list(SEES))
class TestMatrix:
    def test_lists_hold_exactly_the_records_the_role_allows(
        self, session: Session, org: Org, viewer: str, object_type: str
    ) -> None:
        listed = {r.id for r in access.list_visible(session, org.principal(viewer), object_type)}

        assert listed == {org.owned[owner][object_type] for owner in SEES[viewer]}

    def test_reading_another_persons_record_is_not_found_unless_the_role_allows(
        self, session: Session, org: Org, viewer: str, object_type: str
    ) -> None:
        principal = org.principal(viewer)
        for owner, records in org.owned.items():
            record_id = records[object_type]
            if owner in SEES[viewer]:
                assert access.read(session, principal, object_type, record_id).id == record_id
            else:
                with pytest.raises(NotFoundError, match=f"{object_type} #{record_id} not found"):
                    access.read(session, principal, object_type, record_id)


@pytest.mark.parametrize("object_type", ("contacts", "companies", "deals", "tickets"))
@pytest.mark.parametrize("viewer", list(SEES))
def test_updates_succeed_only_on_records_the_role_allows(
    session: Session, org: Org, viewer: str, object_type: str
) -> None:
    field = {"contacts": "job_title", "companies": "industry", "deals": "name"}.get(
        object_type, "subject"
    )
    principal = org.principal(viewer)
    for owner, records in org.owned.items():
        record_id = records[object_type]
        if owner in SEES[viewer]:
            changes = access.update(
                session, principal, object_type, record_id, {field: f"set by {viewer}"}
            )
            assert [change.new for change in changes] == [f"set by {viewer}"]
            [entry] = history_of(session, principal.workspace_id, object_type, record_id)[-1:]
            assert entry.changed_by == principal.user_id
        else:
            with pytest.raises(NotFoundError):
                access.update(session, principal, object_type, record_id, {field: "nope"})


class TestAssigning:
    def test_a_rep_cannot_give_their_record_to_someone_else(
        self, session: Session, org: Org
    ) -> None:
        contact_id = org.owned["rep"]["contacts"]
        with pytest.raises(PermissionDeniedError, match="a rep cannot give records"):
            access.update(
                session,
                org.principal("rep"),
                "contacts",
                contact_id,
                {"owner_id": org.users["teammate"].id},
            )

    def test_a_manager_assigns_within_their_team_only(self, session: Session, org: Org) -> None:
        contact_id = org.owned["rep"]["contacts"]
        manager = org.principal("manager")

        access.update(
            session, manager, "contacts", contact_id, {"owner_id": org.users["teammate"].id}
        )
        with pytest.raises(PermissionDeniedError, match="not in your teams"):
            access.update(
                session, manager, "contacts", contact_id, {"owner_id": org.users["west_rep"].id}
            )

    def test_an_admin_assigns_to_anyone(self, session: Session, org: Org) -> None:
        deal_id = org.owned["rep"]["deals"]
        access.update(
            session,
            org.principal("admin"),
            "deals",
            deal_id,
            {"owner_id": org.users["west_rep"].id},
        )

        assert deal_id in {
            d.id for d in access.list_visible(session, org.principal("west_rep"), "deals")
        }
        assert deal_id not in {
            d.id for d in access.list_visible(session, org.principal("rep"), "deals")
        }


class TestMovingDeals:
    def test_the_owner_moves_their_deal_and_the_move_is_in_the_history(
        self, session: Session, org: Org, workspace: Workspace
    ) -> None:
        deal_id = org.owned["rep"]["deals"]
        demo = stage_named(session, workspace, "Demo")

        access.move_deal(session, org.principal("rep"), deal_id, demo.id, source="web")

        [change] = list(history_of(session, workspace.id, "deals", deal_id))
        assert (change.property, change.new_value, change.source) == ("stage_id", demo.id, "web")
        assert change.changed_by == org.users["rep"].id

    def test_nobody_moves_a_deal_they_cannot_see(
        self, session: Session, org: Org, workspace: Workspace
    ) -> None:
        demo = stage_named(session, workspace, "Demo")
        for viewer, owner in (("rep", "teammate"), ("west_manager", "rep"), ("stranger", "rep")):
            with pytest.raises(NotFoundError):
                access.move_deal(session, org.principal(viewer), org.owned[owner]["deals"], demo.id)


class TestSharing:
    def test_a_shared_record_becomes_visible_to_that_rep_only(
        self, session: Session, org: Org
    ) -> None:
        contact_id = org.owned["teammate"]["contacts"]

        access.share(
            session, org.principal("teammate"), "contacts", contact_id, org.users["rep"].id
        )

        assert access.read(session, org.principal("rep"), "contacts", contact_id).id == contact_id
        # The contact's ticket and activities follow it; the West team still sees nothing.
        rep_tickets = {t.id for t in access.list_visible(session, org.principal("rep"), "tickets")}
        assert org.owned["teammate"]["tickets"] in rep_tickets
        with pytest.raises(NotFoundError):
            access.read(session, org.principal("west_rep"), "contacts", contact_id)
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "record_shared"))
        assert entry.target == f"contacts #{contact_id}"
        assert entry.actor_id == org.users["teammate"].id

    def test_nobody_shares_what_they_cannot_see(self, session: Session, org: Org) -> None:
        with pytest.raises(NotFoundError):
            access.share(
                session,
                org.principal("rep"),
                "deals",
                org.owned["west_rep"]["deals"],
                org.users["rep"].id,
            )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    owners=st.lists(st.sampled_from(["rep", "teammate", "west_rep", "manager", None]), max_size=8),
    shared=st.sets(st.integers(0, 7), max_size=4),
    viewer=st.sampled_from(["rep", "teammate", "manager", "west_manager", "admin"]),
)
def test_the_contact_filter_agrees_with_the_rule_for_any_ownership(
    session: Session,
    org: Org,
    workspace: Workspace,
    owners: list[str | None],
    shared: set[int],
    viewer: str,
) -> None:
    nested = session.begin_nested()
    try:
        principal = org.principal(viewer)
        expected = set()
        for index, owner in enumerate(owners):
            owner_id = org.users[owner].id if owner else None
            contact = make_contact(session, workspace, owner_id=owner_id)
            is_shared = index in shared and viewer != "admin"
            if is_shared:
                admin = org.principal("admin")
                access.share(session, admin, "contacts", contact.id, principal.user_id)
            team = SEES[viewer] | ({"manager"} if viewer == "manager" else set())
            if viewer == "admin" or owner in team or owner == viewer or is_shared:
                expected.add(contact.id)
        made = {c.id for c in access.list_visible(session, principal, "contacts")} - {
            org.owned[key]["contacts"] for key in org.owned
        }
        assert made == expected
    finally:
        nested.rollback()
