"""The ASGI entry point: every interface served over HTTP, composed into one app.

uvicorn loads these factories by name (``dealflow serve`` does), so the command line never
imports the web package. The REST API's routers are added here when they exist, through
``create_web_app(routers=...)``.
"""

from __future__ import annotations

from fastapi import FastAPI

from dealflow.web.app import create_app as create_web_app


def create_app() -> FastAPI:
    """The app without a jobs worker (web processes next to ``dealflow worker``)."""
    return create_web_app(run_jobs=False)


def create_app_with_jobs() -> FastAPI:
    """The app with a jobs worker thread (one process on SQLite)."""
    return create_web_app(run_jobs=True)
