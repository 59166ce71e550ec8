"""REST API speed: the first page of contacts sorted by score, against a trivial endpoint.

Uses a workspace with N scored contacts (built on the first run in seconds: a small demo
workspace is scored, then its contacts are copied with the bulk writer up to N; reuse the
database with --database), serves the app with uvicorn in its own process (as
``dealflow serve`` does), and measures in the same run over keep-alive HTTP on loopback:
- throughput: ``--clients`` connections asking back to back for ``--seconds``, for the
  contacts page (``GET /api/v1/contacts?sort=-score&limit=50`` with a token) and for
  ``GET /api/v1/health`` (no database, no token), and their ratio;
- latency at a fixed rate: ``--rate`` requests/s of the contacts page, p50/p99.

    python bench/api.py [--contacts 100000] [--database sqlite:///bench-api.db]

Prints one JSON object. Goals (issue #6): p99 under 50 ms at 100 requests/s on SQLite, and
at least 0.3x the trivial endpoint's throughput.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from dealflow import db
from dealflow.core.clock import now
from dealflow.crm import tokens
from dealflow.crm.access import principal_for
from dealflow.crm.bulk import BulkWriter
from dealflow.crm.workspaces import get_workspace
from dealflow.demo import build_demo
from dealflow.models import Contact, User, Workspace
from dealflow.predict.scoring import score
from dealflow.predict.training import train

SEED_SCALE = 0.1
"""The demo built and scored before copying: about 1,000 contacts (seconds, not minutes)."""
COPY_BATCH = 20_000
CONTACTS_PAGE = "/api/v1/contacts?sort=-score&limit=50"
HEALTH = "/api/v1/health"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--database", help="built on the first run, reused afterwards")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rate", type=float, default=100.0)
    options = parser.parse_args()
    url = options.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'api.db'}"
    contacts, token = prepare(url, options.contacts)
    port = free_port()
    server = serve(url, port)
    try:
        wait_until_up(port)
        headers = {"Authorization": f"Bearer {token}"}
        request(port, CONTACTS_PAGE, headers)  # warm caches and the connection pool
        cpu = server_cpu_seconds(server.pid)
        page = closed_loop(port, CONTACTS_PAGE, headers, options.clients, options.seconds)
        cpu, page_cpu = server_cpu_seconds(server.pid), server_cpu_seconds(server.pid) - cpu
        health = closed_loop(port, HEALTH, {}, options.clients, options.seconds)
        health_cpu = server_cpu_seconds(server.pid) - cpu
        paced = fixed_rate(port, CONTACTS_PAGE, headers, options.rate, options.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        json.dumps(
            {
                "database": url.split(":", 1)[0],
                "contacts": contacts,
                "clients": options.clients,
                "contacts_page_requests_per_second": round(page["rate"], 1),
                "health_requests_per_second": round(health["rate"], 1),
                "throughput_ratio": round(page["rate"] / health["rate"], 3),
                "contacts_page_closed_loop_p50_ms": page["p50"],
                # the server's CPU per request: what survives a busy machine
                "contacts_page_server_cpu_ms": round(1000 * page_cpu / page["count"], 3),
                "health_server_cpu_ms": round(1000 * health_cpu / health["count"], 3),
                "cpu_ratio": round(health_cpu / health["count"] / (page_cpu / page["count"]), 3),
                "fixed_rate_requests_per_second": options.rate,
                "fixed_rate_achieved": round(paced["rate"], 1),
                "fixed_rate_p50_ms": paced["p50"],
                "fixed_rate_p99_ms": paced["p99"],
                "errors": page["errors"] + health["errors"] + paced["errors"],
            }
        )
    )


def prepare(url: str, wanted: int) -> tuple[int, str]:
    """The workspace 'bench' with scored contacts, and an admin token for it."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.unit_of_work(engine) as session:
        if session.scalar(select(Workspace.id).where(Workspace.slug == "bench")) is None:
            build_demo(session, slug="bench", seed=3, scale=SEED_SCALE)
            space = get_workspace(session, "bench")
            train(session, space.id, "leads", now=now())
            score(session, space.id, "leads", now=now())
            grow_contacts(session, space.id, wanted)
    with db.unit_of_work(engine) as session:
        space = get_workspace(session, "bench")
        admin = session.scalars(
            select(User).where(User.workspace_id == space.id, User.role == "admin").limit(1)
        ).one()
        secret = tokens.create_token(session, principal_for(admin), "bench").secret
        contacts = session.scalar(
            select(func.count()).select_from(Contact).where(Contact.workspace_id == space.id)
        )
    engine.dispose()
    return int(contacts or 0), secret


def grow_contacts(session: Session, workspace_id: int, wanted: int) -> None:
    """Copy the workspace's scored contacts (owners, companies, scores and reasons kept;
    emails and external ids made unique) until it has ``wanted``, through the bulk writer."""
    table: Table = Contact.__table__  # type: ignore[assignment]
    copied = [column for column in table.columns if column.key not in ("id", "workspace_id")]
    originals = [
        row._asdict()
        for row in session.execute(select(*copied).where(table.c.workspace_id == workspace_id))
    ]
    copies = (
        copy_of(original, generation)
        for generation in range(1, wanted // max(len(originals), 1) + 2)
        for original in originals
    )
    writer = BulkWriter(session, workspace_id, "bench")
    missing = wanted - len(originals)
    while missing > 0:
        batch = list(itertools.islice(copies, min(COPY_BATCH, missing)))
        writer.insert(table, batch, emit_created="contacts")
        missing -= len(batch)
    writer.dialect.refresh_statistics(session, table)


def copy_of(contact: dict[str, Any], generation: int) -> dict[str, Any]:
    """``contact`` with its unique columns marked by ``generation``."""
    copy = dict(contact)
    if copy["email"]:
        copy["email"] = f"copy{generation}.{copy['email']}"
    if copy["external_id"]:
        copy["external_id"] = f"{copy['external_id']}-copy{generation}"
    return copy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    """``dealflow serve``'s app (pages and API, no jobs worker) in a process of its own."""
    command = [sys.executable, "-m", "uvicorn", "--factory", "dealflow.asgi:create_app"]
    command += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    environment = {**os.environ, "DEALFLOW_DATABASE_URL": url, "DEALFLOW_WORKSPACE": "bench"}
    return subprocess.Popen(command, env=environment)


def server_cpu_seconds(pid: int) -> float:
    """User plus system CPU time the server process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_up(port: int) -> None:
    for _ in range(600):
        try:
            request(port, HEALTH, {})
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def request(port: int, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def closed_loop(
    port: int, path: str, headers: dict[str, str], clients: int, seconds: float
) -> dict[str, float]:
    """``clients`` keep-alive connections asking back to back."""
    latencies: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            latencies.append(time.perf_counter() - started)
            errors[0] += response.status != 200
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "rate": len(latencies) / elapsed,
        "count": len(latencies),
        "errors": errors[0],
        **percentiles(latencies),
    }


def fixed_rate(
    port: int, path: str, headers: dict[str, str], rate: float, seconds: float
) -> dict[str, float]:
    """Requests sent on a schedule of ``rate`` per second (latency counted from the moment
    each was due, so a slow server cannot hide its queue)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    due_times = [i / rate for i in range(int(rate * seconds))]
    start = time.perf_counter() + 0.2

    def client(mine: list[float]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for due in mine:
            wait = start + due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            with lock:
                latencies.append(time.perf_counter() - (start + due))
                errors[0] += response.status != 200
        connection.close()

    lanes = 8
    threads = [threading.Thread(target=client, args=(due_times[i::lanes],)) for i in range(lanes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"rate": len(latencies) / seconds, "errors": errors[0], **percentiles(latencies)}


def percentiles(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    if not ordered:
        return {"p50": 0.0, "p99": 0.0}
    return {
        "p50": round(1000 * statistics.median(ordered), 2),
        "p99": round(1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 2),
    }


if __name__ == "__main__":
    main()
