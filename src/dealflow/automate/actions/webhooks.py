"""Actions that call out: an outgoing webhook and a notification, both signed JSON POSTs
sent through the webhook delivery of ``crm.webhooks``.

The POST cannot join the step's transaction, so it carries the step's idempotency key
(``Idempotency-Key`` and ``Dealflow-Delivery`` headers): when a worker dies after the POST
and the step runs again, the receiver sees the same key and keeps the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from dealflow.automate.action_interface import Action, ActionParams, Outcome, StepContext
from dealflow.crm.values import to_json_value
from dealflow.crm.webhooks.delivery import (
    DELIVERY_HEADER,
    TOPIC_HEADER,
    SignedPost,
    post_signed,
    post_signed_many,
)

IDEMPOTENCY_HEADER = "Idempotency-Key"
TOPIC = "workflow.webhook"
NOTIFY_TOPIC = "workflow.notification"


class WebhookParams(ActionParams):
    url: str
    secret: str = Field(min_length=16, max_length=200)
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("expected an http(s) URL")
        return url


class Webhook(Action):
    """POST the record and ``data`` (text values may use ``{{ property }}``), HMAC-signed
    with ``secret``; any answer but 2xx fails the step, which is retried with backoff."""

    name = "webhook"
    params: ClassVar[type[ActionParams]] = WebhookParams
    calls_out = True
    topic = TOPIC

    def run(self, params: Any, context: StepContext) -> Outcome:
        post = self.post(params, context)
        post_signed(post.url, post.secret, post.body, post.headers)
        return self.posted(params, context)

    def run_many(self, params: Any, contexts: Sequence[StepContext]) -> list[Outcome | Exception]:
        """The posts of a batch sent concurrently (bodies are rendered first, here: the
        session stays in this thread)."""
        errors = post_signed_many([self.post(params, context) for context in contexts])
        return [
            error or self.posted(params, context)
            for context, error in zip(contexts, errors, strict=True)
        ]

    def reads_record(self, params: Any) -> bool:
        """Only templated ``data`` values read the record (the body names it by id)."""
        return any(isinstance(value, str) and "{{" in value for value in params.data.values())

    def post(self, params: Any, context: StepContext) -> SignedPost:
        """The signed POST of one step, carrying the step's idempotency key."""
        headers = {
            IDEMPOTENCY_HEADER: context.idempotency_key,
            DELIVERY_HEADER: context.idempotency_key,
            TOPIC_HEADER: self.topic,
        }
        return SignedPost(params.url, params.secret, self.body(params, context), headers)

    def posted(self, params: Any, context: StepContext) -> Outcome:
        return Outcome(f"posted to {params.url}", result={"key": context.idempotency_key})

    def preview(self, params: Any, context: StepContext) -> Outcome:
        return Outcome(f"would post to {params.url}")

    def body(self, params: Any, context: StepContext) -> dict[str, Any]:
        subject = context.subject
        return {
            "delivery_id": context.idempotency_key,
            "topic": self.topic,
            "workflow": {"id": context.workflow_id, "name": context.workflow_name},
            "enrolment_id": context.enrolment_id,
            "object_type": subject.object_type,
            "record_id": subject.record_id,
            "data": _rendered(params.data, context),
        }


class NotifyParams(WebhookParams):
    message: str = Field(min_length=1)


class Notify(Webhook):
    """Send a notification text (templated from the record) to a webhook, such as a chat
    channel's incoming hook."""

    name = "notify"
    params = NotifyParams
    topic = NOTIFY_TOPIC

    def reads_record(self, params: Any) -> bool:
        return True  # the message is templated from the record

    def preview(self, params: Any, context: StepContext) -> Outcome:
        text = context.subject.render(params.message)
        return Outcome(f"would notify {params.url}: {text!r}")

    def body(self, params: Any, context: StepContext) -> dict[str, Any]:
        return {**super().body(params, context), "text": context.subject.render(params.message)}


def _rendered(data: dict[str, Any], context: StepContext) -> dict[str, Any]:
    return {
        key: context.subject.render(value) if isinstance(value, str) else to_json_value(value)
        for key, value in data.items()
    }
