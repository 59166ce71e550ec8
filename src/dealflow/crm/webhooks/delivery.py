"""Delivering one event to one subscriber: a signed JSON POST. Any answer but 2xx (or no
answer) raises, so the worker retries with backoff and buries the job after its last
attempt; the job row shows attempts and the last error."""

from __future__ import annotations

import http.client
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.jobs import ClaimedJob
from dealflow.crm.webhooks import connections
from dealflow.crm.webhooks.signing import signature_header
from dealflow.models import WebhookSubscription

SIGNATURE_HEADER = "Dealflow-Signature"
DELIVERY_HEADER = "Dealflow-Delivery"
TOPIC_HEADER = "Dealflow-Topic"
SENDERS = 16
"""Posts in flight at once from one process (``post_signed_many``)."""


class DeliveryFailedError(Exception):
    """The subscriber did not accept the delivery; the message says what it answered."""


def deliver(session: Session, job: ClaimedJob) -> None:
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
        answer = connections.post(url, content, all_headers)
    except (OSError, http.client.HTTPException, httpx.HTTPError) as error:
        raise DeliveryFailedError(f"{url}: {type(error).__name__}: {error}") from error
    if not answer.is_success:
        raise DeliveryFailedError(f"{url} answered {answer.status}: {answer.text}")


@dataclass(frozen=True)
class SignedPost:
    """One signed JSON POST, as ``post_signed`` takes it."""

    url: str
    secret: str
    body: dict[str, Any]
    headers: dict[str, str]


def post_signed_many(posts: Sequence[SignedPost]) -> list[DeliveryFailedError | None]:
    """``post_signed`` for many posts, sent concurrently over the pooled connections; in
    each post's place its error, or None when it was accepted."""
    if len(posts) == 1:
        return [_attempt(posts[0])]
    return list(_senders().map(_attempt, posts))


def _attempt(post: SignedPost) -> DeliveryFailedError | None:
    try:
        post_signed(post.url, post.secret, post.body, post.headers)
    except DeliveryFailedError as error:
        return error
    return None


@cache
def _senders() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="webhook-posts")
