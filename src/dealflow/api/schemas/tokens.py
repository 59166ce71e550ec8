"""Personal API tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from dealflow.api.schemas.common import Input, Output


class TokenOut(Output):
    id: int
    name: str
    prefix: str
    """The token's first characters, to tell tokens apart."""
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreate(Input):
    name: str = Field(min_length=1, max_length=100, examples=["reporting script"])


class NewTokenOut(BaseModel):
    token: TokenOut
    secret: str = Field(description="Shown this once; only its hash is kept")
