"""``dealflow quality`` (the diagnosis, kept in the score history) and ``dealflow cleanse``
(the cleansing agent's changesets: run, list, show, apply, reject, undo)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import typer
from rich.table import Table

from dealflow.cli.app import WorkspaceOption, app, console, unit_of_work, workspace, workspace_slug
from dealflow.core.clock import now
from dealflow.crm.cleansing import service as cleanse
from dealflow.crm.cleansing.journal import decode
from dealflow.crm.quality.service import Diagnosis, diagnose, record_snapshot, score_history
from dealflow.models import Changeset

cleanse_app = typer.Typer(help="The cleansing agent: proposed changes, reviewed, applied, undone.")
app.add_typer(cleanse_app, name="cleanse")


@app.command("quality")
def quality(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    top: int = typer.Option(15, "--top", min=1, help="Problems shown, worst first."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Diagnose the workspace's data: a score out of 100, each dimension's, and the worst
    problems with what to do; the score is kept in the history."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        result = diagnose(session, space, now=now())
        record_snapshot(session, space.id, result)
        history = [(s.measured_at, s.score) for s in score_history(session, space.id, limit=5)]
    if as_json:
        print(
            json.dumps(
                {
                    **result.as_dict(),
                    "history": [{"measured_at": t.isoformat(), "score": s} for t, s in history],
                }
            )
        )
        return
    _print(result, top, history)


def _print(result: Diagnosis, top: int, history: Sequence[tuple[object, float]]) -> None:
    dims = ", ".join(f"{name} {score:.0f}" for name, score in result.dimensions.items())
    records = ", ".join(f"{n:,} {o}" for o, n in result.records.items())
    console.print(f"[bold]Data quality {result.score:.1f}/100[/] ({records})")
    console.print(dims, highlight=False)
    if len(history) > 1:
        console.print("history: " + " -> ".join(f"{s:.1f}" for _, s in history), highlight=False)
    table = Table("points", "problem", "what to do", "examples")
    for problem in result.problems[:top]:
        examples = ", ".join(str(e.get("value", e.get("ids"))) for e in problem.examples[:3])
        table.add_row(f"-{problem.impact:.1f}", problem.message, problem.action, examples)
    console.print(table)


@cleanse_app.command("run")
def run(
    review_all: bool = typer.Option(
        False, "--review-all", help="Apply nothing; every change waits for review."
    ),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Run the agent now: propose every fix and merge, apply the sure ones (confidence
    at least 0.95), leave the rest for review."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        before = diagnose(session, space, now=now())
        record_snapshot(session, space.id, before)
        policy = cleanse.Policy(auto_apply=not review_all)
        changeset = cleanse.run_agent(session, space, now=now(), policy=policy, diagnosis=before)
        after = diagnose(session, space, now=now())
        record_snapshot(session, space.id, after)
        summary, changeset_id = changeset.summary, changeset.id
    console.print(
        f"changeset {changeset_id}: {_counts(summary)}; "
        f"score {before.score:.1f} -> {after.score:.1f}"
    )


def _counts(summary: dict[str, int]) -> str:
    return (
        ", ".join(f"{n} {key.replace('_', ' ')}" for key, n in sorted(summary.items()))
        or "nothing to change"
    )


@cleanse_app.command("list")
def list_changesets(workspace_option: str | None = WorkspaceOption) -> None:
    """The latest changesets, newest first."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        rows = [
            (c.id, c.status, c.created_at, c.score_before, _counts(c.summary))
            for c in cleanse.list_changesets(session, space.id)
        ]
    table = Table("id", "status", "created", "score before", "items")
    for changeset_id, status, created, score, counts in rows:
        table.add_row(
            str(changeset_id), status, f"{created:%Y-%m-%d %H:%M}", f"{score or 0:.1f}", counts
        )
    console.print(table)


@cleanse_app.command("show")
def show(changeset_id: int, workspace_option: str | None = WorkspaceOption) -> None:
    """A changeset's items: what each changes, how sure, and its status."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        changeset = cleanse.get_changeset(session, space.id, changeset_id)
        items = cleanse.items_of(session, changeset)
        header = f"changeset {changeset.id} ({changeset.status}): {_counts(changeset.summary)}"
        rows = [
            (
                str(i.id),
                i.status,
                f"{i.confidence:.2f}",
                f"{i.object_type} {i.record_id}",
                i.property or ", ".join(map(str, i.details.get("record_ids", []))),
                f"{decode(i.old_value)!r} -> {decode(i.new_value)!r}"
                if i.kind == "normalise"
                else "merge",
                i.reason,
            )
            for i in items
        ]
    console.print(header)
    table = Table("item", "status", "conf.", "record", "property / records", "change", "why")
    for row in rows:
        table.add_row(*row)
    console.print(table)


@cleanse_app.command("apply")
def apply(
    changeset_id: int,
    only: list[str] = typer.Option(
        [], "--only", help="Only items of this kind: merge or normalise."
    ),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Apply the changeset's items still waiting for review."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        changeset = cleanse.apply_changeset(session, space.id, changeset_id, now=now(), only=only)
        _report(changeset)


@cleanse_app.command("reject")
def reject(changeset_id: int, workspace_option: str | None = WorkspaceOption) -> None:
    """Turn down the changeset's items still waiting for review."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        _report(cleanse.reject_changeset(session, space.id, changeset_id))


@cleanse_app.command("undo")
def undo(changeset_id: int, workspace_option: str | None = WorkspaceOption) -> None:
    """Restore every record the changeset changed exactly as it was, merges included."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        _report(cleanse.undo_changeset(session, space.id, changeset_id, now=now()))


def _report(changeset: Changeset) -> None:
    console.print(f"changeset {changeset.id} {changeset.status}: {_counts(changeset.summary)}")
