"""Webhook subscriptions: admins choose where the workspace's events go, and see how each
delivery went."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import InvalidFieldsError, NotFoundError
from dealflow.crm import audit, outbox
from dealflow.crm.access import Principal, ensure_admin
from dealflow.models import Job, WebhookSubscription

TOPICS = (
    outbox.RECORD_CREATED,
    outbox.RECORD_DELETED,
    outbox.PROPERTY_CHANGED,
    outbox.DEAL_STAGE_CHANGED,
    outbox.ENGAGEMENT_RECORDED,
    outbox.ACTIVITY_LOGGED,
)
SECRET_PREFIX = "whsec_"
MIN_SECRET_LENGTH, MAX_SECRET_LENGTH = 16, 200
MAX_URL_LENGTH = 2000
WEBHOOK_CREATED = "webhook_created"
WEBHOOK_DELETED = "webhook_deleted"
DELIVERY_KEY_PREFIX = "webhook:"


def delivery_key(subscription_id: int, event_id: int) -> str:
    """The idempotency key of delivering one event to one subscription."""
    return f"{DELIVERY_KEY_PREFIX}{subscription_id}:{event_id}"


def create_subscription(
    session: Session,
    principal: Principal,
    url: str,
    topics: Sequence[str],
    *,
    secret: str | None = None,
    description: str | None = None,
) -> WebhookSubscription:
    """Subscribe ``url`` to the workspace's events of ``topics`` (admins only); without a
    ``secret`` one is made. Every bad field is named."""
    ensure_admin(principal, "manage webhooks")
    problems = _url_problems(url)
    unknown = [topic for topic in topics if topic not in TOPICS]
    if not topics or unknown:
        problems.append(("topics", f"give one or more of: {', '.join(TOPICS)}"))
    if secret is not None and not MIN_SECRET_LENGTH <= len(secret) <= MAX_SECRET_LENGTH:
        problems.append(("secret", f"use {MIN_SECRET_LENGTH} to {MAX_SECRET_LENGTH} characters"))
    if problems:
        raise InvalidFieldsError(problems)
    subscription = WebhookSubscription(
        workspace_id=principal.workspace_id,
        url=url,
        secret=secret or SECRET_PREFIX + secrets.token_urlsafe(32),
        topics=list(dict.fromkeys(topics)),
        description=description,
        is_active=True,
        created_by=principal.user_id,
        created_at=clock.now(),
    )
    session.add(subscription)
    session.flush()
    audit.record(
        session,
        principal.workspace_id,
        WEBHOOK_CREATED,
        actor_id=principal.user_id,
        target=url[:200],
        details={"subscription_id": subscription.id, "topics": subscription.topics},
    )
    return subscription


def list_subscriptions(session: Session, principal: Principal) -> Sequence[WebhookSubscription]:
    """The workspace's subscriptions, oldest first (admins only)."""
    ensure_admin(principal, "manage webhooks")
    return session.scalars(
        select(WebhookSubscription)
        .where(WebhookSubscription.workspace_id == principal.workspace_id)
        .order_by(WebhookSubscription.id)
    ).all()


def get_subscription(
    session: Session, principal: Principal, subscription_id: int
) -> WebhookSubscription:
    ensure_admin(principal, "manage webhooks")
    subscription = session.scalars(
        select(WebhookSubscription).where(
            WebhookSubscription.id == subscription_id,
            WebhookSubscription.workspace_id == principal.workspace_id,
        )
    ).one_or_none()
    if subscription is None:
        raise NotFoundError(f"webhook #{subscription_id} not found in this workspace")
    return subscription


def delete_subscription(session: Session, principal: Principal, subscription_id: int) -> None:
    """Stop sending to a subscription; its queued deliveries are dropped when they run."""
    subscription = get_subscription(session, principal, subscription_id)
    session.delete(subscription)
    audit.record(
        session,
        principal.workspace_id,
        WEBHOOK_DELETED,
        actor_id=principal.user_id,
        target=subscription.url[:200],
        details={"subscription_id": subscription_id},
    )


def deliveries(
    session: Session, principal: Principal, subscription_id: int, limit: int = 100
) -> Sequence[Job]:
    """The newest delivery jobs of a subscription: queued, running, succeeded or dead, with
    attempts and the last error."""
    subscription = get_subscription(session, principal, subscription_id)
    prefix = delivery_key(subscription.id, 0)[:-1]
    return session.scalars(
        select(Job)
        .where(
            Job.workspace_id == principal.workspace_id,
            Job.idempotency_key.startswith(prefix, autoescape=True),
        )
        .order_by(Job.id.desc())
        .limit(limit)
    ).all()


def _url_problems(url: str) -> list[tuple[str, str]]:
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or len(url) > MAX_URL_LENGTH or any(c.isspace() for c in url):
        return [("url", f"give an http(s) URL of at most {MAX_URL_LENGTH} characters")]
    return []
