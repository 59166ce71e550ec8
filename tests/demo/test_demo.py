"""The demo workspace: what a person exploring it would notice, and what the ML layers rely on."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.core.errors import ConflictError, InvalidInputError
from dealflow.crm.properties import definitions, validate_custom
from dealflow.crm.values import parse_email
from dealflow.crm.workspaces import ensure_workspace, get_workspace
from dealflow.demo import DemoSummary, build_demo
from dealflow.demo.locales import LOCALES
from dealflow.models import (
    Activity,
    Company,
    Contact,
    Deal,
    DealContact,
    EngagementEvent,
    Product,
    PropertyChange,
    Stage,
    Team,
    Ticket,
    User,
    Workspace,
)
from tests import backends

TODAY = date(2026, 3, 2)
END = datetime(2026, 3, 2, tzinfo=UTC)
START = END - timedelta(days=730)
WRITING = {
    "en": re.compile(r"[A-Za-z]"),
    "ja": re.compile(r"[\u3005\u3040-\u30ff\u4e00-\u9fff]"),
    "ko": re.compile(r"[\uac00-\ud7af]"),
    "fa": re.compile(r"[\u0600-\u06ff]"),
}
"""A letter of the script each language is written in (Kana/Kanji, Hangul, Arabic)."""
TIME_ZONES = {
    "ja": {"Asia/Tokyo"},
    "ko": {"Asia/Seoul"},
    "fa": {"Asia/Tehran"},
    "en": {
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Toronto",
        "America/Vancouver",
        "America/Edmonton",
        "Europe/London",
    },
}


@dataclass
class Built:
    session: Session
    summary: DemoSummary
    workspace_id: int

    def all(self, model: Any) -> list[Any]:
        statement = select(model).where(model.workspace_id == self.workspace_id)
        return list(self.session.scalars(statement.order_by(model.id)))

    def changes(self, object_type: str, name: str) -> dict[int, list[PropertyChange]]:
        by_record: dict[int, list[PropertyChange]] = {}
        statement = (
            select(PropertyChange)
            .where(
                PropertyChange.workspace_id == self.workspace_id,
                PropertyChange.object_type == object_type,
                PropertyChange.property == name,
            )
            .order_by(PropertyChange.changed_at, PropertyChange.id)
        )
        for change in self.session.scalars(statement):
            by_record.setdefault(change.record_id, []).append(change)
        return by_record


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, database_template: Path | None
) -> Iterator[Built]:
    """One small demo (scale 0.05) in a database of its own, shared by the tests that only
    read it."""
    with backends.fresh_database(tmp_path_factory.mktemp("demo"), database_template) as url:
        engine = backends.engine_for(url)
        try:
            with Session(engine) as session:
                summary = build_demo(session, slug="demo-small", scale=0.05, today=TODAY)
                session.commit()
                yield Built(session, summary, get_workspace(session, "demo-small").id)
        finally:
            engine.dispose()


def _build(session: Session, slug: str, **options: Any) -> Built:
    summary = build_demo(session, slug=slug, today=TODAY, **options)
    return Built(session, summary, get_workspace(session, slug).id)


# What gets built


def test_counts_follow_the_scale_and_match_the_summary(demo: Built) -> None:
    summary = demo.summary
    # 2% of contacts and 1.5% of companies are planted duplicates
    assert (summary.companies, summary.contacts, summary.tickets) == (102, 510, 75)
    assert 140 <= summary.deals <= 150
    assert (summary.users, summary.teams, summary.products) == (30, 4, 7)
    assert summary.engagement_events >= 10 * summary.contacts
    stored = {
        "companies": len(demo.all(Company)),
        "contacts": len(demo.all(Contact)),
        "deals": len(demo.all(Deal)),
        "tickets": len(demo.all(Ticket)),
        "activities": len(demo.all(Activity)),
        "engagement_events": len(demo.all(EngagementEvent)),
        "users": len(demo.all(User)),
        "teams": len(demo.all(Team)),
        "products": len(demo.all(Product)),
    }
    assert stored == {name: getattr(summary, name) for name in stored}
    assert f"{summary.contacts:,} contacts" in str(summary)
    assert summary.deals_open == summary.deals - summary.deals_won - summary.deals_lost > 0


def test_the_sales_team_has_an_admin_managers_and_reps_in_regional_teams(demo: Built) -> None:
    users = demo.all(User)
    roles = Counter(user.role for user in users)
    assert roles == {"admin": 1, "manager": 4, "rep": 25}
    teams = {team.id: team for team in demo.all(Team)}
    assert all(team.region for team in teams.values())
    managers = {user.id for user in users if user.role == "manager"}
    for rep in (user for user in users if user.role == "rep"):
        assert rep.team_id in teams
        assert rep.manager_id in managers


def test_contacts_have_names_in_their_own_language_and_script(demo: Built) -> None:
    contacts = demo.all(Contact)
    by_language: dict[str, list[Contact]] = {}
    for contact in contacts:
        by_language.setdefault(contact.language, []).append(contact)
    assert set(by_language) == {"en", "ja", "ko", "fa"}
    for language, people in by_language.items():
        for person in people:
            name = f"{person.first_name}{person.last_name}"
            assert all(WRITING[language].match(letter) for letter in name), name
            assert person.time_zone in TIME_ZONES[language]
            if person.job_title not in (None, "CEO"):
                assert WRITING[language].search(person.job_title), person.job_title


def test_contact_details_are_valid_and_consistent_with_their_company(demo: Built) -> None:
    planted_companies, planted_contacts = demo.summary.duplicates
    companies = {company.id: company for company in demo.all(Company)[:-planted_companies]}
    free_mail = {domain for locale in LOCALES for domain in locale.free_mail_domains}
    contacts = demo.all(Contact)[:-planted_contacts]  # the planted duplicates come last
    assert len({contact.email for contact in contacts}) == len(contacts)
    assert len({company.domain for company in companies.values()}) == len(companies)
    on_free_mail = 0
    for contact in contacts:
        assert parse_email(contact.email) == contact.email
        company = companies[contact.company_id]
        domain = contact.email.split("@")[1]
        assert domain in (company.domain, *free_mail)
        on_free_mail += domain in free_mail
        assert contact.country == company.country
        if contact.phone is not None:
            number = phonenumbers.parse(contact.phone)
            assert phonenumbers.is_valid_number(number), contact.phone
            assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == (
                contact.phone
            )
    assert 0 < on_free_mail < len(contacts) / 4


def test_custom_properties_hold_valid_values_of_their_definitions(demo: Built) -> None:
    for object_type, model, name in (
        ("companies", Company, "tier"),
        ("contacts", Contact, "industry_segment"),
        ("tickets", Ticket, "topic"),
    ):
        defined = definitions(demo.session, demo.workspace_id, object_type)
        assert defined[name].value_type == "enum"
        records = demo.all(model)
        for record in records:
            assert validate_custom(defined, record.properties) == record.properties
        filled = sum(name in record.properties for record in records)
        assert len(records) / 2 < filled < len(records)


def test_tickets_ask_customer_questions_in_the_contacts_language(demo: Built) -> None:
    contacts = {contact.id: contact for contact in demo.all(Contact)}
    topics = Counter()
    for ticket in demo.all(Ticket):
        contact = contacts[ticket.contact_id]
        assert WRITING[contact.language].search(ticket.description), ticket.description
        assert ticket.company_id == contact.company_id
        topics[ticket.properties.get("topic")] += 1
        if ticket.status == "closed":
            assert ticket.closed_at is not None and ticket.closed_at >= ticket.created_at
        else:
            assert ticket.closed_at is None
    assert {"price", "installation"} <= set(topics)


def test_tasks_have_due_dates_and_are_open_or_done(demo: Built) -> None:
    activities = demo.all(Activity)
    kinds = Counter(activity.kind for activity in activities)
    assert set(kinds) == {"email", "call", "meeting", "note", "task"}
    tasks = [activity for activity in activities if activity.kind == "task"]
    assert all(task.due_at is not None and task.due_at > task.occurred_at for task in tasks)
    statuses = Counter(task.status for task in tasks)
    assert statuses["open"] > 0 and statuses["done"] > 0
    assert all(task.completed_at is not None for task in tasks if task.status == "done")


def test_records_link_only_to_the_same_workspace(demo: Built) -> None:
    users = {user.id: user for user in demo.all(User)}
    companies = {company.id for company in demo.all(Company)}
    contacts = {contact.id: contact for contact in demo.all(Contact)}
    for deal in demo.all(Deal):
        assert users[deal.owner_id].role == "rep"
        assert deal.company_id in companies
    for contact in contacts.values():
        assert contact.company_id in companies
        assert users[contact.owner_id].role == "rep"
    for event in demo.all(EngagementEvent):
        assert event.company_id == contacts[event.contact_id].company_id
    links = demo.session.scalars(
        select(DealContact).where(DealContact.workspace_id == demo.workspace_id)
    ).all()
    assert {link.contact_id for link in links} <= set(contacts)


# Time and history


def test_everything_happens_within_the_two_years_before_today(demo: Built) -> None:
    moments = [event.occurred_at for event in demo.all(EngagementEvent)]
    moments += [activity.occurred_at for activity in demo.all(Activity)]
    for model in (Company, Contact, Deal, Ticket):
        moments += [record.created_at for record in demo.all(model)]
    moments += [change.changed_at for change in demo.all(PropertyChange)]
    assert all(moment.tzinfo == UTC for moment in moments)
    assert min(moments) >= START and max(moments) < END
    assert min(moments) < START + timedelta(days=30) and max(moments) > END - timedelta(days=2)


def test_deal_stage_histories_replay_to_the_current_stage(demo: Built) -> None:
    stages = {stage.id: stage for stage in demo.all(Stage)}
    first_stage = min((s for s in stages.values() if s.kind == "open"), key=lambda s: s.position)
    stage_changes = demo.changes("deals", "stage_id")
    closings = demo.changes("deals", "closed_at")
    close_date_fixes = demo.changes("deals", "close_date")
    for deal in demo.all(Deal):
        history = stage_changes.get(deal.id, [])
        stage = first_stage.id
        at = deal.created_at
        for change in history:
            assert change.old_value == stage
            assert change.changed_at >= at
            stage, at = change.new_value, change.changed_at
        assert stage == deal.stage_id
        if stages[deal.stage_id].kind == "open":
            assert deal.closed_at is None and deal.id not in closings
        else:
            assert deal.closed_at == history[-1].changed_at
            [closing] = closings[deal.id]
            assert closing.old_value is None and closing.changed_at == deal.closed_at
            assert deal.close_date == deal.closed_at.date()
            for fix in close_date_fixes.get(deal.id, []):  # the rep's date, corrected on closing
                assert fix.changed_at == deal.closed_at
                assert fix.new_value == deal.close_date.isoformat() != fix.old_value
    corrected = sum(len(fixes) for fixes in close_date_fixes.values())
    assert corrected > len(closings) / 2, "most closings correct the expected close date"


def test_contact_lifecycles_replay_and_customers_follow_won_deals(demo: Built) -> None:
    stages = {stage.id: stage for stage in demo.all(Stage)}
    won_at: dict[int, datetime] = {}
    deals = {deal.id: deal for deal in demo.all(Deal)}
    links = demo.session.scalars(
        select(DealContact).where(DealContact.workspace_id == demo.workspace_id)
    )
    for link in links:
        deal = deals[link.deal_id]
        if stages[deal.stage_id].kind == "won" and deal.closed_at is not None:
            won_at[link.contact_id] = min(deal.closed_at, won_at.get(link.contact_id, END))
    lifecycles = demo.changes("contacts", "lifecycle_stage")
    for contact in demo.all(Contact):
        history = lifecycles.get(contact.id, [])
        for before, after in pairwise(history):
            assert after.old_value == before.new_value
            assert after.changed_at >= before.changed_at >= contact.created_at
        if history:
            assert history[-1].new_value == contact.lifecycle_stage
        if contact.lifecycle_stage == "customer":
            assert won_at[contact.id] <= history[-1].changed_at
    assert any(len(history) >= 4 for history in lifecycles.values())


def test_some_contacts_changed_hands_within_their_team(demo: Built) -> None:
    users = {user.id: user for user in demo.all(User)}
    contacts = {contact.id: contact for contact in demo.all(Contact)}
    reassigned = demo.changes("contacts", "owner_id")
    assert reassigned
    for contact_id, [change] in reassigned.items():
        assert change.new_value == contacts[contact_id].owner_id
        assert users[change.old_value].team_id == users[change.new_value].team_id
        assert users[change.changed_by].role == "manager"


# Building


def test_the_same_seed_builds_the_same_data(session: Session) -> None:
    first = _build(session, "demo-a", seed=11, scale=0.02)
    again = _build(session, "demo-b", seed=11, scale=0.02)
    other = _build(session, "demo-c", seed=12, scale=0.02)
    assert _digest(first) == _digest(again)
    assert _digest(first) != _digest(other)


def test_behaviour_predicts_who_becomes_a_customer_but_not_perfectly(session: Session) -> None:
    demo = _build(session, "demo-signal", scale=0.2)
    assert (demo.summary.contacts, demo.summary.companies) == (2040, 406)  # duplicates included
    pricing = Counter(
        demo.session.scalars(
            select(EngagementEvent.contact_id).where(
                EngagementEvent.workspace_id == demo.workspace_id,
                EngagementEvent.kind == "page_view",
                EngagementEvent.url.like("%/pricing"),
            )
        )
    )
    contacts = sorted(demo.all(Contact), key=lambda contact: (pricing[contact.id], contact.id))
    quarter = len(contacts) // 4
    bottom, top = contacts[:quarter], contacts[-quarter:]

    def customer_rate(group: list[Contact]) -> float:
        return sum(contact.lifecycle_stage == "customer" for contact in group) / len(group)

    assert 0.0 < customer_rate(bottom) < customer_rate(top) / 2 < customer_rate(top) < 0.6
    won, lost = demo.summary.deals_won, demo.summary.deals_lost
    assert 0.2 < won / (won + lost) < 0.5


def test_refuses_a_scale_of_nothing(session: Session) -> None:
    with pytest.raises(InvalidInputError, match="scale"):
        build_demo(session, scale=0, today=TODAY)


def test_refuses_to_fill_a_workspace_that_already_has_records(session: Session) -> None:
    _build(session, "demo-twice", scale=0.01)
    with pytest.raises(ConflictError, match="--workspace"):
        build_demo(session, slug="demo-twice", scale=0.01, today=TODAY)


def test_fills_an_existing_empty_workspace(session: Session) -> None:
    ensure_workspace(session, "prepared")
    assert _build(session, "prepared", scale=0.01).summary.contacts == 102  # 2 entered twice


def test_reports_progress_step_by_step(session: Session) -> None:
    calls: list[tuple[str, int, int]] = []
    build_demo(session, slug="demo-progress", scale=0.01, today=TODAY, progress=_record(calls))
    total = calls[0][2]
    assert [done for _, done, _ in calls] == list(range(total + 1))
    assert all(steps == total for _, _, steps in calls)
    assert calls[-1][0] == "Done" and len({name for name, _, _ in calls}) == total + 1


def test_leaves_committing_to_the_caller(database_url: str) -> None:
    engine = backends.engine_for(database_url)
    try:
        with Session(engine) as session:
            build_demo(session, scale=0.01, today=TODAY)
            session.rollback()
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(Workspace)) == 0
    finally:
        engine.dispose()


def _record(calls: list[tuple[str, int, int]]) -> Any:
    def progress(step: str, done: int, total: int) -> None:
        calls.append((step, done, total))

    return progress


def _digest(demo: Built) -> str:
    """A fingerprint of the data that ignores ids (they differ between workspaces)."""
    stage_names = {stage.id: stage.name for stage in demo.all(Stage)}
    digest = hashlib.sha256()
    for contact in demo.all(Contact):
        digest.update(repr((contact.email, contact.lifecycle_stage, contact.created_at)).encode())
    for deal in demo.all(Deal):
        digest.update(repr((deal.name, str(deal.amount), stage_names[deal.stage_id])).encode())
    kinds = Counter(event.kind for event in demo.all(EngagementEvent))
    digest.update(repr(sorted(kinds.items())).encode())
    return digest.hexdigest()
