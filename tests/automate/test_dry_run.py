"""Dry run: it says what would happen to chosen records, step by step, and touches nothing
(no row in any table, no call to a webhook)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.automate.dry_run import dry_run
from dealflow.core.clock import FrozenClock
from dealflow.models import Base, Workspace
from tests.automate.conftest import save
from tests.factories import make_contact, make_user
from tests.fixtures.receiver import Receiver, receiver

assert receiver  # the fixture, imported for pytest


def row_counts(session: Session) -> dict[str, int]:
    session.flush()
    return {
        name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for name, table in Base.metadata.tables.items()
    }


def test_a_dry_run_describes_each_step_and_changes_nothing(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock, receiver: Receiver
) -> None:
    rep = make_user(session, workspace, name="Kenji", email="kenji@acme.test")
    save(
        session,
        workspace,
        {
            "name": "Route",
            "object": "contacts",
            "trigger": {"type": "record_created"},
            "enrol_when": {"property": "lifecycle_stage", "op": "neq", "value": "customer"},
            "steps": [
                {"action": {"type": "assign_owner", "user": rep.id}},
                {
                    "action": {
                        "type": "branch",
                        "if": {"property": "country", "op": "eq", "value": "Japan"},
                        "then": [
                            {"action": {"type": "delay", "weekday": "monday", "time": "09:00"}}
                        ],
                        "else": [{"action": {"type": "stop", "reason": "outside Japan"}}],
                    }
                },
                {"action": {"type": "webhook", "url": receiver.url, "secret": "s" * 16}},
                {"action": {"type": "create_task", "subject": "Call {{ first_name }}"}},
            ],
        },
        enable=False,
    )
    tokyo = make_contact(
        session, workspace, first_name="Aiko", country="Japan", time_zone="Asia/Tokyo"
    )
    paris = make_contact(session, workspace, country="France")
    customer = make_contact(session, workspace, lifecycle_stage="customer")
    before = row_counts(session)

    results = dry_run(session, workspace.id, "Route", [tokyo.id, paris.id, customer.id])

    assert row_counts(session) == before
    assert receiver.received == []
    assert [r.enrols for r in results] == [True, True, False]
    assert results[0].lines == [
        "step 1 (assign_owner): would assign owner Kenji (kenji@acme.test)",
        "step 2 (branch): would find the condition met: took then",
        "step 2 > then 1 (delay): would be waiting until Monday 09:00 Asia/Tokyo",
        f"step 3 (webhook): would post to {receiver.url}",
        "step 4 (create_task): would create task 'Call Aiko' for nobody, due in 1d",
        "would complete 'Route'",
    ]
    assert results[1].lines[-1] == "step 2 > else 1 (stop): would stop: outside Japan"
    assert results[2].lines == ["would not enrol: it does not meet enrol_when"]
