"""Workspace isolation: nothing read or written in one workspace reaches another's records,
whatever ids a caller passes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.crm import service
from dealflow.crm.repository import WorkspaceRepository
from dealflow.crm.workspaces import default_pipeline, ensure_workspace
from dealflow.models import Company, Contact, Workspace
from tests.factories import make_company, make_contact, make_deal, make_user, stage_named


@pytest.fixture
def other(session: Session, frozen_clock: FrozenClock) -> Workspace:
    return ensure_workspace(session, "globex", "Globex Sales")


class TestRepository:
    def test_another_workspaces_record_is_not_found_by_its_id(
        self, session: Session, workspace: Workspace, other: Workspace
    ) -> None:
        theirs = make_contact(session, other, email="secret@globex.com")
        ours = WorkspaceRepository(session, workspace.id)

        with pytest.raises(NotFoundError, match=f"contacts #{theirs.id} not found"):
            ours.get(Contact, theirs.id)
        assert ours.find(Contact, theirs.id) is None
        assert ours.find_by(Contact, email="secret@globex.com") is None
        assert WorkspaceRepository(session, other.id).get(Contact, theirs.id) is theirs

    def test_lists_and_counts_hold_only_the_workspaces_own_records(
        self, session: Session, workspace: Workspace, other: Workspace
    ) -> None:
        ours = [make_company(session, workspace, industry="retail") for _ in range(2)]
        make_company(session, other, industry="retail")
        repository = WorkspaceRepository(session, workspace.id)

        assert list(repository.list(Company)) == ours
        assert list(repository.list(Company, industry="retail")) == ours
        assert repository.count(Company) == 2
        assert repository.count(Company, industry="retail") == 2

    def test_list_pages_through_the_workspace_in_id_order(
        self, session: Session, workspace: Workspace, other: Workspace
    ) -> None:
        ours = []
        for _ in range(3):
            ours.append(make_contact(session, workspace))
            make_contact(session, other)
        repository = WorkspaceRepository(session, workspace.id)

        pages = [repository.list(Contact, limit=2, offset=offset) for offset in (0, 2, 4)]

        assert [list(page) for page in pages] == [ours[:2], ours[2:], []]


class TestServiceLinks:
    def test_a_contact_cannot_join_another_workspaces_company(
        self, session: Session, workspace: Workspace, other: Workspace
    ) -> None:
        theirs = make_company(session, other)
        contact = make_contact(session, workspace)

        with pytest.raises(NotFoundError):
            make_contact(session, workspace, company_id=theirs.id)
        with pytest.raises(NotFoundError):
            service.update_record(
                session, workspace.id, "contacts", contact.id, {"company_id": theirs.id}
            )
        assert contact.company_id is None

    def test_a_record_cannot_be_owned_by_another_workspaces_user(
        self, session: Session, workspace: Workspace, other: Workspace
    ) -> None:
        their_rep = make_user(session, other)

        with pytest.raises(NotFoundError, match=f"users #{their_rep.id}"):
            make_deal(session, workspace, owner_id=their_rep.id)
        with pytest.raises(NotFoundError, match=f"users #{their_rep.id}"):
            make_company(session, workspace, owner_id=their_rep.id)

    def test_another_workspaces_records_cannot_be_updated(
        self, session: Session, workspace: Workspace, other: Workspace
    ) -> None:
        theirs = make_contact(session, other, city="Oslo")

        with pytest.raises(NotFoundError):
            service.update_record(session, workspace.id, "contacts", theirs.id, {"city": "Rome"})
        assert theirs.city == "Oslo"

    def test_a_deal_cannot_be_placed_in_another_workspaces_pipeline_or_stage(
        self, session: Session, workspace: Workspace, other: Workspace
    ) -> None:
        their_pipeline = default_pipeline(session, other.id)
        their_stage = stage_named(session, other, "Demo")
        deal = make_deal(session, workspace)

        with pytest.raises(NotFoundError, match=f"pipelines #{their_pipeline.id}"):
            make_deal(session, workspace, pipeline_id=their_pipeline.id)
        with pytest.raises(NotFoundError, match=f"stages #{their_stage.id}"):
            service.move_deal(session, workspace.id, deal.id, their_stage.id)
        with pytest.raises(InvalidInputError):
            service.update_record(
                session, workspace.id, "deals", deal.id, {"pipeline_id": their_pipeline.id}
            )
        assert deal.pipeline_id == default_pipeline(session, workspace.id).id

    def test_engagement_and_activities_cannot_touch_another_workspaces_contact(
        self, session: Session, workspace: Workspace, other: Workspace
    ) -> None:
        theirs = make_contact(session, other)

        with pytest.raises(NotFoundError):
            service.record_engagement(session, workspace.id, theirs.id, "page_view")
        with pytest.raises(NotFoundError):
            service.log_activity(session, workspace.id, "call", links={"contact_id": theirs.id})


class TestPartition:
    @settings(
        max_examples=25,
        deadline=None,
        # Each example works in a savepoint it rolls back, so the fixtures stay clean.
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        st.lists(
            st.tuples(st.sampled_from(["ours", "theirs"]), st.sampled_from([Contact, Company])),
            max_size=12,
        )
    )
    def test_records_of_two_workspaces_partition_exactly(
        self,
        session: Session,
        workspace: Workspace,
        other: Workspace,
        steps: list[tuple[str, type[Contact] | type[Company]]],
    ) -> None:
        owners = {"ours": workspace, "theirs": other}
        savepoint = session.begin_nested()
        try:
            created: dict[tuple[str, type], list[int]] = {
                (name, model): [] for name in owners for model in (Contact, Company)
            }
            for name, model in steps:
                make = make_contact if model is Contact else make_company
                created[name, model].append(make(session, owners[name]).id)

            for name, owner in owners.items():
                repository = WorkspaceRepository(session, owner.id)
                foreign = "theirs" if name == "ours" else "ours"
                for model in (Contact, Company):
                    mine = created[name, model]
                    assert [r.id for r in repository.list(model, limit=100)] == mine
                    assert repository.count(model) == len(mine)
                    assert all(
                        repository.get(model, record_id).id == record_id for record_id in mine
                    )
                    for record_id in created[foreign, model]:
                        assert repository.find(model, record_id) is None
                        with pytest.raises(NotFoundError):
                            repository.get(model, record_id)
        finally:
            savepoint.rollback()
