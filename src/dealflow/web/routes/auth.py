"""Signing in and out, and choosing the language of the screens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dealflow.core.errors import TooManyAttemptsError
from dealflow.crm import auth, users
from dealflow.crm.users import LOCALES
from dealflow.web.deps import DbSession, MaybeViewer, visitor_formatter
from dealflow.web.security import (
    LOCALE_COOKIE,
    SESSION_COOKIE,
    is_local_path,
    set_session_cookie,
    verify_csrf,
)
from dealflow.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/sign-in")
def sign_in_page(request: Request, viewer: MaybeViewer, next: str = "/") -> Response:
    if viewer is not None:
        return RedirectResponse(next if is_local_path(next) else "/", status_code=303)
    return _form(request, next)


@router.post("/sign-in")
def sign_in(
    request: Request,
    session: DbSession,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    workspace: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    address = request.client.host if request.client else None
    try:
        signed_in = auth.sign_in(
            session, email, password, address=address, workspace_slug=workspace.strip() or None
        )
    except TooManyAttemptsError as refused:
        return _form(
            request,
            next,
            email=email,
            error=("too_many", refused.retry_after),
            status_code=429,
            headers={"Retry-After": str(refused.retry_after)},
        )
    if signed_in is None:
        return _form(request, next, email=email, error=("wrong", 0), status_code=401)
    response = RedirectResponse(next if is_local_path(next) else "/", status_code=303)
    set_session_cookie(
        request, response, signed_in.token, int(auth.SESSION_LIFETIME.total_seconds())
    )
    return response


@router.post("/sign-out")
def sign_out(request: Request, session: DbSession) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        auth.sign_out(session, token)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/language")
def choose_language(
    session: DbSession,
    viewer: MaybeViewer,
    locale: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    if viewer is not None:
        users.set_locale(session, viewer.principal, locale)
    response = RedirectResponse(next if is_local_path(next) else "/", status_code=303)
    if locale in LOCALES:
        response.set_cookie(LOCALE_COOKIE, locale, samesite="lax", max_age=365 * 86400)
    return response


def _form(
    request: Request,
    next_path: str,
    *,
    email: str = "",
    error: tuple[str, int] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "sign_in.html",
        {"next": next_path if is_local_path(next_path) else "/", "email": email, "error": error},
        formatter=visitor_formatter(request),
        status_code=status_code,
        headers=headers,
    )
