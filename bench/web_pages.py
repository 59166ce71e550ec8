"""Web page weight and server time on the demo workspace, per role, over real HTTP.

Builds the demo workspace (or uses --database), serves it with uvicorn on a loopback port,
signs in as the admin, a manager and a rep, and requests every main page --repeat times.
The quality page shows the diagnosis kept after the build (as ``dealflow demo`` keeps one).
The forecast page's ``max_ms`` is its first view (it simulates; later views of unchanged
data are served the forecast already made). Server time is the app's own ``Server-Timing``
(the response is rendered whole before it starts); weight is the gzip-compressed bytes a
first visit transfers (the page plus its CSS and JavaScript). The baseline is the sign-in
page, a template with no queries, measured in the same run.

    python bench/web_pages.py [--scale 1.0] [--repeat 20] [--database sqlite:///dealflow.db]

Prints one JSON object. Goals (issue #6): every page under 100 ms server time and under
300 KB on first load.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import select

from dealflow import db
from dealflow.automate.service import save_workflow
from dealflow.automate.templates import templates
from dealflow.core import clock
from dealflow.crm.quality.service import diagnose, record_snapshot
from dealflow.demo import build_demo
from dealflow.demo.sales_team import DEMO_PASSWORD
from dealflow.models import User, Workspace
from dealflow.web.app import create_app

ASSETS = ("/static/app.css", "/static/app.js", "/static/vendor/htmx/htmx.min.js")
GOAL_MS, GOAL_BYTES = 100.0, 300_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", help="An existing database with the demo workspace.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = options.database or f"sqlite:///{Path(folder) / 'demo.db'}"
        engine = db.make_engine(url)
        db.upgrade(engine)
        if not options.database:
            with db.unit_of_work(engine) as session:
                build_demo(session, scale=options.scale)
            with db.unit_of_work(engine) as session:  # kept, as `dealflow demo` keeps it
                space = session.scalars(select(Workspace).order_by(Workspace.id).limit(1)).one()
                record_snapshot(session, space.id, diagnose(session, space, now=clock.now()))
        with db.unit_of_work(engine) as session:  # the bundled workflows, for their pages
            space = session.scalars(select(Workspace).order_by(Workspace.id).limit(1)).one()
            for item in templates():
                save_workflow(session, space.id, item.document)
        with db.unit_of_work(engine) as session:
            people = {
                role: session.scalars(
                    select(User.email).where(User.role == role).order_by(User.id).limit(1)
                ).one()
                for role in ("admin", "manager", "rep")
            }
        result = measure(engine, people, options.repeat)
        result["database"] = engine.dialect.name
        engine.dispose()
    print(json.dumps(result, indent=2))
    sys.exit(0 if result["all_within_goals"] else 1)


def measure(engine: object, people: dict[str, str], repeat: int) -> dict[str, object]:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning")  # type: ignore[arg-type]
    )
    thread = threading.Thread(target=server.run)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base) as anonymous:
            baseline = _timed(anonymous, "/sign-in", repeat)
            assets = sum(_weight(anonymous, path) for path in ASSETS)
        pages: dict[str, dict[str, object]] = {}
        for role, email in people.items():
            with httpx.Client(base_url=base) as client:
                _sign_in(client, email)
                for path in _paths(client, role):
                    times = _timed(client, path, repeat)
                    weight = _weight(client, path) + assets
                    pages[f"{role} {path}"] = {
                        "p50_ms": round(statistics.median(times), 1),
                        "max_ms": round(max(times), 1),
                        "first_load_bytes_gzip": weight,
                        "ratio_p50_to_sign_in_page": round(
                            statistics.median(times) / statistics.median(baseline), 1
                        ),
                    }
    finally:
        server.should_exit = True
        thread.join()
    worst_ms = max(float(p["p50_ms"]) for p in pages.values())  # type: ignore[arg-type]
    heaviest = max(int(p["first_load_bytes_gzip"]) for p in pages.values())  # type: ignore[call-overload]
    return {
        "baseline_sign_in_page_p50_ms": round(statistics.median(baseline), 1),
        "assets_bytes_gzip": assets,
        "worst_page_p50_ms": worst_ms,
        "heaviest_first_load_bytes_gzip": heaviest,
        "all_within_goals": worst_ms < GOAL_MS and heaviest < GOAL_BYTES,
        "pages": pages,
    }


def _paths(client: httpx.Client, role: str) -> list[str]:
    contacts = client.get("/contacts").text
    board = client.get("/deals").text
    contact = re.search(r'href="(/contacts/\d+)"', contacts)
    deal = re.search(r'href="(/deals/\d+)"', board)
    paths = ["/", "/contacts", "/contacts?sort=last_activity", "/contacts?search=an&page=2",
             "/deals", "/tasks", "/settings/tokens"]  # fmt: skip
    paths += [match.group(1) for match in (contact, deal) if match]
    paths += ["/forecast", "/workflows"]
    workflow = re.search(r'href="(/workflows/\d+)"', client.get("/workflows").text)
    paths += [workflow.group(1)] if workflow else []
    if role in ("admin", "manager"):
        paths += ["/quality"]
    if role == "admin":
        paths += ["/settings/users", "/settings/audit"]
    return paths


def _sign_in(client: httpx.Client, email: str) -> None:
    form = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form)
    assert token, "no CSRF token on the sign-in page"
    answer = client.post(
        "/sign-in", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    )
    assert answer.status_code == 303, f"sign-in as {email} failed: {answer.status_code}"


def _timed(client: httpx.Client, path: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        times.append(float(response.headers["server-timing"].split("dur=")[1]))
    return times


def _weight(client: httpx.Client, path: str) -> int:
    """Bytes on the wire with gzip, as a browser receives them."""
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as response:
        return sum(len(chunk) for chunk in response.iter_raw())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    main()
