"""Lead routing: rules by attributes pick the group, round robin or load picks the rep,
capacity is respected, and the rep's task summarises the lead."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.service import save_workflow
from dealflow.core.clock import FrozenClock
from dealflow.core.errors import InvalidFieldsError
from dealflow.crm import service
from dealflow.crm.access import principal_for
from dealflow.crm.users import add_team
from dealflow.models import Activity, Contact, User, Workspace
from tests.automate.conftest import drain, save, trail_of
from tests.factories import make_company, make_contact, make_user


def make_admin(session: Session, workspace: Workspace) -> User:
    return make_user(session, workspace, name="admin", role="admin")


def routing(**route: Any) -> dict[str, Any]:
    return {
        "name": "Route inbound leads",
        "object": "contacts",
        "trigger": {"type": "record_created"},
        "steps": [{"action": {"type": "route", **route}}],
    }


@pytest.fixture
def reps(session: Session, workspace: Workspace) -> dict[str, User]:
    return {
        name: make_user(session, workspace, name=name, email=f"{name}@acme.test")
        for name in ("kenji", "mina", "jiwoo", "sara")
    }


def owners(session: Session, contacts: list[Contact]) -> list[str]:
    names = dict(session.execute(select(User.id, User.name)).all())
    for contact in contacts:
        session.refresh(contact)
    return [names.get(contact.owner_id, "-") for contact in contacts]


def test_rules_by_country_and_company_size_then_round_robin(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock, reps: dict[str, User]
) -> None:
    save(
        session,
        workspace,
        routing(
            rules=[
                {
                    "when": {"property": "company.employees", "op": "gt", "value": 1000},
                    "to": ["sara@acme.test"],
                },
                {
                    "when": {"property": "country", "op": "eq", "value": "Japan"},
                    "to": ["kenji@acme.test", "mina@acme.test"],
                },
            ],
            fallback=["jiwoo@acme.test"],
        ),
    )
    big = make_company(session, workspace, employees=5000)
    leads = [
        make_contact(session, workspace, country="Japan", company_id=big.id),
        *(make_contact(session, workspace, country="Japan") for _ in range(3)),
        make_contact(session, workspace, country="Korea"),
    ]

    drain(session)

    assert owners(session, leads) == ["sara", "kenji", "mina", "kenji", "jiwoo"]
    assert trail_of(session, "contacts", leads[2].id)[1].startswith(
        "step 1 (route): routed to mina by rule 2, next in turn; created task #"
    )


def test_least_loaded_with_capacity_and_a_task_summarising_the_lead(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock, reps: dict[str, User]
) -> None:
    for _ in range(2):
        make_contact(session, workspace, owner_id=reps["kenji"].id)
    make_contact(session, workspace, owner_id=reps["mina"].id)
    save(
        session,
        workspace,
        routing(
            fallback=["kenji@acme.test", "mina@acme.test"],
            strategy="least_loaded",
            capacity=2,
            task={"subject": "Call {{ first_name }}", "due_in": "1h"},
        ),
    )
    company = make_company(session, workspace, name="Kaisha", industry="Software", employees=120)
    first = make_contact(
        session, workspace, first_name="Aiko", source="webinar", company_id=company.id
    )
    service.update_record(
        session, workspace.id, "contacts", first.id, {"score": 82, "score_band": "A"}
    )
    service.record_engagement(
        session, workspace.id, first.id, "page_view", url="https://acme.test/pricing"
    )
    drain(session)
    second = make_contact(session, workspace)
    drain(session)

    assert owners(session, [first, second]) == ["mina", "-"]
    [task] = session.scalars(select(Activity).where(Activity.contact_id == first.id)).all()
    assert (task.subject, task.owner_id) == ("Call Aiko", reps["mina"].id)
    assert task.body is not None
    assert "Company: Kaisha (Software, 120 employees)" in task.body
    assert "Source: webinar" in task.body
    assert "Score: 82 (band A)" in task.body
    assert trail_of(session, "contacts", second.id)[-2] == (
        "step 1 (route): the fallback: no rep is available (none, or all at capacity); not assigned"
    )


def test_teams_and_roles_name_groups_and_an_empty_team_passes_to_the_fallback(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock
) -> None:
    japan = add_team(session, principal_for(make_admin(session, workspace)), "Japan")
    make_user(session, workspace, name="kenji", role="rep", team_id=japan.id)
    make_user(session, workspace, name="boss", role="manager", team_id=japan.id)
    make_user(session, workspace, name="anyone", role="rep")
    save(
        session,
        workspace,
        routing(
            rules=[
                {"when": {"property": "language", "op": "eq", "value": "ko"}, "to": ["team:Korea"]},
                {"when": {"property": "language", "op": "eq", "value": "ja"}, "to": ["team:Japan"]},
            ],
            fallback=["role:rep"],
            task=None,
        ),
    )
    leads = [make_contact(session, workspace, language=language) for language in ("ja", "ko", "ko")]

    drain(session)

    # Korea has no team: its leads go to the fallback, where kenji already had one.
    assert owners(session, leads) == ["kenji", "anyone", "kenji"]


def test_unknown_reps_and_bad_rules_are_refused_with_their_path(
    session: Session, workspace: Workspace, reps: dict[str, User]
) -> None:
    document = routing(
        rules=[
            {"when": {"property": "region", "op": "eq", "value": "EU"}, "to": ["ghost@acme.test"]}
        ]
    )

    with pytest.raises(InvalidFieldsError) as caught:
        save_workflow(session, workspace.id, document)

    assert caught.value.problems == [
        ("steps[0].action.rules[0].when.property", "contacts have no property 'region'"),
        ("steps[0].action.rules[0].to[0]", "no user 'ghost@acme.test' in this workspace"),
    ]
