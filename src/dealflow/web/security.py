"""Cookies and CSRF protection of the web pages.

The session cookie is HttpOnly and SameSite=Lax. Every unsafe request (POST...) must carry a
CSRF token, in the ``csrf_token`` form field or the ``X-CSRF-Token`` header (HTMX sends it),
derived with HMAC from the session token, or, before signing in, from a random cookie
(double submit). A missing or wrong token is refused with 403.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

SESSION_COOKIE = "dealflow_session"
ANONYMOUS_COOKIE = "dealflow_visitor"
LOCALE_COOKIE = "dealflow_locale"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CsrfError(Exception):
    """An unsafe request without a valid CSRF token."""


def csrf_token(request: Request) -> str:
    """The CSRF token the pages of this browser must send back."""
    secret = request.cookies.get(SESSION_COOKIE) or _visitor_secret(request)
    return hmac.new(secret.encode(), b"dealflow-csrf", hashlib.sha256).hexdigest()


async def verify_csrf(request: Request) -> None:
    """Refuse unsafe requests whose CSRF token is missing or wrong (a router dependency)."""
    if request.method not in UNSAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, csrf_token(request)):
        raise CsrfError("the form's security token is missing or out of date")


def remember_visitor(request: Request, response: Response) -> None:
    """Give a browser that is not signed in the random cookie its CSRF token comes from
    (when this request made one up)."""
    if request.cookies.get(ANONYMOUS_COOKIE) is None and hasattr(request.state, "visitor_secret"):
        response.set_cookie(
            ANONYMOUS_COOKIE,
            _visitor_secret(request),
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )


def set_session_cookie(request: Request, response: Response, token: str, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def is_local_path(target: str | None) -> bool:
    """Whether ``target`` is a path on this site (no open redirects to other hosts)."""
    return bool(target) and target.startswith("/") and not target.startswith(("//", "/\\"))  # type: ignore[union-attr]


def _visitor_secret(request: Request) -> str:
    """The visitor cookie, or a new value kept on the request until the response sets it."""
    existing = request.cookies.get(ANONYMOUS_COOKIE)
    if existing:
        return existing
    if not hasattr(request.state, "visitor_secret"):
        request.state.visitor_secret = secrets.token_urlsafe(32)
    return str(request.state.visitor_secret)
