"""Each core action against real records, a real HTTP receiver and a real worker: what it
writes, what it sends (signed, with the step's idempotency key), and how failures retry,
die visibly, and are retried by a person."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dealflow.automate import runtime
from dealflow.automate.actions import ACTIONS
from dealflow.automate.trail import dead_steps, record_trail, retry_dead_steps
from dealflow.core.clock import FrozenClock
from dealflow.core.jobs import Worker
from dealflow.crm.properties import define_property
from dealflow.crm.webhooks.signing import verify
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Activity, Contact, Enrolment, Job, Workspace
from tests.automate.conftest import drain, save, trail_of
from tests.factories import make_contact, make_user
from tests.fixtures.receiver import Receiver, receiver

assert receiver  # the fixture, imported for pytest

SECRET = "whsec_test_secret_123456"


def created(*steps: dict[str, Any], name: str = "W", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "object": "contacts",
        "trigger": {"type": "record_created"},
        "steps": [{"action": step} for step in steps],
        **extra,
    }


class TestRecordActions:
    def test_assign_owner_and_a_task_for_a_named_user_templated_from_the_record(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        rep = make_user(session, workspace, name="Kenji", email="kenji@acme.test")
        manager = make_user(session, workspace, name="Mina", email="mina@acme.test")
        save(
            session,
            workspace,
            created(
                {"type": "assign_owner", "user": "kenji@acme.test"},
                {
                    "type": "create_task",
                    "subject": "Review {{ first_name }} at {{ company.name }}",
                    "body": "Country: {{ country }}; phone {{ phone }}; owner {{ owner.name }}",
                    "assignee": "mina@acme.test",
                    "due_in": "4h",
                },
            ),
        )
        contact = make_contact(session, workspace, first_name="Ada", country="Japan")

        drain(session)

        session.refresh(contact)
        assert contact.owner_id == rep.id
        [task] = session.scalars(select(Activity).where(Activity.contact_id == contact.id)).all()
        assert (task.subject, task.body, task.owner_id) == (
            "Review Ada at ",
            "Country: Japan; phone ; owner Kenji",
            manager.id,
        )
        assert task.due_at == frozen_clock.now() + timedelta(hours=4)
        assert trail_of(session, "contacts", contact.id)[1] == (
            "step 1 (assign_owner): assigned owner Kenji (kenji@acme.test)"
        )

    def test_set_a_custom_property_and_a_date_delay_on_it(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        define_property(session, workspace.id, "contacts", "tier", "text")
        define_property(session, workspace.id, "contacts", "renewal", "date")
        save(
            session,
            workspace,
            created(
                {"type": "set_property", "property": "tier", "value": "gold-{{ country }}"},
                {"type": "delay", "until_property": "renewal", "offset": "9h"},
                {"type": "set_property", "property": "tier", "value": "renewing"},
            ),
        )
        contact = make_contact(
            session, workspace, country="KR", properties={"renewal": "2026-03-10"}
        )

        drain(session)
        session.refresh(contact)
        assert contact.properties["tier"] == "gold-KR"
        assert trail_of(session, "contacts", contact.id)[-1] == (
            "step 2 (delay): waiting until renewal (Tuesday 2026-03-10 09:00 UTC)"
        )

        frozen_clock.advance(timedelta(days=8))
        drain(session)
        session.refresh(contact)
        assert contact.properties["tier"] == "renewing"

    def test_enrol_in_another_workflow(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        nurture = save(
            session,
            workspace,
            {
                "name": "Nurture",
                "object": "contacts",
                "trigger": {"type": "manual"},
                "steps": [
                    {"action": {"type": "set_property", "property": "lead_status", "value": "open"}}
                ],
            },
        )
        save(session, workspace, created({"type": "enrol", "workflow": "Nurture"}, name="Intake"))
        contact = make_contact(session, workspace)

        drain(session)

        session.refresh(contact)
        assert contact.lead_status == "open"
        statuses = session.execute(
            select(Enrolment.workflow_id, Enrolment.status).order_by(Enrolment.id)
        ).all()
        assert [tuple(row) for row in statuses][1] == (nurture.id, "completed")


class TestWebhooks:
    def test_a_webhook_is_signed_and_carries_the_steps_idempotency_key(
        self,
        session: Session,
        workspace: Workspace,
        frozen_clock: FrozenClock,
        receiver: Receiver,
    ) -> None:
        save(
            session,
            workspace,
            created(
                {
                    "type": "webhook",
                    "url": receiver.url,
                    "secret": SECRET,
                    "data": {"who": "{{ email }}"},
                },
                {
                    "type": "notify",
                    "url": receiver.url,
                    "secret": SECRET,
                    "message": "New lead {{ first_name }}",
                },
            ),
        )
        contact = make_contact(session, workspace, first_name="Ada")

        drain(session)

        hook, note = receiver.received
        assert verify(SECRET, hook.headers["Dealflow-Signature"], hook.body, frozen_clock.now())
        [enrolment_id] = session.scalars(select(Enrolment.id)).all()
        assert hook.headers["Idempotency-Key"] == f"workflow-step:{enrolment_id}:0"
        assert hook.document["data"] == {"who": contact.email}
        assert (hook.document["object_type"], hook.document["record_id"]) == (
            "contacts",
            contact.id,
        )
        assert note.headers["Idempotency-Key"] == f"workflow-step:{enrolment_id}:1"
        assert note.document["text"] == "New lead Ada"

    def test_only_webhooks_whose_data_is_templated_read_the_record(self) -> None:
        def params(action: str, **fields: Any) -> Any:
            document = {"url": "https://example.com/hook", "secret": SECRET, **fields}
            return ACTIONS[action].params.model_validate(document)

        webhook, notify = ACTIONS["webhook"], ACTIONS["notify"]
        assert not webhook.reads_record(params("webhook", data={"n": 1, "tier": "gold"}))
        assert webhook.reads_record(params("webhook", data={"who": "{{ email }}"}))
        assert notify.reads_record(params("notify", message="fixed text"))


def test_a_failing_webhook_retries_with_backoff_dies_visibly_and_a_person_retries_it(
    sessions: sessionmaker[Session], frozen_clock: FrozenClock, receiver: Receiver
) -> None:
    worker = workflow_worker(sessions)
    with sessions() as session, session.begin():
        space = ensure_workspace(session, "acme")
        save(session, space, created({"type": "webhook", "url": receiver.url, "secret": SECRET}))
        contact_id = make_contact(session, space).id
    receiver.statuses = [500] * 5

    for _ in range(5):
        worker.run_periodic()
        worker.run_pending()
        frozen_clock.advance(timedelta(hours=1))

    assert len(receiver.received) == 5
    with sessions() as session:
        [dead] = dead_steps(session, space.id)
        assert dead.attempts == 5
        assert "answered 500" in (dead.error or "")
        last = record_trail(session, space.id, "contacts", contact_id)[-1].message
        assert last.startswith("step 1 is dead after 5 attempts (DeliveryFailedError:")
        assert last.endswith(
            f"retry it with `dealflow workflows retry --enrolment {dead.enrolment_id}`"
        )

    with sessions() as session, session.begin():
        assert retry_dead_steps(session, space.id, actor="the command line") == 1
    worker.run_pending()

    assert len(receiver.received) == 6
    keys = {delivery.headers["Idempotency-Key"] for delivery in receiver.received}
    assert keys == {f"workflow-step:{dead.enrolment_id}:0"}
    with sessions() as session:
        trail = [line.message for line in record_trail(session, space.id, "contacts", contact_id)]
        assert trail[-3:] == [
            "the command line retried the dead step 1",
            f"step 1 (webhook): posted to {receiver.url}",
            "completed 'W'",
        ]


class TestBatchesOfSteps:
    """A worker runs many enrolments' step jobs together; a failure stays with its own job."""

    def test_a_failing_post_in_a_batch_retries_alone_while_the_others_complete(
        self, sessions: sessionmaker[Session], frozen_clock: FrozenClock, receiver: Receiver
    ) -> None:
        worker = workflow_worker(sessions)
        with sessions() as session, session.begin():
            space = ensure_workspace(session, "acme")
            steps = (
                {"type": "set_property", "property": "lead_status", "value": "new"},
                {"type": "webhook", "url": receiver.url, "secret": SECRET},
            )
            save(session, space, created(*steps))
            for _ in range(6):
                make_contact(session, space)
        receiver.statuses = [500]

        worker.run_periodic()
        worker.run_pending()

        assert enrolment_statuses(sessions) == Counter(completed=5, active=1)
        frozen_clock.advance(timedelta(minutes=1))
        worker.run_pending()
        assert enrolment_statuses(sessions) == Counter(completed=6)
        keys = [delivery.headers["Idempotency-Key"] for delivery in receiver.received]
        assert len(keys) == 7
        assert len(set(keys)) == 6

    def test_a_step_failing_for_one_record_in_a_batch_fails_only_that_records_job(
        self, sessions: sessionmaker[Session], frozen_clock: FrozenClock
    ) -> None:
        worker = workflow_worker(sessions)
        with sessions() as session, session.begin():
            space = ensure_workspace(session, "acme")
            steps = (
                {"type": "set_property", "property": "lead_status", "value": "{{ city }}"},
                {"type": "create_task", "subject": "Call {{ email }}"},
            )
            save(session, space, created(*steps))
            good = [make_contact(session, space, city="open").id for _ in range(3)]
            bad = make_contact(session, space, city="Paris").id

        worker.run_periodic()
        worker.run_pending()

        with sessions() as session:
            statuses = dict(session.execute(select(Contact.id, Contact.lead_status)).all())
            assert statuses == {**dict.fromkeys(good, "open"), bad: None}
            tasks = Counter(session.scalars(select(Activity.contact_id)))
            assert tasks == Counter(good)
            [failed] = session.scalars(select(Job).where(Job.status == "queued")).all()
            assert failed.payload["enrolment_id"] == session.scalar(
                select(Enrolment.id).where(Enrolment.record_id == bad)
            )
            assert failed.attempts == 1
            assert "Paris" in (failed.last_error or "")


def workflow_worker(sessions: sessionmaker[Session]) -> Worker:
    return Worker(
        sessions,
        runtime.handlers(),
        periodic=[runtime.tick],
        batch_handlers=runtime.batch_handlers(),
    )


def enrolment_statuses(sessions: sessionmaker[Session]) -> Counter[str]:
    with sessions() as session:
        return Counter(session.scalars(select(Enrolment.status)))
