"""Where imported deals go, and the stage history their dates tell.

A deal row names its stage (and maybe its pipeline); ``stage_history`` columns give the day
each stage began. From them a new deal is created in its first dated stage and moved through
the later ones on their dates, so "which stage was it in at time t" has an answer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from itertools import pairwise
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.crm import outbox
from dealflow.crm.history import Change
from dealflow.crm.importing.mapping import FilePlan, MappingError
from dealflow.crm.values import to_json_value
from dealflow.crm.workspaces import create_pipeline, default_pipeline
from dealflow.models import Pipeline, Stage

StageEvent = tuple[str, str, int, dict[str, Any], datetime]


class DealRow(Protocol):
    """What this module reads and writes of a parsed row."""

    fields: dict[str, Any]
    stage_dates: dict[str, date]

    def fail(self, column: str, value: Any, reason: str) -> None: ...


class DealStages:
    """The pipelines and stages of one deals import."""

    def __init__(self, session: Session, workspace_id: int, plan: FilePlan, now: datetime) -> None:
        self.plan = plan
        self.now = now
        if plan.pipeline is None:
            self.pipeline = default_pipeline(session, workspace_id)
        else:
            self.pipeline = session.scalar(
                select(Pipeline).where(
                    Pipeline.workspace_id == workspace_id, Pipeline.name == plan.pipeline.name
                )
            ) or create_pipeline(session, workspace_id, plan.pipeline.name, plan.pipeline.stages)
        pipelines = session.scalars(select(Pipeline).where(Pipeline.workspace_id == workspace_id))
        self.pipelines = {p.name.lower(): p for p in pipelines}
        self.by_id: dict[int, Stage] = {}
        self.by_pipeline: dict[int, dict[str, Stage]] = {}
        stages = session.scalars(
            select(Stage).where(Stage.workspace_id == workspace_id).order_by(Stage.position)
        )
        for stage in stages:
            self.by_id[stage.id] = stage
            self.by_pipeline.setdefault(stage.pipeline_id, {})[stage.name.lower()] = stage
        own = self.by_pipeline.get(self.pipeline.id, {})
        for name in plan.stage_history:
            if name.lower() not in own:
                raise MappingError(
                    f"stage_history names stage {name!r}, which pipeline {self.pipeline.name!r} "
                    f"does not have ({', '.join(s.name for s in own.values())})"
                )

    def place(self, row: DealRow) -> None:
        """Turn the row's pipeline and stage names into ids, failing the row when they name
        nothing, and check its stage dates run forward."""
        pipeline = self.pipeline
        pipeline_name = row.fields.pop("pipeline", None)
        if pipeline_name and pipeline_name.lower() != pipeline.name.lower():
            if self.plan.pipeline is not None:
                row.fail(
                    self.plan.column_of("pipeline"), pipeline_name,
                    f"this import puts deals in pipeline {pipeline.name!r}",
                )  # fmt: skip
                return
            named = self.pipelines.get(pipeline_name.lower())
            if named is None:
                row.fail(
                    self.plan.column_of("pipeline"), pipeline_name,
                    "no pipeline has this name "
                    f"({', '.join(p.name for p in self.pipelines.values())})",
                )  # fmt: skip
                return
            pipeline = named
        stage_name = row.fields.pop("stage", None)
        if stage_name is None:
            return
        stages = self.by_pipeline.get(pipeline.id, {})
        stage = stages.get(str(stage_name).lower())
        if stage is None:
            row.fail(
                self.plan.column_of("stage"), stage_name,
                f"not a stage of pipeline {pipeline.name!r} "
                f"({', '.join(s.name for s in stages.values())})",
            )  # fmt: skip
            return
        row.fields["pipeline_id"] = pipeline.id
        row.fields["stage_id"] = stage.id
        self._check_dates(row, stage)

    def history(self, row: DealRow, record: dict[str, Any]) -> list[tuple[Change, datetime]]:
        """Replay a new deal's stage path: created in its first dated stage, moved to each
        later one on its date. Sets the record's ``created_at``/``closed_at`` from it."""
        final = self.by_id[row.fields["stage_id"]]
        path = [(stage, _midnight(day)) for stage, day in self._path(row, final)]
        if not path:
            return []
        if path[-1][0].id != final.id:
            path.append((final, self.now))
        if row.fields.get("created_at") is None:
            record["created_at"] = path[0][1]
        if final.kind != "open" and row.fields.get("closed_at") is None:
            record["closed_at"] = path[-1][1]
        history = [
            (Change("stage_id", before.id, after.id), at)
            for (before, _), (after, at) in pairwise(path)
        ]
        if final.kind != "open" and len(path) > 1:
            closed = to_json_value(record["closed_at"])
            history.append((Change("closed_at", None, closed), path[-1][1]))
        return history

    def is_closed(self, stage_id: int | None) -> bool:
        stage = self.by_id.get(stage_id) if stage_id is not None else None
        return stage is not None and stage.kind != "open"

    def closed_at_after_move(
        self, row: DealRow, current: dict[str, Any], stage_id: int
    ) -> datetime | None:
        """When a deal re-imported into ``stage_id`` closed: the row's date for it, else what
        the record had, else now; None for an open stage."""
        stage = self.by_id[stage_id]
        if stage.kind == "open":
            return None
        reached = row.stage_dates.get(stage.name.lower())
        return (
            row.fields.get("closed_at")
            or (_midnight(reached) if reached else None)
            or current.get("closed_at")
            or self.now
        )

    def stage_event(self, record_id: int, old_stage_id: int, new_stage_id: int) -> StageEvent:
        """The ``deal.stage_changed`` event of a re-imported deal."""
        old, new = self.by_id.get(old_stage_id), self.by_id[new_stage_id]
        payload = {
            "from_stage_id": old_stage_id,
            "to_stage_id": new.id,
            "from_kind": old.kind if old else None,
            "to_kind": new.kind,
        }
        return (outbox.DEAL_STAGE_CHANGED, "deals", record_id, payload, self.now)

    def _check_dates(self, row: DealRow, final: Stage) -> None:
        for (earlier, earlier_day), (later, later_day) in pairwise(self._path(row, final)):
            if later_day < earlier_day:
                column = next(
                    (
                        c
                        for s, c in self.plan.stage_history.items()
                        if s.lower() == later.name.lower()
                    ),
                    "",
                )
                row.fail(
                    column, later_day.isoformat(),
                    f"{later.name} is dated before {earlier.name} ({earlier_day.isoformat()})",
                )  # fmt: skip

    def _path(self, row: DealRow, final: Stage) -> list[tuple[Stage, date]]:
        """The stages the deal went through, with the day each began, in pipeline order."""
        path = []
        for stage in self.by_pipeline[final.pipeline_id].values():
            day = row.stage_dates.get(stage.name.lower())
            if day is None:
                continue
            if stage.id == final.id or (stage.kind == "open" and stage.position < final.position):
                path.append((stage, day))
        return path


def closing_time(record: dict[str, Any]) -> datetime:
    """When a deal imported in a won or lost stage without stage dates closed: its close
    date, unless that is before it was created."""
    created: datetime = record["created_at"]
    close_date = record.get("close_date")
    if close_date is not None and _midnight(close_date) >= created:
        return _midnight(close_date)
    return created


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)
