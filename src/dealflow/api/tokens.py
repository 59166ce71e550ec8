"""Your personal API tokens: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from dealflow.api.deps import PrincipalDep, SessionDep
from dealflow.api.errors import ERROR_RESPONSES
from dealflow.api.schemas.common import MAX_ID
from dealflow.api.schemas.tokens import NewTokenOut, TokenCreate, TokenOut
from dealflow.crm import tokens

router = APIRouter(prefix="/tokens", tags=["tokens"], responses=ERROR_RESPONSES)
TokenId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("")
def list_tokens(session: SessionDep, principal: PrincipalDep) -> list[TokenOut]:
    """Your tokens, newest first (revoked ones included)."""
    return [TokenOut.model_validate(token) for token in tokens.list_tokens(session, principal)]


@router.post("", status_code=201)
def create_token(session: SessionDep, principal: PrincipalDep, token: TokenCreate) -> NewTokenOut:
    """A new token acting as you; copy `secret` now, it is never shown again."""
    created = tokens.create_token(session, principal, token.name)
    return NewTokenOut(token=TokenOut.model_validate(created.token), secret=created.secret)


@router.delete("/{token_id}")
def revoke_token(session: SessionDep, principal: PrincipalDep, token_id: TokenId) -> TokenOut:
    """Revoke one of your tokens (admins: anyone's in the workspace); it stops working."""
    return TokenOut.model_validate(tokens.revoke_token(session, principal, token_id))
