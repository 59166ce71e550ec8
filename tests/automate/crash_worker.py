"""A workflow worker process for the crash test: ``python -m tests.automate.crash_worker
URL`` runs workflow steps and the trigger matcher until killed."""

from __future__ import annotations

import sys
import threading
from datetime import timedelta

from dealflow import db
from dealflow.automate import runtime
from dealflow.core.jobs import RetryPolicy, Worker

LEASE = timedelta(milliseconds=500)


def main(url: str) -> None:
    sessions = db.session_factory(db.make_engine(url), writes=True)
    worker = Worker(
        sessions,
        runtime.handlers(),
        batch_handlers=runtime.batch_handlers(),
        periodic=[runtime.tick],
        lease=LEASE,
        policy=RetryPolicy(base=timedelta(milliseconds=100), cap=timedelta(seconds=1)),
    )
    worker.run_until(threading.Event(), idle_wait=0.05)


if __name__ == "__main__":
    main(sys.argv[1])
