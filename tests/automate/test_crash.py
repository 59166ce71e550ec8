"""Crash safety: worker processes killed with SIGKILL at random moments and restarted;
afterwards every step of every enrolment happened exactly once in effect (one task per
record, the receiver sees every idempotency key), and none was lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from dealflow.automate.enrolments import STEP_JOB
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Activity, Contact, Enrolment, EnrolmentStep, Job
from tests.automate.conftest import save
from tests.factories import make_contact
from tests.fixtures.receiver import Receiver, receiver

assert receiver  # the fixture, imported for pytest

ROOT = Path(__file__).resolve().parents[2]
RECORDS = 60
KILLS = 5
DEADLINE_SECONDS = 90


def start_worker(database_url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.automate.crash_worker", database_url],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_deliveries(receiver: Receiver, count: int, deadline: float) -> None:
    """Until the worker has sent ``count`` more POSTs: a kill lands while one is in flight."""
    target = len(receiver.received) + count
    while len(receiver.received) < target and time.monotonic() < deadline:
        time.sleep(0.005)


def completed(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(Enrolment).where(Enrolment.status == "completed")
            )
            or 0
        )


def test_killed_workers_never_repeat_or_lose_a_step(
    database_url: str, sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    receiver.delay = 0.05  # a POST in flight is a likely moment for a kill
    with sessions() as session, session.begin():
        space = ensure_workspace(session, "acme")
        save(
            session,
            space,
            {
                "name": "Three steps",
                "object": "contacts",
                "trigger": {"type": "record_created"},
                "steps": [
                    {"action": {"type": "set_property", "property": "lead_status", "value": "new"}},
                    {"action": {"type": "create_task", "subject": "Call {{ email }}"}},
                    {"action": {"type": "webhook", "url": receiver.url, "secret": "s" * 20}},
                ],
            },
        )
        contact_ids = [make_contact(session, space).id for _ in range(RECORDS)]
    chance = random.Random(5)
    kills = 0
    deadline = time.monotonic() + DEADLINE_SECONDS
    worker = start_worker(database_url)
    try:
        while completed(sessions) < RECORDS and time.monotonic() < deadline:
            if kills < KILLS:
                # Never on the first delivery after a restart: that is the step the last kill
                # interrupted, and killing one step on every attempt only proves it dies.
                wait_for_deliveries(receiver, chance.randint(2, 8), deadline)
                time.sleep(chance.uniform(0.0, 0.04))
                worker.send_signal(signal.SIGKILL)
                worker.wait()
                kills += 1
                worker = start_worker(database_url)
            else:
                time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    assert kills == KILLS
    with sessions() as session:
        assert completed(sessions) == RECORDS
        tasks = Counter(session.scalars(select(Activity.contact_id).where(Activity.kind == "task")))
        assert tasks == Counter(contact_ids)
        statuses = session.scalars(select(Contact.lead_status)).all()
        assert set(statuses) == {"new"}
        assert session.scalar(select(func.count()).select_from(EnrolmentStep)) == 3 * RECORDS
        dead = session.scalar(
            select(func.count()).select_from(Job).where(Job.kind == STEP_JOB, Job.status == "dead")
        )
        assert dead == 0
        enrolment_ids = session.scalars(select(Enrolment.id)).all()
    keys = {delivery.headers["Idempotency-Key"] for delivery in receiver.received}
    assert keys == {f"workflow-step:{enrolment_id}:2" for enrolment_id in enrolment_ids}
