"""Outgoing webhooks end to end: subscribe through the API, change a record, dispatch the
outbox, and let a real worker POST to a real HTTP receiver on loopback, which checks the
signature; a 500 is retried with backoff, endless failures end dead and visible."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from dealflow import background
from dealflow.api.app import create_api
from dealflow.core.clock import FrozenClock
from dealflow.core.jobs import RetryPolicy, Worker
from dealflow.crm import tokens
from dealflow.crm.access import principal_for
from dealflow.crm.webhooks import JOB_HANDLERS, run_dispatcher_once
from dealflow.crm.webhooks.delivery import DELIVERY_HEADER, SIGNATURE_HEADER, TOPIC_HEADER
from dealflow.crm.webhooks.signing import verify
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Job
from tests.factories import make_user
from tests.fixtures.receiver import Receiver, receiver

assert receiver  # the fixture, imported for pytest


@dataclass
class Setup:
    api: TestClient
    admin: dict[str, str]
    worker: Worker


@pytest.fixture
def setup(sessions: sessionmaker[Session], frozen_clock: FrozenClock) -> Iterator[Setup]:
    with sessions() as session, session.begin():
        workspace = ensure_workspace(session, "acme", "Acme")
        admin = make_user(session, workspace, role="admin")
        secret = tokens.create_token(session, principal_for(admin), "hooks").secret
    run_dispatcher_once(sessions)  # what happened before any subscription is not sent
    worker = Worker(sessions, JOB_HANDLERS, policy=RetryPolicy(base=timedelta(seconds=10)))
    with TestClient(create_api(sessions), base_url="http://testserver/api/v1/") as api:
        yield Setup(api, {"Authorization": f"Bearer {secret}"}, worker)


def subscribe(setup: Setup, receiver: Receiver, topics: list[str]) -> tuple[int, str]:
    response = setup.api.post(
        "webhooks", json={"url": receiver.url, "topics": topics}, headers=setup.admin
    )
    assert response.status_code == 201, response.json()
    return response.json()["webhook"]["id"], response.json()["secret"]


def test_the_background_worker_delivers_without_anyone_dispatching_by_hand(
    setup: Setup, receiver: Receiver, sessions: sessionmaker[Session]
) -> None:
    subscribe(setup, receiver, ["record.created"])
    created = setup.api.post("contacts", json={"email": "grace@example.com"}, headers=setup.admin)
    worker = background.worker(sessions)  # what `dealflow serve` and `dealflow worker` run
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_until, args=(stop, 0.05))

    thread.start()
    try:
        for _ in range(200):
            if receiver.received:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)

    assert [(d.document["object_type"], d.document["record_id"]) for d in receiver.received] == [
        ("contacts", created.json()["id"])
    ]


def test_a_new_contact_is_posted_signed_and_retried_after_a_500(
    setup: Setup, receiver: Receiver, sessions: sessionmaker[Session], frozen_clock: FrozenClock
) -> None:
    webhook_id, secret = subscribe(setup, receiver, ["record.created", "deal.stage_changed"])
    contact = setup.api.post("contacts", json={"email": "ada@example.com"}, headers=setup.admin)
    receiver.statuses = [500]

    assert run_dispatcher_once(sessions) == 1
    assert run_dispatcher_once(sessions) == 0  # the cursor moved with the enqueue
    assert setup.worker.run_pending() == 1
    assert len(receiver.received) == 1
    assert setup.worker.run_pending() == 0  # backing off
    frozen_clock.advance(timedelta(seconds=11))
    assert setup.worker.run_pending() == 1

    first, second = receiver.received
    assert first.body == second.body
    assert first.headers[DELIVERY_HEADER] == second.headers[DELIVERY_HEADER]
    assert verify(secret, second.headers[SIGNATURE_HEADER], second.body, frozen_clock.now())
    assert not verify(
        "another-secret-123", second.headers[SIGNATURE_HEADER], second.body, frozen_clock.now()
    )
    assert not verify(
        secret, second.headers[SIGNATURE_HEADER], second.body + b" ", frozen_clock.now()
    )
    document = second.document
    assert (document["topic"], document["object_type"], document["record_id"]) == (
        "record.created",
        "contacts",
        contact.json()["id"],
    )
    assert second.headers[TOPIC_HEADER] == "record.created"
    [delivery] = setup.api.get(f"webhooks/{webhook_id}/deliveries", headers=setup.admin).json()
    assert (delivery["status"], delivery["attempts"]) == ("succeeded", 2)
    assert delivery["delivery_id"] == first.headers[DELIVERY_HEADER]


def test_only_subscribed_topics_are_sent_and_a_stage_move_carries_both_stages(
    setup: Setup, receiver: Receiver, sessions: sessionmaker[Session]
) -> None:
    subscribe(setup, receiver, ["deal.stage_changed"])
    deal = setup.api.post("deals", json={"name": "Big one"}, headers=setup.admin).json()
    stages = setup.api.get("pipelines", headers=setup.admin).json()[0]["stages"]
    setup.api.patch(f"deals/{deal['id']}", json={"amount": "5000"}, headers=setup.admin)
    setup.api.post(
        f"deals/{deal['id']}/move", json={"stage_id": stages[2]["id"]}, headers=setup.admin
    )

    assert run_dispatcher_once(sessions) == 1
    setup.worker.run_pending()

    [delivery] = receiver.received
    assert delivery.document["topic"] == "deal.stage_changed"
    assert delivery.document["data"]["from_stage_id"] == stages[0]["id"]
    assert delivery.document["data"]["to_stage_id"] == stages[2]["id"]


def test_a_receiver_that_keeps_failing_ends_dead_with_its_error_shown(
    setup: Setup, receiver: Receiver, sessions: sessionmaker[Session], frozen_clock: FrozenClock
) -> None:
    webhook_id, _ = subscribe(setup, receiver, ["record.created"])
    setup.api.post("companies", json={"name": "Initech"}, headers=setup.admin)
    run_dispatcher_once(sessions)
    receiver.statuses = [500] * 20

    for _ in range(20):
        setup.worker.run_pending()
        frozen_clock.advance(timedelta(hours=2))

    [delivery] = setup.api.get(f"webhooks/{webhook_id}/deliveries", headers=setup.admin).json()
    assert delivery["status"] == "dead"
    assert delivery["attempts"] == delivery["max_attempts"] == len(receiver.received)
    assert "answered 500" in delivery["last_error"]


def test_deliveries_of_a_deleted_subscription_are_dropped(
    setup: Setup, receiver: Receiver, sessions: sessionmaker[Session]
) -> None:
    webhook_id, _ = subscribe(setup, receiver, ["record.created"])
    setup.api.post("companies", json={"name": "Initech"}, headers=setup.admin)
    run_dispatcher_once(sessions)

    assert setup.api.delete(f"webhooks/{webhook_id}", headers=setup.admin).status_code == 204
    assert setup.worker.run_pending() == 1

    assert receiver.received == []
    with sessions() as session:
        assert (
            session.scalar(select(func.count()).select_from(Job).where(Job.status == "succeeded"))
            == 1
        )
    assert setup.api.get("webhooks", headers=setup.admin).json() == []


def test_bad_subscriptions_are_refused_field_by_field(setup: Setup) -> None:
    response = setup.api.post(
        "webhooks",
        json={
            "url": "ftp://example.com",
            "topics": ["record.created", "no.such"],
            "secret": "short",
        },
        headers=setup.admin,
    )

    assert response.status_code == 422
    fields = {problem["field"] for problem in response.json()["error"]["fields"]}
    assert fields == {"topics[1]", "secret"}
    response = setup.api.post(
        "webhooks",
        json={"url": "ftp://example.com", "topics": ["record.created"]},
        headers=setup.admin,
    )
    assert [p["field"] for p in response.json()["error"]["fields"]] == ["url"]
