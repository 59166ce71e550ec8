"""The webhook dispatcher: reads the outbox with its own cursor and enqueues one delivery
job per (subscription, event), in the transaction that moves the cursor, so an event is
neither lost nor queued twice."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dealflow.core import jobs
from dealflow.crm import outbox
from dealflow.crm.webhooks.subscriptions import delivery_key
from dealflow.models import WebhookSubscription

CONSUMER = "webhooks"
BATCH = 500
DELIVER = "webhooks.deliver"
MAX_ATTEMPTS = 8
"""Attempts per delivery before it is dead (with the worker's backoff, about 20 minutes)."""


def dispatch(session: Session, limit: int = BATCH) -> tuple[int, int]:
    """Queue deliveries for the next ``limit`` outbox events; returns (events read, jobs
    queued)."""
    outbox.take_turn(session, CONSUMER)
    events = outbox.read(session, CONSUMER, limit)
    if not events:
        return 0, 0
    subscribers = _active_subscriptions(session, {event.workspace_id for event in events})
    queued = 0
    for event in events:
        for subscription in subscribers.get(event.workspace_id, []):
            if event.topic not in subscription.topics:
                continue
            key = delivery_key(subscription.id, event.id)
            job_id = jobs.enqueue(
                session,
                DELIVER,
                {"subscription_id": subscription.id, "body": delivery_body(key, event)},
                workspace_id=event.workspace_id,
                idempotency_key=key,
                max_attempts=MAX_ATTEMPTS,
            )
            queued += job_id is not None
    outbox.acknowledge(session, CONSUMER, events[-1].id)
    return len(events), queued


def run_dispatcher_once(sessions: sessionmaker[Session], limit: int = BATCH) -> int:
    """Dispatch until the outbox holds nothing new, one transaction per batch; returns the
    jobs queued (for ``dealflow worker`` and ``serve`` to call in their loop)."""
    return outbox.drain(sessions, dispatch, limit)


def delivery_body(delivery_id: str, event: outbox.Event) -> dict[str, Any]:
    """What a receiver gets: the event, and the delivery id that stays the same on retries."""
    return {
        "delivery_id": delivery_id,
        "event_id": event.id,
        "topic": event.topic,
        "workspace_id": event.workspace_id,
        "object_type": event.object_type,
        "record_id": event.record_id,
        "occurred_at": event.occurred_at.isoformat(),
        "data": event.payload,
    }


def _active_subscriptions(
    session: Session, workspace_ids: set[int]
) -> dict[int, list[WebhookSubscription]]:
    by_workspace: dict[int, list[WebhookSubscription]] = defaultdict(list)
    for subscription in session.scalars(
        select(WebhookSubscription).where(
            WebhookSubscription.workspace_id.in_(workspace_ids),
            WebhookSubscription.is_active.is_(True),
        )
    ):
        by_workspace[subscription.workspace_id].append(subscription)
    return by_workspace
