"""Outgoing webhook subscriptions: where to POST which domain events, signed with a secret."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, JsonDocument, RecordId, WorkspaceMixin, sqlite_args


class WebhookSubscription(WorkspaceMixin, Base):
    """An endpoint that receives the workspace's events of some topics.

    The secret signs every delivery (HMAC-SHA256), so it is kept as given: the receiver
    holds the same one to check the signature.
    """

    __tablename__ = "webhook_subscriptions"
    __table_args__ = sqlite_args()

    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    topics: Mapped[list[str]] = mapped_column(JsonDocument)
    description: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
    created_at: Mapped[datetime]
