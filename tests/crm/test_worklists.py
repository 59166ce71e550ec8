"""The services behind the pages: the contact list (sort, filters, search, pages), a contact's
overview, the deal board's totals, tasks and "my day"."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.crm import access, service
from dealflow.crm.access import Principal, principal_for
from dealflow.crm.contacts import PAGE_SIZE, ContactQuery, contact_overview, list_contacts
from dealflow.crm.deals import deal_board
from dealflow.crm.history import history_of
from dealflow.crm.my_day import my_day
from dealflow.crm.tasks import complete_task, my_tasks
from dealflow.models import Contact, DealContact, User, Workspace
from tests.factories import make_contact, make_deal, make_ticket, make_user, stage_named


def _reason(text: str) -> dict[str, object]:
    """A score reason as the scorer stores it."""
    return {"text": text, "feature": "example", "value": 1, "impact": 0.5}


@pytest.fixture
def admin(session: Session, workspace: Workspace, frozen_clock: FrozenClock) -> Principal:
    return principal_for(make_user(session, workspace, role="admin"))


@pytest.fixture
def rep(session: Session, workspace: Workspace, frozen_clock: FrozenClock) -> User:
    return make_user(session, workspace, role="rep")


def scored(session: Session, workspace: Workspace, score: int | None, **fields: object) -> Contact:
    contact = make_contact(session, workspace, **fields)
    contact.score = score
    contact.score_band = None if score is None else "ABCD"[min(3, (100 - score) // 25)]
    contact.score_reasons = (
        None if score is None else [_reason(f"reason for {score}"), _reason("second reason")]
    )
    return contact


class TestContactList:
    def test_the_best_scores_come_first_and_unscored_contacts_last(
        self, session: Session, workspace: Workspace, admin: Principal
    ) -> None:
        low, none, high = (scored(session, workspace, s) for s in (20, None, 90))

        page = list_contacts(session, admin, ContactQuery())

        assert [row.id for row in page.rows] == [high.id, low.id, none.id]
        assert page.rows[0].top_reason["text"] == "reason for 90" and page.rows[0].band == "A"

    def test_sorting_by_name_newest_and_last_activity(
        self, session: Session, workspace: Workspace, admin: Principal, frozen_clock: FrozenClock
    ) -> None:
        zed = make_contact(session, workspace, first_name="Zed", last_name="Young")
        frozen_clock.advance(timedelta(hours=1))
        amy = make_contact(session, workspace, first_name="Amy", last_name="Adams")
        service.log_activity(session, workspace.id, "call", links={"contact_id": zed.id})

        def order(sort: str) -> list[int]:
            return [row.id for row in list_contacts(session, admin, ContactQuery(sort=sort)).rows]

        assert order("name") == [amy.id, zed.id]
        assert order("created") == [amy.id, zed.id]
        assert order("last_activity") == [zed.id, amy.id]

    def test_filters_combine(
        self, session: Session, workspace: Workspace, admin: Principal, rep: User
    ) -> None:
        match = scored(session, workspace, 95, lifecycle_stage="mql", owner_id=rep.id)
        scored(session, workspace, 95, lifecycle_stage="lead", owner_id=rep.id)
        scored(session, workspace, 10, lifecycle_stage="mql", owner_id=rep.id)
        scored(session, workspace, 95, lifecycle_stage="mql")

        query = ContactQuery(lifecycle="mql", band="A", owner_id=rep.id)
        assert [row.id for row in list_contacts(session, admin, query).rows] == [match.id]

    def test_pages_hold_page_size_rows_and_a_page_past_the_end_shows_the_last(
        self, session: Session, workspace: Workspace, admin: Principal
    ) -> None:
        for _ in range(PAGE_SIZE + 3):
            make_contact(session, workspace)

        first = list_contacts(session, admin, ContactQuery(sort="created"))
        beyond = list_contacts(session, admin, ContactQuery(sort="created", page=9))

        assert (first.total, first.pages, len(first.rows)) == (PAGE_SIZE + 3, 2, PAGE_SIZE)
        assert (beyond.page, len(beyond.rows)) == (2, 3)

    @pytest.mark.parametrize(
        ("query", "problem"),
        [
            (ContactQuery(sort="age"), "sort 'age'"),
            (ContactQuery(band="E"), "band 'E'"),
            (ContactQuery(lifecycle="vip"), "lifecycle 'vip'"),
            (ContactQuery(page=0), "pages start at 1"),
        ],
    )
    def test_bad_queries_name_the_problem(
        self, session: Session, admin: Principal, query: ContactQuery, problem: str
    ) -> None:
        with pytest.raises(InvalidInputError, match=problem):
            list_contacts(session, admin, query)

    def test_a_rep_lists_only_their_own_contacts(
        self, session: Session, workspace: Workspace, rep: User
    ) -> None:
        mine = make_contact(session, workspace, owner_id=rep.id)
        make_contact(session, workspace)

        page = list_contacts(session, principal_for(rep), ContactQuery())
        assert [row.id for row in page.rows] == [mine.id] and page.total == 1


NAMES = st.text(alphabet=st.sampled_from("abAB%_\\ 김민준山田رضا"), min_size=1, max_size=6).filter(
    lambda text: text.strip()
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(firsts=st.lists(NAMES, min_size=1, max_size=4), needle=NAMES)
def test_search_finds_exactly_the_names_that_contain_the_text(
    session: Session, workspace: Workspace, admin: Principal, firsts: list[str], needle: str
) -> None:
    nested = session.begin_nested()
    try:
        made = {
            make_contact(session, workspace, first_name=first, last_name="Q", email=None).id: first
            for first in firsts
        }
        found = {
            row.id
            for row in list_contacts(session, admin, ContactQuery(search=needle)).rows
            if row.id in made
        }
        wanted = needle.strip().lower()
        expected = {
            contact_id
            for contact_id, first in made.items()
            if any(wanted in text.lower() for text in (f"{first} q", f"q {first}", f"q{first}"))
        }
        assert found == expected
    finally:
        nested.rollback()


class TestContactOverview:
    def test_timeline_deals_tasks_and_questions(
        self, session: Session, workspace: Workspace, admin: Principal, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace)
        deal = make_deal(session, workspace)
        session.add(DealContact(deal_id=deal.id, contact_id=contact.id, workspace_id=workspace.id))
        service.log_activity(
            session, workspace.id, "email", subject="Hello", links={"contact_id": contact.id}
        )
        frozen_clock.advance(timedelta(hours=1))
        service.record_engagement(session, workspace.id, contact.id, "page_view", url="/pricing")
        service.log_activity(
            session, workspace.id, "task", subject="Call back", links={"contact_id": contact.id}
        )
        make_ticket(session, workspace, contact_id=contact.id, subject="Does it support SSO?")

        overview = contact_overview(session, admin, contact.id)

        assert [(e.kind, e.title) for e in overview.timeline] == [
            ("page_view", "/pricing"),
            ("email", "Hello"),
        ]
        assert [d.id for d in overview.deals] == [deal.id]
        assert [t.subject for t in overview.tasks] == ["Call back"]
        assert [q.subject for q in overview.questions] == ["Does it support SSO?"]


class TestDealBoard:
    def test_stage_totals_and_weighted_totals(
        self, session: Session, workspace: Workspace, admin: Principal
    ) -> None:
        demo = stage_named(session, workspace, "Demo")  # 40 %
        for amount in ("1000.00", "2500.00"):
            make_deal(session, workspace, amount=Decimal(amount), stage_id=demo.id)

        board = deal_board(session, admin)

        column = next(c for c in board.columns if c.stage.id == demo.id)
        assert column.count == 2 and len(column.cards) == 2
        assert column.totals == {"USD": Decimal("3500.00")}
        assert column.weighted == {"USD": Decimal("1400.00")}

    def test_closed_columns_show_recent_closes_only(
        self, session: Session, workspace: Workspace, admin: Principal, frozen_clock: FrozenClock
    ) -> None:
        won = stage_named(session, workspace, "Closed won")
        old = make_deal(session, workspace, stage_id=won.id)
        frozen_clock.advance(timedelta(days=45))
        recent = make_deal(session, workspace, stage_id=won.id)

        column = next(c for c in deal_board(session, admin).columns if c.stage.id == won.id)

        assert [card.id for card in column.cards] == [recent.id]
        assert old.id not in [card.id for card in column.cards]

    def test_cards_show_win_probability_stall_and_overdue(
        self, session: Session, workspace: Workspace, admin: Principal, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(session, workspace, close_date=date(2026, 3, 1))
        deal.win_probability, deal.win_reasons = 64, [_reason("Champion engaged")]
        deal.stalled_since = frozen_clock.now() - timedelta(days=20)

        [card] = [c for column in deal_board(session, admin).columns for c in column.cards]

        assert (card.win_probability, card.top_reason, card.overdue) == (
            64,
            _reason("Champion engaged"),
            True,
        )
        assert card.stalled_since == deal.stalled_since


class TestTasksAndMyDay:
    def test_my_day_gathers_due_tasks_hot_leads_stalled_and_quiet_deals(
        self, session: Session, workspace: Workspace, rep: User, frozen_clock: FrozenClock
    ) -> None:
        now = frozen_clock.now()
        due = service.log_activity(
            session, workspace.id, "task", subject="Due today",
            due_at=now + timedelta(hours=2), links={"owner_id": rep.id},
        )  # fmt: skip
        service.log_activity(
            session, workspace.id, "task", subject="Next month",
            due_at=now + timedelta(days=40), links={"owner_id": rep.id},
        )  # fmt: skip
        hot = scored(session, workspace, 88, owner_id=rep.id, lifecycle_stage="mql")
        scored(session, workspace, 30, owner_id=rep.id, lifecycle_stage="mql")
        stalled = make_deal(session, workspace, owner_id=rep.id)
        stalled.stalled_since = now - timedelta(days=10)
        overdue = make_deal(session, workspace, owner_id=rep.id, close_date=date(2026, 2, 1))
        frozen_clock.advance(timedelta(days=20))  # every deal is now quiet too

        day = my_day(session, principal_for(rep), frozen_clock.now() + timedelta(hours=12))

        assert [task.id for task in day.tasks] == [due.id]
        assert [lead.id for lead in day.hot_leads] == [hot.id]
        assert [deal.id for deal in day.stalled] == [stalled.id]
        attention = {deal.id: deal for deal in day.attention}
        assert attention[overdue.id].close_date_passed and attention[overdue.id].quiet
        assert attention[stalled.id].quiet and not attention[stalled.id].close_date_passed

    def test_completing_a_task_keeps_history_and_hides_it_from_open_tasks(
        self, session: Session, workspace: Workspace, rep: User
    ) -> None:
        task = service.log_activity(
            session, workspace.id, "task", subject="Send deck", links={"owner_id": rep.id}
        )
        principal = principal_for(rep)

        complete_task(session, principal, task.id)

        assert my_tasks(session, principal) == []
        assert [t.status for t in my_tasks(session, principal, include_done=True)] == ["done"]
        assert [c.property for c in history_of(session, workspace.id, "activities", task.id)] == [
            "status",
            "completed_at",
        ]

    def test_a_rep_cannot_complete_someone_elses_task_or_a_call(
        self, session: Session, workspace: Workspace, rep: User
    ) -> None:
        theirs = service.log_activity(session, workspace.id, "task", subject="Not yours")
        mine = service.log_activity(
            session, workspace.id, "call", subject="A call", links={"owner_id": rep.id}
        )
        principal = principal_for(rep)

        with pytest.raises(NotFoundError, match="not found"):
            complete_task(session, principal, theirs.id)
        with pytest.raises(InvalidInputError, match="is a call, not a task"):
            complete_task(session, principal, mine.id)
        assert access.read(session, principal, "activities", mine.id).status is None
