"""Liveness: answers without touching the database or asking for a token."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/health")
async def health() -> Health:
    """The API process is up."""
    return Health(status="ok")
