"""The ASGI entry point: every interface served over HTTP, composed into one app.

uvicorn loads these factories by name (``dealflow serve`` does), so the command line never
imports the web or API packages, and those two never import each other: the web app gets
the REST API mounted at ``/api/v1`` here.
"""

from __future__ import annotations

import gc

from fastapi import FastAPI

from dealflow.api.app import API_PREFIX, create_api_v1
from dealflow.web.app import create_app as create_web_app


def create_app() -> FastAPI:
    """The app without a jobs worker (web processes next to ``dealflow worker``)."""
    return _with_api(create_web_app(run_jobs=False))


def create_app_with_jobs() -> FastAPI:
    """The app with a jobs worker thread (one process on SQLite)."""
    return _with_api(create_web_app(run_jobs=True))


def _with_api(app: FastAPI) -> FastAPI:
    app.mount(API_PREFIX, create_api_v1(app.state.sessions))
    # Matched first: an API call no longer tries every page's route before its own.
    app.router.routes.insert(0, app.router.routes.pop())
    # What exists now (modules, routes, schemas, compiled validators) lives as long as the
    # server: frozen, the garbage collector stops walking its ~300,000 objects in every full
    # collection (a pause of 0.1 s or more in the middle of whichever request triggers it).
    gc.freeze()
    return app
