"""Train, score and detect stalls for a whole workspace in one call (demo, schedule)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from dealflow.predict.registry import TARGETS
from dealflow.predict.scoring import score
from dealflow.predict.stall import detect_stalls
from dealflow.predict.training import train


def score_workspace(
    session: Session,
    workspace_id: int,
    *,
    now: datetime,
    progress: Callable[[str], object] | None = None,
) -> list[str]:
    """Train both scorers, score open leads and deals, flag stalled deals; one line each."""
    say = progress or (lambda _: None)
    lines = []
    for target in TARGETS:
        say(f"Training the {target} scorer")
        report = train(session, workspace_id, target, now=now)
        say(f"Scoring {target}")
        result = score(session, workspace_id, target, now=now)
        lines.append(
            f"{result.scored:,} {target} scored by {result.model}. {report.readiness.explanation}"
        )
    stalls = detect_stalls(session, workspace_id, now=now)
    lines.append(f"{stalls.stalled:,} of {stalls.open_deals:,} open deals have stalled.")
    return lines
