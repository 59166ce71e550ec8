"""Diagnose a workspace's data: one score out of 100, each dimension's score, and the
problems that cost the most points first, each with what to do about it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.crm.quality import checks
from dealflow.crm.quality.duplicates import DuplicateGroup, duplicate_groups
from dealflow.crm.quality.frames import read_frames
from dealflow.crm.quality.problems import DIMENSION_WEIGHTS, Problem
from dealflow.crm.quality.targets import QualityTargets
from dealflow.models import QualitySnapshot, Workspace

DUPLICATE_OBJECTS = ("contacts", "companies", "products")
HISTORY_LIMIT = 90


@dataclass(frozen=True)
class Diagnosis:
    """A workspace's data quality at ``measured_at``."""

    measured_at: datetime
    score: float
    dimensions: dict[str, float]
    """Each dimension's score out of 100."""
    problems: list[Problem]
    """Worst first (most score points lost)."""
    records: dict[str, int]
    duplicates: dict[str, list[DuplicateGroup]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "measured_at": self.measured_at.isoformat(),
            "score": self.score,
            "dimensions": self.dimensions,
            "records": self.records,
            "problems": [p.as_dict() for p in self.problems],
        }


def diagnose(
    session: Session, workspace: Workspace, *, now: datetime, targets: QualityTargets | None = None
) -> Diagnosis:
    """The workspace's diagnosis against ``targets`` (default: the workspace's own settings
    over the defaults). Reads only."""
    targets = targets or QualityTargets().with_settings(workspace.quality_targets)
    data = read_frames(session, workspace, dict(targets.key_properties))
    groups = {o: duplicate_groups(session, workspace.id, o) for o in DUPLICATE_OBJECTS}
    measures = [
        *checks.completeness(data, targets),
        *checks.validity(data),
        *checks.spelling(data),
        *_uniqueness(groups, {o: len(data.of(o)) for o in DUPLICATE_OBJECTS}),
        *checks.freshness(data, targets, now),
        *checks.consistency(data, now),
        *checks.readiness(data, targets),
    ]
    dimensions, problems = _scored(measures)
    score = round(sum(DIMENSION_WEIGHTS[d] * s for d, s in dimensions.items()), 1)
    return Diagnosis(
        measured_at=now,
        score=score,
        dimensions=dimensions,
        problems=sorted(problems, key=lambda p: (-p.impact, -p.count, p.code)),
        records={o: len(f) for o, f in data.frames.items()},
        duplicates=groups,
    )


def _uniqueness(
    groups: dict[str, list[DuplicateGroup]], totals: dict[str, int]
) -> list[checks.Measure]:
    measures = []
    for object_type, found in groups.items():
        total = totals[object_type]
        if not total:
            continue
        extra = sum(len(g.record_ids) - 1 for g in found)
        problem = None
        if extra:
            problem = Problem(
                "duplicates",
                "uniqueness",
                object_type,
                None,
                extra,
                total,
                0.0,
                {"clusters": len(found)},
                [
                    {
                        "ids": list(g.record_ids),
                        "confidence": round(g.confidence, 3),
                        "reason": g.reason,
                    }
                    for g in found[: checks.EXAMPLES]
                ],
            )
        measures.append(checks.Measure("uniqueness", extra / total, problem))
    return measures


def _scored(measures: Sequence[checks.Measure]) -> tuple[dict[str, float], list[Problem]]:
    """Each dimension's score (100 minus its mean loss), and each problem's cost in points
    of the overall score."""
    dimensions: dict[str, float] = {}
    problems: list[Problem] = []
    for dimension, weight in DIMENSION_WEIGHTS.items():
        own = [m for m in measures if m.dimension == dimension]
        if not own:
            dimensions[dimension] = 100.0
            continue
        losses = [min(1.0, m.loss) for m in own]
        dimensions[dimension] = round(100 * (1 - sum(losses) / len(own)), 1)
        for measure, loss in zip(own, losses, strict=True):
            if measure.problem is not None:
                impact = round(100 * weight * loss / len(own), 2)
                problems.append(replace(measure.problem, impact=impact))
    return dimensions, problems


def record_snapshot(session: Session, workspace_id: int, diagnosis: Diagnosis) -> QualitySnapshot:
    """Keep the diagnosis's score, dimensions and problems in the score history (the quality
    page shows the latest one instead of diagnosing the whole workspace on every view)."""
    snapshot = QualitySnapshot(
        workspace_id=workspace_id,
        measured_at=diagnosis.measured_at,
        score=diagnosis.score,
        dimensions=diagnosis.dimensions,
        problems=[p.as_dict() for p in diagnosis.problems],
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def score_history(
    session: Session, workspace_id: int, limit: int = HISTORY_LIMIT
) -> list[QualitySnapshot]:
    """The workspace's recorded scores, oldest first (the latest ``limit``)."""
    rows = session.scalars(
        select(QualitySnapshot)
        .where(QualitySnapshot.workspace_id == workspace_id)
        .order_by(QualitySnapshot.measured_at.desc(), QualitySnapshot.id.desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def latest_snapshot(session: Session, workspace_id: int) -> QualitySnapshot | None:
    """The workspace's most recent diagnosis kept in the history, if any."""
    return session.scalars(
        select(QualitySnapshot)
        .where(QualitySnapshot.workspace_id == workspace_id)
        .order_by(QualitySnapshot.measured_at.desc(), QualitySnapshot.id.desc())
        .limit(1)
    ).one_or_none()
