"""The API application: ``create_api()`` serves ``/api/v1`` on its own (tests, benchmarks,
an API-only process); ``create_api_v1()`` is the versioned app a composition module mounts
into the web app at ``API_PREFIX``:

    web_app.mount(API_PREFIX, create_api_v1(sessions))

Both answer every error with the same JSON body and document themselves at
``/api/v1/openapi.json`` (interactive docs at ``/api/v1/docs``).
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from dealflow import db
from dealflow.api import (
    activities,
    companies,
    contacts,
    deals,
    drafts,
    engagement,
    forecast,
    health,
    pipelines,
    properties,
    quality,
    research,
    tickets,
    tokens,
    webhooks,
    workflows,
)
from dealflow.api.errors import install_error_handlers
from dealflow.personalize import actions as personalize_actions

API_PREFIX = "/api/v1"
ROUTERS = (
    health.router,
    companies.router,
    research.router,
    contacts.router,
    deals.router,
    forecast.router,
    pipelines.router,
    activities.router,
    tickets.router,
    engagement.router,
    properties.router,
    tokens.router,
    webhooks.router,
    workflows.router,
    quality.router,
    drafts.router,
)

LEAN_LIST_ROUTES = (
    contacts.list_route,
    companies.list_route,
    deals.list_route,
    tickets.list_route,
    activities.list_route,
)
"""Matched before the routers: each list's GET without FastAPI's dependency solving."""

assert personalize_actions.DRAFT_EMAIL  # workflows may use the domains' actions


def create_api_v1(
    sessions: sessionmaker[Session] | None = None,
    write_sessions: sessionmaker[Session] | None = None,
) -> FastAPI:
    """The version-1 API with routes at its root, to mount at ``API_PREFIX``; requests that
    change things use ``write_sessions`` (default: the writing counterpart of ``sessions``)."""
    app = FastAPI(
        title="Dealflow API",
        version="1",
        summary=(
            "Companies, contacts, deals, activities, tickets, engagement, scores, forecast, "
            "webhooks, workflows, drafts."
        ),
        description="Authenticate with a personal API token: `Authorization: Bearer dft_...`.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.sessions = sessions or db.session_factory()
    app.state.write_sessions = write_sessions or db.for_writes(app.state.sessions)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.router.routes[:0] = LEAN_LIST_ROUTES
    return app


def create_api(
    sessions: sessionmaker[Session] | None = None,
    write_sessions: sessionmaker[Session] | None = None,
) -> FastAPI:
    """A standalone app serving the version-1 API under ``API_PREFIX``."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    install_error_handlers(app)
    app.mount(API_PREFIX, create_api_v1(sessions, write_sessions))
    return app
