"""``dealflow segments ...``: dynamic contact lists with message templates."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from dealflow.automate.definitions import load_document
from dealflow.cli.app import WorkspaceOption, app, console, unit_of_work, workspace, workspace_slug
from dealflow.core.errors import InvalidInputError
from dealflow.personalize.segments import (
    get_segment,
    list_segments,
    save_segment,
    segment_members,
)

segments_app = typer.Typer(
    help="Segments: dynamic contact lists (filters) with message templates.",
    no_args_is_help=True,
)
app.add_typer(segments_app, name="segments")

SegmentArgument = typer.Argument(..., help="Segment id or name.", show_default=False)


@segments_app.command("add")
def add(
    file: Path = typer.Argument(
        ..., help="YAML or JSON: name, description, filter, templates.", show_default=False
    ),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Save a segment from a file (a segment of the same name is replaced)."""
    try:
        document = load_document(file.read_text(encoding="utf-8"), str(file))
    except OSError as error:
        raise InvalidInputError(f"{file}: {error.strerror}") from None
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=True)
        segment = save_segment(
            session,
            space.id,
            str(document.get("name") or ""),
            document.get("filter"),
            document.get("templates"),
            document.get("description"),
        )
        count = len(segment_members(session, space.id, segment))
        console.print(f"Segment #{segment.id} {segment.name!r} saved: {count} contacts now.")


@segments_app.command("list")
def list_command(workspace_option: str | None = WorkspaceOption) -> None:
    """The segments with how many contacts each holds now."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        table = Table("id", "name", "contacts", "templates")
        for segment in list_segments(session, space.id):
            count = len(segment_members(session, space.id, segment))
            languages = ", ".join(sorted(segment.templates or {})) or "none"
            table.add_row(str(segment.id), segment.name, str(count), languages)
        console.print(table)


@segments_app.command("show")
def show(
    segment_ref: str = SegmentArgument, workspace_option: str | None = WorkspaceOption
) -> None:
    """A segment's filter, templates and member count."""
    import yaml

    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        segment = get_segment(session, space.id, segment_ref)
        count = len(segment_members(session, space.id, segment))
        console.print(f"[bold]Segment #{segment.id} {segment.name}[/] — {count} contacts now")
        if segment.description:
            console.print(segment.description, markup=False, highlight=False)
        document = {"filter": segment.filter, "templates": segment.templates}
        console.print(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
            markup=False,
            highlight=False,
        )


@segments_app.command("members")
def members(
    segment_ref: str = SegmentArgument,
    limit: int = typer.Option(50, min=1, help="Show at most this many."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """The contacts in the segment now."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        segment = get_segment(session, space.id, segment_ref)
        found = segment_members(session, space.id, segment)
        table = Table("id", "name", "email", "language", "lifecycle", "score")
        for contact in found[:limit]:
            name = " ".join(p for p in (contact.first_name, contact.last_name) if p)
            score = f"{contact.score} {contact.score_band}" if contact.score is not None else ""
            table.add_row(
                str(contact.id),
                name,
                contact.email or "",
                contact.language or "",
                contact.lifecycle_stage,
                score,
            )
        console.print(table)
        console.print(f"{len(found)} contacts in {segment.name!r}.")
