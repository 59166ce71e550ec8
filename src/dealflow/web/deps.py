"""What every page handler receives: the request's transaction and the signed-in viewer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from dealflow.crm.access import Principal, principal_for
from dealflow.crm.auth import resolve_session
from dealflow.crm.users import locale_of
from dealflow.web.i18n import Formatter, negotiate
from dealflow.web.security import LOCALE_COOKIE, SESSION_COOKIE


def db_session(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed when the handler returns, rolled back if it
    raises. Form posts queue for the write lock up front (SQLite)."""
    state = request.app.state
    sessions = state.sessions if request.method == "GET" else state.write_sessions
    with sessions() as session, session.begin():
        yield session


DbSession = Annotated[Session, Depends(db_session, scope="function")]


class SignInRequiredError(Exception):
    """The page needs a signed-in user and there is none."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in user (plain values, usable after the transaction ended), their access
    rights and their language."""

    name: str
    principal: Principal
    formatter: Formatter


def optional_viewer(request: Request, session: DbSession) -> Viewer | None:
    """The signed-in viewer, or None; remembered on the request for error pages."""
    token = request.cookies.get(SESSION_COOKIE)
    user = resolve_session(session, token) if token else None
    if user is None:
        return None
    viewer = Viewer(
        user.name, principal_for(user), Formatter(locale_of(user), user.time_zone or "UTC")
    )
    request.state.viewer = viewer
    return viewer


def current_viewer(viewer: Annotated[Viewer | None, Depends(optional_viewer)]) -> Viewer:
    if viewer is None:
        raise SignInRequiredError
    return viewer


CurrentViewer = Annotated[Viewer, Depends(current_viewer)]
MaybeViewer = Annotated[Viewer | None, Depends(optional_viewer)]


def visitor_formatter(request: Request) -> Formatter:
    """Formatting for someone not signed in: their chosen or browser language, UTC."""
    chosen = request.cookies.get(LOCALE_COOKIE)
    return Formatter(
        chosen
        if chosen in ("en", "ja", "ko", "fa")
        else negotiate(request.headers.get("accept-language"))
    )
