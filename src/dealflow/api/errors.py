"""One error body for every 4xx and 5xx: ``{"error": {"code", "message", "fields"}}``.

Domain errors carry their HTTP status; FastAPI's own validation errors and Starlette's
HTTP errors (unknown path, wrong method) are rewritten into the same shape, so a client
parses one format whatever went wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException
from starlette.routing import Match

from dealflow.core.errors import (
    AuthenticationError,
    ConflictError,
    DealflowError,
    InvalidFieldsError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    TooManyAttemptsError,
)

logger = logging.getLogger(__name__)

CODES: dict[type[DealflowError], str] = {
    NotFoundError: "not_found",
    InvalidInputError: "invalid_input",
    ConflictError: "conflict",
    PermissionDeniedError: "forbidden",
    AuthenticationError: "unauthenticated",
    TooManyAttemptsError: "too_many_attempts",
}
HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid_input",
}


class FieldProblem(BaseModel):
    field: str = Field(examples=["events[3].kind"])
    problem: str = Field(examples=["Input should be 'page_view', 'email_open' or ..."])


class ErrorDetail(BaseModel):
    code: str = Field(examples=["invalid_input"])
    message: str
    fields: list[FieldProblem] = []


class ErrorBody(BaseModel):
    error: ErrorDetail


def _described(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _described("The body could not be read (not JSON, or not what was declared)"),
    401: _described("No API token, or one that is unknown or revoked"),
    403: _described("The token's user may see the record but not do this"),
    404: _described("No such record among those the token's user may see"),
    409: _described("The change clashes with another record (a duplicate email, say)"),
    422: _described("Invalid input; `fields` names each bad field and what is wrong"),
}
"""The error responses every authenticated route documents."""


def error_response(
    status: int,
    code: str,
    message: str,
    fields: Sequence[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(
        error=ErrorDetail(
            code=code,
            message=message,
            fields=[FieldProblem(field=field, problem=problem) for field, problem in fields],
        )
    )
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` answer with an ``ErrorBody``."""
    app.add_exception_handler(DealflowError, _domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(IntegrityError, _integrity_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected_error)


async def _domain_error(_request: Request, error: DealflowError) -> JSONResponse:
    code = next((c for kind, c in CODES.items() if isinstance(error, kind)), "bad_request")
    fields = error.problems if isinstance(error, InvalidFieldsError) else ()
    headers = None
    if isinstance(error, AuthenticationError):
        headers = {"WWW-Authenticate": "Bearer"}
    elif isinstance(error, TooManyAttemptsError):
        headers = {"Retry-After": str(error.retry_after)}
    return error_response(error.status_code, code, error.message, fields, headers)


async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
    fields = [
        (
            "body" if problem["type"] == "json_invalid" else field_path(problem["loc"]),
            problem["msg"],
        )
        for problem in error.errors()
    ]
    count = len(fields)
    message = f"{count} invalid field{'s' if count != 1 else ''}: " + "; ".join(
        f"{field}: {problem}" for field, problem in fields[:3]
    )
    return error_response(422, "invalid_input", message, fields)


async def _http_error(request: Request, error: HTTPException) -> JSONResponse:
    code = HTTP_CODES.get(error.status_code, f"http_{error.status_code}")
    headers = dict(error.headers or {})
    if error.status_code == 405:
        headers["Allow"] = ", ".join(sorted(_allowed_methods(request)))
    return error_response(error.status_code, code, str(error.detail), headers=headers)


def _allowed_methods(request: Request) -> set[str]:
    """Every method some route of the app serves at the request's path (Starlette's own
    Allow header names only the first route that matched the path)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return methods


async def _integrity_error(_request: Request, error: IntegrityError) -> JSONResponse:
    logger.info("refused by a database constraint: %s", error.orig)
    return error_response(
        409, "conflict", "the change clashes with existing data (a duplicate key or a missing link)"
    )


async def _unexpected_error(_request: Request, error: Exception) -> JSONResponse:
    logger.exception("unexpected error in the API", exc_info=error)
    return error_response(500, "internal_error", "something went wrong on our side; it is logged")


def field_path(location: Sequence[int | str]) -> str:
    """``("body", "events", 3, "kind")`` as ``events[3].kind`` (where it came from is implied
    by the route: body, query or path)."""
    parts = list(location[1:]) if location and location[0] in _SOURCES else list(location)
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or str(location[0] if location else "body")


_SOURCES = ("body", "query", "path", "header", "cookie")
