"""The web application factory: pages, static files, error pages and the jobs worker.

``create_app`` builds one FastAPI app. Other interfaces (the REST API under ``/api/v1``) are
mounted into the same app by whoever composes them, through ``routers``; the web package
never imports them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware

from dealflow import background, db
from dealflow.core.errors import DealflowError, TooManyAttemptsError
from dealflow.web.deps import SignInRequiredError, visitor_formatter
from dealflow.web.routes import (
    auth,
    contacts,
    deals,
    drafts,
    forecast,
    my_day,
    quality,
    research,
    settings,
    tasks,
    workflows,
)
from dealflow.web.security import CsrfError
from dealflow.web.templating import is_htmx, render
from dealflow.web.timing import ServerTiming

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger(__name__)


def create_app(
    engine: Engine | None = None,
    *,
    run_jobs: bool = False,
    routers: Sequence[APIRouter] = (),
) -> FastAPI:
    """The Dealflow app on ``engine`` (default: the configured database).

    With ``run_jobs`` a jobs worker runs in a background thread while the app serves (the
    one-process SQLite set-up); ``routers`` are included as they are (e.g. the REST API).
    """
    engine = engine or db.get_engine()
    app = FastAPI(
        title="Dealflow",
        lifespan=_jobs_worker if run_jobs else None,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.sessions = db.session_factory(engine)
    app.state.write_sessions = db.session_factory(engine, writes=True)
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(ServerTiming)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for page_router in (
        auth,
        my_day,
        contacts,
        research,
        deals,
        forecast,
        tasks,
        workflows,
        drafts,
        quality,
        settings,
    ):
        app.include_router(page_router.router)
    for router in routers:
        app.include_router(router)
    _error_pages(app)
    return app


@asynccontextmanager
async def _jobs_worker(app: FastAPI) -> AsyncIterator[None]:
    stop = threading.Event()
    worker = background.worker(app.state.write_sessions)
    thread = threading.Thread(target=worker.run_until, args=(stop,), name="dealflow-jobs")
    thread.start()
    log.info("jobs worker %s started", worker.name)
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


def _error_pages(app: FastAPI) -> None:
    @app.exception_handler(SignInRequiredError)
    async def sign_in_first(request: Request, _error: SignInRequiredError) -> Response:
        target = "/sign-in"
        if request.method == "GET" and request.url.path != "/":
            target += f"?next={request.url.path}"
        if is_htmx(request):
            return Response(status_code=200, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(CsrfError)
    async def refuse_forgery(request: Request, error: CsrfError) -> Response:
        return _error_page(request, 403, str(error))

    @app.exception_handler(DealflowError)
    async def domain_error(request: Request, error: DealflowError) -> Response:
        headers = (
            {"Retry-After": str(error.retry_after)}
            if isinstance(error, TooManyAttemptsError)
            else None
        )
        return _error_page(request, error.status_code, error.message, headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'][1:])}: {problem['msg']}"
            for problem in error.errors()
        )
        return _error_page(request, 422, problems)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        return _error_page(request, error.status_code, str(error.detail))


def _error_page(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    viewer = getattr(request.state, "viewer", None)
    template = "error_fragment.html" if is_htmx(request) else "error.html"
    return render(
        request,
        template,
        {"status": status, "message": message},
        viewer=viewer,
        formatter=visitor_formatter(request),
        status_code=status,
        headers=headers,
    )
