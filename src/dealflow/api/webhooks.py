"""Outgoing webhook subscriptions (admins): create, list, delete, and see deliveries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from dealflow.api.deps import PrincipalDep, SessionDep
from dealflow.api.errors import ERROR_RESPONSES
from dealflow.api.schemas.common import MAX_ID
from dealflow.api.schemas.webhooks import DeliveryOut, NewWebhookOut, WebhookCreate, WebhookOut
from dealflow.crm.webhooks import subscriptions

router = APIRouter(prefix="/webhooks", tags=["webhooks"], responses=ERROR_RESPONSES)
WebhookId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("")
def list_webhooks(session: SessionDep, principal: PrincipalDep) -> list[WebhookOut]:
    return [
        WebhookOut.model_validate(found)
        for found in subscriptions.list_subscriptions(session, principal)
    ]


@router.post("", status_code=201)
def create_webhook(
    session: SessionDep, principal: PrincipalDep, webhook: WebhookCreate
) -> NewWebhookOut:
    """Send the workspace's events of `topics` to `url`, each POST signed with the secret
    (`Dealflow-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`) and carrying a
    `Dealflow-Delivery` id that stays the same on retries."""
    created = subscriptions.create_subscription(
        session,
        principal,
        webhook.url,
        webhook.topics,
        secret=webhook.secret,
        description=webhook.description,
    )
    return NewWebhookOut(webhook=WebhookOut.model_validate(created), secret=created.secret)


@router.delete("/{webhook_id}", status_code=204)
def delete_webhook(session: SessionDep, principal: PrincipalDep, webhook_id: WebhookId) -> Response:
    subscriptions.delete_subscription(session, principal, webhook_id)
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries")
def list_deliveries(
    session: SessionDep, principal: PrincipalDep, webhook_id: WebhookId
) -> list[DeliveryOut]:
    """The newest 100 deliveries: status, attempts, next attempt and last error."""
    return [DeliveryOut.of(job) for job in subscriptions.deliveries(session, principal, webhook_id)]
