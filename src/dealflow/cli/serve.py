"""``dealflow serve`` (the web app, with a jobs worker on SQLite) and ``dealflow worker``."""

from __future__ import annotations

import threading

import typer
import uvicorn

from dealflow import background, db
from dealflow.cli.app import app, console, fail
from dealflow.core.heap import keep_startup_objects

APP = "dealflow.asgi"
"""Where uvicorn finds the app factories (loaded by name: interfaces never import each other)."""


def ensure_schema() -> None:
    """Bring the configured database up to the newest schema before serving it, with fresh
    planner statistics (SQLite)."""
    engine = db.get_engine()
    if db.current_revision(engine) != db.head_revision():
        db.upgrade(engine)
    db.refresh_planner_statistics(engine)


def run_server(host: str, port: int, workers: int, jobs: bool | None) -> None:
    """Serve the app with uvicorn; ``jobs`` None means "a worker in-process on SQLite"."""
    ensure_schema()
    on_sqlite = db.get_engine().dialect.name == "sqlite"
    in_process = on_sqlite if jobs is None else jobs
    if workers > 1:
        if jobs:
            raise fail("--jobs needs --workers 1; with more, run `dealflow worker` beside them")
        console.print(
            f"Serving with {workers} web processes; run `dealflow worker` for background jobs."
        )
    elif not in_process:
        console.print("Background jobs are not run here; start `dealflow worker` beside it.")
    factory = "create_app_with_jobs" if in_process and workers == 1 else "create_app"
    uvicorn.run(f"{APP}:{factory}", factory=True, host=host, port=port, workers=workers)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, max=64, help="Web processes (PostgreSQL: any)."),
    jobs: bool | None = typer.Option(
        None,
        "--jobs/--no-jobs",
        help="Run the jobs worker in this process (default: yes on SQLite, no on PostgreSQL).",
        show_default=False,
    ),
) -> None:
    """Serve the web app at http://HOST:PORT."""
    console.print(f"Dealflow at http://{host}:{port} (Ctrl+C stops it)")
    run_server(host, port, workers, jobs)


@app.command()
def worker(
    poll: float = typer.Option(1.0, min=0.05, help="Seconds to wait when no job is due."),
) -> None:
    """Run background jobs until stopped (one or more per PostgreSQL deployment)."""
    ensure_schema()
    runner = background.worker(db.session_factory())
    stop = threading.Event()
    kinds = ", ".join(sorted(runner.handlers))
    console.print(f"Jobs worker {runner.name} running (job kinds: {kinds}); Ctrl+C stops it.")
    keep_startup_objects()
    try:
        runner.run_until(stop, idle_wait=poll)
    except KeyboardInterrupt:
        stop.set()
    console.print("Jobs worker stopped.")
