"""Workflow throughput: outbox events through trigger matching into a three-step workflow
(set property, create task, signed webhook to a local HTTP receiver), end to end.

N contacts are bulk-created (their ``record.created`` events wait in the outbox), then W
worker processes run the matcher and the step jobs until every enrolment has completed.
The baseline, in the same run: inserting the same rows the workflow writes (enrolments,
step rows, trail lines, tasks, property changes, jobs) with plain multi-row inserts.

    python bench/workflows.py [--events 2000] [--workers 1] [--database URL] [--cpu]

Prints one JSON object; with ``--cpu`` (Linux) it also holds the CPU seconds per event of
each process group over the measured run: the workers, this database's PostgreSQL
backends, PostgreSQL's background processes, the bench's receiver threads and its
coordinating main thread, and the whole machine (other tenants included).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from receiver import Delivery, start_receiver
from sqlalchemy import Engine, func, insert, select

from dealflow import db
from dealflow.automate import runtime
from dealflow.automate.service import save_workflow, set_enabled
from dealflow.core import clock
from dealflow.core.heap import keep_startup_objects
from dealflow.core.jobs import Worker
from dealflow.crm.bulk import BulkWriter
from dealflow.crm.webhooks.signing import verify
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import (
    Activity,
    Contact,
    Enrolment,
    EnrolmentStep,
    Job,
    PropertyChange,
    TrailEntry,
)

SECRET = "bench-secret-0123456789"
TIMEOUT_SECONDS = 900


def definition(url: str) -> dict[str, Any]:
    return {
        "name": "Bench",
        "object": "contacts",
        "trigger": {"type": "record_created"},
        "steps": [
            {"action": {"type": "set_property", "property": "lead_status", "value": "new"}},
            {"action": {"type": "create_task", "subject": "Call {{ email }}"}},
            {"action": {"type": "webhook", "url": url, "secret": SECRET}},
        ],
    }


def prepare(url: str, events: int, receiver: str) -> int:
    """A workspace with the workflow enabled and ``events`` contacts created; its id."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.unit_of_work(engine) as session:
        space = ensure_workspace(session, f"bench-{uuid.uuid4().hex[:6]}")
        workflow = save_workflow(session, space.id, definition(receiver)).workflow
        set_enabled(session, space.id, workflow.id, True)
        now = clock.now()
        BulkWriter(session, space.id, "bench").insert(
            Contact.__table__,  # type: ignore[arg-type]
            [
                {
                    "email": f"lead{i}@bench.example",
                    "lifecycle_stage": "lead",
                    "properties": {},
                    "do_not_email": False,
                    "do_not_call": False,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(events)
            ],
            emit_created="contacts",
        )
        workspace_id = space.id
    engine.dispose()
    return workspace_id


def work(url: str, stop_at: float, ready: Any, go: Any) -> None:
    """One worker process: matcher and step jobs until told to stop, from when every
    worker is ready (started and imported: not part of the time measured)."""
    engine = db.make_engine(url)
    sessions = db.session_factory(engine, writes=True)
    worker = Worker(
        sessions,
        runtime.handlers(),
        periodic=[runtime.tick],
        batch_handlers=runtime.batch_handlers(),
    )
    stop = threading.Event()
    threading.Timer(max(0.0, stop_at - time.time()), stop.set).start()
    keep_startup_objects()  # as ``dealflow worker`` does
    ready.release()
    go.wait()
    worker.run_until(stop, idle_wait=0.02)


def completed(engine: Engine, workspace_id: int) -> int:
    with engine.connect() as connection:
        count = connection.execute(
            select(func.count())
            .select_from(Enrolment)
            .where(Enrolment.workspace_id == workspace_id, Enrolment.status == "completed")
        ).scalar_one()
    return int(count)


def _cpu_seconds(stat_path: str) -> float:
    """User plus system CPU seconds of the process or thread whose ``stat`` file this is."""
    fields = Path(stat_path).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_processes(database: str) -> dict[int, str]:
    """PostgreSQL's processes on this machine: pid -> "backends" (of ``database``),
    "background" (no database) or "other" (another database's backends)."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if not command.startswith("postgres: "):
            continue
        words = command.split()
        if f" {database} " in f"{command} ":
            found[int(entry.name)] = "backends"
        elif len(words) > 2 and "(" in command:
            found[int(entry.name)] = "other"
        else:
            found[int(entry.name)] = "background"
    return found


def cpu_snapshot(database: str | None, worker_pids: list[int]) -> dict[str, float]:
    """Cumulative CPU seconds per process group (see the module docstring)."""
    groups = dict.fromkeys(
        ["workers", "postgres_backends", "postgres_background", "bench_receiver", "bench_main"],
        0.0,
    )
    for pid in worker_pids:
        groups["workers"] += _cpu_seconds(f"/proc/{pid}/stat")
    if database is not None:
        for pid, kind in _postgres_processes(database).items():
            if kind == "other":
                continue
            try:
                groups[f"postgres_{kind}"] += _cpu_seconds(f"/proc/{pid}/stat")
            except OSError:  # exited meanwhile
                continue
    main = _cpu_seconds(f"/proc/self/task/{os.getpid()}/stat")
    groups["bench_main"] = main
    groups["bench_receiver"] = _cpu_seconds("/proc/self/stat") - main
    cpu = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    ticks = [int(value) for value in cpu]
    groups["machine_busy"] = (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
    return groups


def cpu_per_event(
    before: dict[str, float], after: dict[str, float], events: int
) -> dict[str, float]:
    """CPU milliseconds per event of each group between two snapshots, and the ceiling the
    machine's cores put on events/s: cores / (CPU seconds per event of everything on the
    path)."""
    spent = {group: after[group] - before[group] for group in after}
    path = sum(value for group, value in spent.items() if group != "machine_busy")
    report = {f"{group}_ms": round(1000 * value / events, 3) for group, value in spent.items()}
    report["path_ms"] = round(1000 * path / events, 3)
    cores = os.cpu_count() or 1
    report["cores"] = cores
    report["cores_ceiling_events_per_second"] = round(cores * events / path, 1)
    return report


def run_workflows(
    url: str, workspace_id: int, events: int, workers: int, cpu: dict[str, Any] | None = None
) -> float:
    """Seconds until every enrolment completed with ``workers`` processes (counted from
    when all of them have started); with ``cpu`` given, fills it with ``cpu_per_event``."""
    context = multiprocessing.get_context("spawn")
    stop_at = time.time() + 3600
    ready, go = context.Semaphore(0), context.Event()
    processes = [
        context.Process(target=work, args=(url, stop_at, ready, go)) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.acquire()
    database = db.make_engine(url).url.database if url.startswith("postgresql") else None
    pids = [process.pid for process in processes if process.pid is not None]
    before = cpu_snapshot(database, pids) if cpu is not None else {}
    started = time.perf_counter()
    go.set()
    deadline = time.monotonic() + TIMEOUT_SECONDS
    engine = db.make_engine(url)  # one for the polls (an engine per poll cost the receiver)
    while completed(engine, workspace_id) < events:
        if time.monotonic() > deadline:
            for process in processes:
                process.kill()
            raise SystemExit(f"not done after {TIMEOUT_SECONDS} s: see the workers' log above")
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if cpu is not None:
        cpu.update(cpu_per_event(before, cpu_snapshot(database, pids), events))
    engine.dispose()
    for process in processes:
        process.kill()
        process.join()
    return seconds


def checked_deliveries(received: list[Delivery], events: int) -> dict[str, int]:
    """What the receiver got: every enrolment's webhook (one idempotency key each; a post
    sent again after a dropped connection may arrive twice), each signed with the secret."""
    keys = {delivery.headers.get("idempotency-key") for delivery in received} - {None}
    now = clock.now()
    forged = [
        delivery
        for delivery in received
        if not verify(SECRET, delivery.headers.get("dealflow-signature", ""), delivery.body, now)
    ]
    if len(keys) != events or forged:
        raise SystemExit(f"webhooks: {len(keys)} keys of {events}, {len(forged)} badly signed")
    return {"webhooks_received": len(received), "webhook_keys": len(keys)}


def raw_inserts(url: str, workspace_id: int, events: int) -> float:
    """Seconds to insert the rows the workflow wrote, as plain multi-row inserts."""
    engine = db.make_engine(url)
    now = clock.now()
    with db.unit_of_work(engine) as session:
        workflow_id = session.scalar(select(Enrolment.workflow_id).limit(1))
        record_id = session.scalar(select(Contact.id).limit(1))
        started = time.perf_counter()
        base = {"workspace_id": workspace_id, "object_type": "contacts", "record_id": record_id}
        enrolments = [
            {
                **base,
                "workflow_id": workflow_id,
                "version": 1,
                "status": "completed",
                "enrolment_key": f"raw:{uuid.uuid4().hex}",
                "trigger": "t",
                "reason": "r",
                "enrolled_at": now,
            }
            for _ in range(events)
        ]
        ids = [
            row.id for row in session.execute(insert(Enrolment).returning(Enrolment.id), enrolments)
        ]
        session.execute(
            insert(EnrolmentStep),
            [
                {"enrolment_id": i, "path": str(p), "action": "a", "result": {}, "finished_at": now}
                for i in ids
                for p in range(3)
            ],
        )
        session.execute(
            insert(TrailEntry),
            [{**base, "enrolment_id": i, "at": now, "message": "m"} for i in ids for _ in range(5)],
        )
        session.execute(
            insert(Activity),
            [
                {
                    "workspace_id": workspace_id,
                    "kind": "task",
                    "subject": "s",
                    "occurred_at": now,
                    "created_at": now,
                    "contact_id": record_id,
                }
                for _ in ids
            ],
        )
        session.execute(
            insert(PropertyChange),
            [
                {
                    **base,
                    "property": "lead_status",
                    "old_value": None,
                    "new_value": "new",
                    "changed_at": now,
                    "source": "workflow",
                }
                for _ in ids
            ],
        )
        session.execute(
            insert(Job),
            [
                {
                    "workspace_id": workspace_id,
                    "kind": "k",
                    "payload": {},
                    "status": "succeeded",
                    "priority": 100,
                    "run_at": now,
                    "attempts": 1,
                    "max_attempts": 5,
                    "idempotency_key": f"raw:{uuid.uuid4().hex}",
                    "created_at": now,
                }
                for _ in ids
                for _ in range(3)
            ],
        )
        session.flush()
        seconds = time.perf_counter() - started
        session.rollback()
    engine.dispose()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--cpu", action="store_true", help="CPU seconds per event (Linux)")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'workflows.db'}"
    receiver = start_receiver()
    workspace_id = prepare(url, args.events, receiver.url)
    cpu: dict[str, Any] | None = {} if args.cpu else None
    seconds = run_workflows(url, workspace_id, args.events, args.workers, cpu)
    deliveries = checked_deliveries(receiver.received, args.events)
    baseline = raw_inserts(url, workspace_id, args.events)
    print(
        json.dumps(
            {
                "backend": db.make_engine(url).dialect.name,
                "events": args.events,
                "workers": args.workers,
                "steps_per_event": 3,
                "seconds": round(seconds, 2),
                "events_per_second": round(args.events / seconds, 1),
                "raw_insert_events_per_second": round(args.events / baseline, 1),
                "workflow_vs_raw_insert_cost": round(seconds / baseline, 1),
                **deliveries,
                **({"cpu": cpu} if cpu is not None else {}),
            }
        )
    )


if __name__ == "__main__":
    main()
