"""Build the demo workspace: plan two years of a sales team's CRM data, then bulk-write it.

Everything is drawn from seeded random streams, one per step, so a seed always builds the same
data. All of it goes into the caller's transaction; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Table, exists, select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import ConflictError, InvalidInputError
from dealflow.crm.auth import hash_password
from dealflow.crm.bulk import BulkWriter
from dealflow.crm.history import Change
from dealflow.crm.workspaces import default_pipeline, ensure_workspace
from dealflow.demo.activities import plan_activities
from dealflow.demo.behaviour import engagement_events
from dealflow.demo.catalog import define_custom_properties, plan_products, product_rows
from dealflow.demo.companies import CompanyPlan, company_rows, plan_companies
from dealflow.demo.contacts import (
    ContactPlan,
    contact_rows,
    owner_changes,
    plan_contacts,
    reassign_owners,
)
from dealflow.demo.deals import (
    DEAL_CONTACT_COLUMNS,
    LOST,
    WON,
    DealPlan,
    SalesPipeline,
    deal_changes,
    deal_contact_rows,
    deal_rows,
    plan_deals,
)
from dealflow.demo.dirty import duplicate_company_rows, duplicate_contact_rows
from dealflow.demo.draws import rng_for
from dealflow.demo.forecasts import submission_rows
from dealflow.demo.lifecycle import (
    lead_status_changes,
    lifecycle_changes,
    plan_funnels,
    settle_lifecycles,
)
from dealflow.demo.sales_team import (
    DEMO_PASSWORD,
    VENDOR_NAME,
    plan_sales_team,
    sign_in_examples,
    team_rows,
    user_rows,
)
from dealflow.demo.summary import DemoSummary
from dealflow.demo.tickets import TicketPlan, plan_tickets, ticket_rows
from dealflow.demo.timeline import HistoryEntry, Window
from dealflow.models import (
    Activity,
    Base,
    Company,
    Contact,
    Deal,
    DealContact,
    EngagementEvent,
    ForecastSubmission,
    Product,
    Team,
    Ticket,
    User,
    Workspace,
)
from dealflow.models.base import WorkspaceMixin

SOURCE = "demo"
COMPANIES, CONTACTS, DEALS, TICKETS = 2000, 10000, 3000, 1500
"""How many of each a build at scale 1.0 makes."""

Progress = Callable[[str, int, int], None]


def build_demo(
    session: Session,
    *,
    slug: str = "demo",
    seed: int = 7,
    scale: float = 1.0,
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill a new workspace with two years of realistic, multilingual CRM data ending at
    ``today``; ``scale`` 1.0 makes about 10,000 contacts. ``progress`` is called with
    (step name, steps done, total steps) as each step starts, and with ("Done", n, n) at the end.

    Raises ConflictError when the workspace already has records.
    """
    if scale <= 0:
        raise InvalidInputError(f"scale must be above 0, not {scale}")
    window = Window.ending(today or clock.now().date())
    build = _Build(session, _empty_workspace(session, slug, window), window, seed, scale)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("Sales team and products", build.sales_team_and_products),
        ("Companies and contacts", build.companies_and_contacts),
        ("Deals", build.deals),
        ("Tickets", build.tickets),
        ("Activities", build.activities),
        ("Engagement events", build.engagement_events),
        ("Property history", build.property_history),
        ("Forecast submissions", build.forecast_submissions),
        ("Duplicates and gaps", build.duplicates),
    ]
    for done, (name, step) in enumerate(steps):
        if progress is not None:
            progress(name, done, len(steps))
        step()
    if progress is not None:
        progress("Done", len(steps), len(steps))
    return build.summary()


class _Build:
    """One build's plans, and the steps that write them in dependency order."""

    def __init__(
        self, session: Session, workspace: Workspace, window: Window, seed: int, scale: float
    ) -> None:
        self.session = session
        self.workspace = workspace
        self.window = window
        self.seed = seed
        self.scale = scale
        self.writer = BulkWriter(session, workspace.id, SOURCE)
        self.pipeline = SalesPipeline.of(session, workspace.id)
        self.team = plan_sales_team(rng_for(seed, "team"))
        self.products = plan_products()
        self.companies: list[CompanyPlan] = []
        self.contacts: list[ContactPlan] = []
        self.deal_plans: list[DealPlan] = []
        self.ticket_plans: list[TicketPlan] = []
        self.replies: list[tuple[float, ContactPlan]] = []
        self.activity_count = self.event_count = self.change_count = 0
        self.planted_companies = self.planted_contacts = 0

    def sales_team_and_products(self) -> None:
        team, start = self.team, self.window.start
        _insert(self.writer, Team, team.teams, team_rows(team, start), "teams")
        password = hash_password(DEMO_PASSWORD)  # one hash for all: argon2 is slow on purpose
        _insert(self.writer, User, team.leaders, user_rows(team.leaders, start, password), "users")
        _insert(self.writer, User, team.reps, user_rows(team.reps, start, password), "users")
        _insert(self.writer, Product, self.products, product_rows(self.products, start), "products")
        define_custom_properties(self.session, self.workspace.id, start)

    def companies_and_contacts(self) -> None:
        """Plan the people, their journeys and the deals those lead to; write the people."""
        window, rng = self.window, rng_for(self.seed, "people")
        self.companies = plan_companies(rng, self._scaled(COMPANIES), self.team)
        self.contacts = plan_contacts(rng, self._scaled(CONTACTS), self.companies, window)
        plan_funnels(rng, self.contacts)
        reassign_owners(rng, self.contacts, self.team, window)
        self.deal_plans = plan_deals(
            rng_for(self.seed, "deals"),
            self._scaled(DEALS),
            self.contacts,
            self.products,
            self.pipeline,
            window,
        )
        settle_lifecycles(rng_for(self.seed, "lifecycle"), self.contacts, window)
        _insert(
            self.writer, Company, self.companies, company_rows(self.companies, window), "companies"
        )
        _insert(
            self.writer, Contact, self.contacts, contact_rows(self.contacts, window), "contacts"
        )

    def deals(self) -> None:
        rows = deal_rows(self.deal_plans, self.pipeline, self.window)
        _insert(self.writer, Deal, self.deal_plans, rows, "deals")
        links = deal_contact_rows(self.deal_plans, self.workspace.id)
        self.writer.dialect.bulk_insert(
            self.session, _table(DealContact), DEAL_CONTACT_COLUMNS, links
        )

    def tickets(self) -> None:
        self.ticket_plans = plan_tickets(
            rng_for(self.seed, "tickets"),
            self._scaled(TICKETS),
            self.contacts,
            self.deal_plans,
            self.products,
            self.window,
        )
        rows = ticket_rows(self.ticket_plans, self.window)
        _insert(self.writer, Ticket, self.ticket_plans, rows, "tickets")

    def activities(self) -> None:
        log = plan_activities(
            rng_for(self.seed, "activities"),
            self.contacts,
            self.deal_plans,
            self.ticket_plans,
            self.products,
            self.window,
        )
        rows = log.rows()
        self.writer.insert(_table(Activity), rows)
        self.replies = log.replies
        self.activity_count = len(rows)

    def engagement_events(self) -> None:
        rng = rng_for(self.seed, "behaviour")
        rows = engagement_events(rng, self.contacts, self.replies, self.window)
        self.writer.insert(_table(EngagementEvent), rows)
        self.event_count = len(rows)

    def property_history(self) -> None:
        window = self.window
        self.change_count = (
            _write_history(self.writer, "contacts", lifecycle_changes(self.contacts, window))
            + _write_history(self.writer, "contacts", owner_changes(self.contacts, window))
            + _write_history(self.writer, "contacts", lead_status_changes(self.contacts, window))
            + _write_history(
                self.writer, "deals", deal_changes(self.deal_plans, self.pipeline, window)
            )
        )

    def forecast_submissions(self) -> None:
        rows = submission_rows(
            rng_for(self.seed, "forecast"), self.deal_plans, self.team.reps, self.window
        )
        self.writer.insert(_table(ForecastSubmission), rows)

    def duplicates(self) -> None:
        """Plant the duplicates and sloppy values the cleansing agent is for (new rows only)."""
        rng = rng_for(self.seed, "duplicates")
        companies = duplicate_company_rows(rng, self.companies, self.window)
        contacts = duplicate_contact_rows(rng, self.contacts, self.window)
        self.writer.insert(_table(Company), companies, emit_created="companies")
        self.writer.insert(_table(Contact), contacts, emit_created="contacts")
        self.planted_companies, self.planted_contacts = len(companies), len(contacts)

    def summary(self) -> DemoSummary:
        outcomes = [deal.outcome for deal in self.deal_plans]
        return DemoSummary(
            workspace=self.workspace.slug,
            seed=self.seed,
            start=self.window.start.date(),
            end=self.window.end.date(),
            teams=len(self.team.teams),
            users=len(self.team.users),
            products=len(self.products),
            companies=len(self.companies) + self.planted_companies,
            contacts=len(self.contacts) + self.planted_contacts,
            customers=sum(contact.lifecycle_stage == "customer" for contact in self.contacts),
            deals=len(self.deal_plans),
            deals_won=outcomes.count(WON),
            deals_lost=outcomes.count(LOST),
            tickets=len(self.ticket_plans),
            activities=self.activity_count,
            engagement_events=self.event_count,
            property_changes=self.change_count,
            duplicates=(self.planted_companies, self.planted_contacts),
            sign_ins=tuple(
                (user.role, user.name, user.email, user.language)
                for user in sign_in_examples(self.team)
            ),
            password=DEMO_PASSWORD,
        )

    def _scaled(self, count: int) -> int:
        return max(1, round(count * self.scale))


def _empty_workspace(session: Session, slug: str, window: Window) -> Workspace:
    """The workspace to fill: new (then dated to the start of the history) or still empty."""
    is_new = session.scalar(select(Workspace.id).where(Workspace.slug == slug)) is None
    workspace = ensure_workspace(session, slug, f"{VENDOR_NAME} (demo)")
    if is_new:
        workspace.created_at = window.start
        default_pipeline(session, workspace.id).created_at = window.start
        session.flush()
    elif _has_records(session, workspace.id):
        raise ConflictError(
            f"workspace {slug!r} already has records; pick another --workspace for the demo, "
            "or remove the database to start over"
        )
    return workspace


def _has_records(session: Session, workspace_id: int) -> bool:
    models: tuple[type[WorkspaceMixin], ...] = (Team, User, Product, Company, Contact, Deal, Ticket)
    return any(
        session.scalar(select(exists().where(model.workspace_id == workspace_id)))
        for model in models
    )


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


class _Planned(Protocol):
    id: int


def _insert(
    writer: BulkWriter,
    model: type[Base],
    planned: Sequence[_Planned],
    rows: list[dict[str, Any]],
    object_type: str,
) -> None:
    """Write the rows of planned records, each with its ``record.created`` event, and give the
    plans their new ids."""
    ids = writer.insert(_table(model), rows, emit_created=object_type)
    for plan, record_id in zip(planned, ids, strict=True):
        plan.id = record_id


def _write_history(writer: BulkWriter, object_type: str, entries: list[HistoryEntry]) -> int:
    """Replay changes into the history (without outbox events), grouped by who made them."""
    by_user: dict[int | None, list[tuple[int, Change, datetime]]] = {}
    for changed_by, record_id, change, at in entries:
        by_user.setdefault(changed_by, []).append((record_id, change, at))
    for changed_by, changes in by_user.items():
        writer.changes(object_type, changes, changed_by=changed_by, emit=False)
    return len(entries)
