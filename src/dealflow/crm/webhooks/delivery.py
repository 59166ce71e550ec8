"""Delivering one event to one subscriber: a signed JSON POST. Any answer but 2xx (or no
answer) raises, so the worker retries with backoff and buries the job after its last
attempt; the job row shows attempts and the last error."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import httpx
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.crm.webhooks.signing import signature_header
from dealflow.models import Job, WebhookSubscription

SIGNATURE_HEADER = "Dealflow-Signature"
DELIVERY_HEADER = "Dealflow-Delivery"
TOPIC_HEADER = "Dealflow-Topic"
TIMEOUT = httpx.Timeout(10.0)


class DeliveryFailedError(Exception):
    """The subscriber did not accept the delivery; the message says what it answered."""


def deliver(session: Session, job: Job) -> None:
    """Job handler: POST the event to its subscription (dropped when the subscription was
    deleted or paused since)."""
    subscription = session.get(WebhookSubscription, job.payload["subscription_id"])
    if subscription is None or subscription.workspace_id != job.workspace_id:
        return
    if not subscription.is_active:
        return
    body = job.payload["body"]
    post_signed(
        subscription.url,
        subscription.secret,
        body,
        {DELIVERY_HEADER: body["delivery_id"], TOPIC_HEADER: body["topic"]},
    )


def post_signed(url: str, secret: str, body: dict[str, Any], headers: dict[str, str]) -> None:
    """POST ``body`` as JSON signed with ``secret``; DeliveryFailedError unless answered 2xx
    (workflow webhooks send through here too)."""
    content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    all_headers = {
        "Content-Type": "application/json",
        "User-Agent": "Dealflow-Webhooks/1",
        SIGNATURE_HEADER: signature_header(secret, int(clock.now().timestamp()), content),
        **headers,
    }
    try:
        response = _client().post(url, content=content, headers=all_headers)
    except httpx.HTTPError as error:
        raise DeliveryFailedError(f"{url}: {type(error).__name__}: {error}") from error
    if not response.is_success:
        raise DeliveryFailedError(f"{url} answered {response.status_code}: {response.text[:200]}")


@cache
def _client() -> httpx.Client:
    """One client per process: its connection pool and TLS context are made once, not per
    delivery (building a TLS context costs tens of milliseconds). httpx clients are
    thread-safe."""
    return httpx.Client(timeout=TIMEOUT)
