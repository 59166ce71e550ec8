"""``dealflow import``, ``export`` and ``stats``: moving records in and out."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from sqlalchemy.orm import Session

from dealflow.cli.app import (
    WorkspaceOption,
    app,
    console,
    fail,
    unit_of_work,
    workspace,
    workspace_slug,
)
from dealflow.crm.exporting import EXPORT_FORMATS, write_export
from dealflow.crm.importing.importer import (
    ImportPlan,
    ImportRejectedError,
    ImportResult,
    import_files,
    plan_files,
)
from dealflow.crm.importing.mapping import infer_plan, load_mapping
from dealflow.crm.importing.readers import open_table
from dealflow.crm.objects import OBJECTS, ObjectSpec, object_spec
from dealflow.crm.properties import definitions
from dealflow.crm.stats import record_counts
from dealflow.settings import get_settings

OBJECT_NAMES = ", ".join(OBJECTS)


def _object_type(name: str) -> ObjectSpec:
    """The object type the user named, or a one-line error listing the real ones."""
    try:
        return object_spec(name)
    except ValueError as error:
        raise fail(str(error)) from None


@app.command("import")
def import_command(
    target: str = typer.Argument(
        ...,
        help=f"Object type ({OBJECT_NAMES}) followed by FILE; or, with --mapping, "
        "the file or folder to import.",
        show_default=False,
    ),
    file: Path | None = typer.Argument(None, help="CSV or XLSX file.", show_default=False),
    mapping: Path | None = typer.Option(
        None, "--mapping", "-m", help="YAML mapping file (see examples/mappings/)."
    ),
    preset: str | None = typer.Option(
        None, help="Read another CRM's export column names: hubspot or salesforce."
    ),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import the good rows even if some rows are bad."
    ),
    unknown_columns: str = typer.Option(
        "error",
        help="Columns no field matches (inferred mappings): error, ignore, "
        "or create (as text custom properties).",
    ),
    report: Path | None = typer.Option(
        None, help="Where to write the bad-rows report (default: ./import-report-<time>.csv)."
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask before writing."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Import records from CSV or XLSX; re-importing the same file changes nothing.

    Examples:

      dealflow import contacts leads.csv

      dealflow import contacts hubspot-export.xlsx --preset hubspot

      dealflow import ../shared/data/crm_sales_opportunities
      --mapping examples/mappings/crm_sales_opportunities.yml
    """
    if unknown_columns not in ("error", "ignore", "create"):
        raise fail(f"--unknown-columns must be error, ignore or create, not {unknown_columns!r}")
    slug = workspace_slug(workspace_option)
    report_path = report or Path(f"import-report-{datetime.now():%Y%m%d-%H%M%S}.csv")
    with unit_of_work() as session:
        space = workspace(session, slug, create=True)
        if mapping is not None:
            source = Path(file or target)
            plan = load_mapping(mapping)
            if file is not None:
                expected = _object_type(target).name
                if any(p.object_type != expected for p in plan.files):
                    raise fail(f"the mapping imports {plan.files[0].object_type}, not {expected}")
        else:
            if file is None:
                raise fail(
                    f"say what to import: `dealflow import OBJECT FILE` ({OBJECT_NAMES}), "
                    "or give a mapping with --mapping"
                )
            source = file
            spec = _object_type(target)
            table = open_table(file)
            table.close()
            custom = {
                name: d.value_type for name, d in definitions(session, space.id, spec.name).items()
            }
            plan = ImportPlan(
                (
                    infer_plan(
                        spec.name,
                        table.header,
                        preset_name=preset,
                        custom_properties=custom,
                        unknown_columns=unknown_columns,
                    ),
                )
            )
        _show_plan(plan, source)
        if (
            not yes
            and sys.stdin.isatty()
            and not typer.confirm("Import with this mapping?", default=True)
        ):
            raise typer.Exit(1)
        try:
            result = _run_import(session, space.id, plan, source, report_path, skip_invalid)
        except ImportRejectedError as rejected:
            _show_result(rejected.result, slug)
            raise fail(rejected.message) from None
    _show_result(result, slug)


def _run_import(
    session: Session, workspace_id: int, plan: ImportPlan, source: Path, report: Path, skip: bool
) -> ImportResult:
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        tasks: dict[Path, TaskID] = {}

        def on_progress(_plan: object, path: Path, done: int, total: int) -> None:
            if path not in tasks:
                tasks[path] = progress.add_task(path.name, total=total or None)
            progress.update(tasks[path], completed=done, total=total or None)

        settings = get_settings()
        return import_files(
            session,
            workspace_id,
            plan,
            source,
            report_path=report,
            skip_invalid=skip,
            batch_size=settings.import_batch_size,
            progress=on_progress,
        )


def _show_plan(plan: ImportPlan, source: Path) -> None:
    for file_plan, path in plan_files(plan, source):
        table = Table(title=f"{path.name} → {file_plan.object_type} (key: {file_plan.key})")
        table.add_column("column")
        table.add_column("imported as")
        for rule in file_plan.rules:
            table.add_row(rule.column, rule.describe())
        for column, stage in ((c, s) for s, c in file_plan.stage_history.items()):
            table.add_row(column, f"date the deal reached stage {stage}")
        for column in file_plan.ignored:
            table.add_row(column or "(unnamed)", "[dim]skipped[/]")
        if file_plan.defaults:
            defaults = ", ".join(f"{k}={v}" for k, v in file_plan.defaults.items())
            table.caption = f"defaults: {defaults}"
        console.print(table)


def _show_result(result: ImportResult, slug: str) -> None:
    table = Table(
        title=f"Import into workspace {slug}" + ("" if result.applied else " (rolled back)")
    )
    for column in ("file", "object", "created", "updated", "unchanged", "bad rows"):
        table.add_column(column, justify="right" if column not in ("file", "object") else "left")
    for file_result in result.files:
        table.add_row(
            file_result.file,
            file_result.object_type,
            f"{file_result.created:,}",
            f"{file_result.updated:,}",
            f"{file_result.unchanged:,}",
            f"{file_result.invalid:,}",
        )
    console.print(table)
    if result.errors.count:
        console.print(f"[yellow]{result.errors.count} problem(s) in bad rows, e.g.:[/]")
        for error in result.errors.first[:10]:
            console.print(f"  • {error}", highlight=False, markup=False, soft_wrap=True)
        console.print(f"Every problem is listed in [bold]{result.errors.path}[/]")


@app.command()
def export(
    object_type: str = typer.Argument(
        ..., help=f"Object type: {OBJECT_NAMES}.", show_default=False
    ),
    file_format: str = typer.Option("csv", "--format", "-f", help="csv or xlsx."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Default: ./<object>.<format>"),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Export records to CSV or XLSX (re-importable as is)."""
    if file_format not in EXPORT_FORMATS:
        raise fail(f"--format must be one of {', '.join(EXPORT_FORMATS)}, not {file_format!r}")
    spec = _object_type(object_type)
    path = output or Path(f"{spec.name}.{file_format}")
    if not path.parent.is_dir():
        raise fail(f"cannot write {path}: folder {path.parent} does not exist")
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        with Progress(console=console) as progress:
            task = progress.add_task(f"Exporting {spec.name}", total=None)
            count = write_export(
                session,
                space.id,
                spec.name,
                path,
                file_format,
                lambda done, total: progress.update(task, completed=done, total=total),
            )
    console.print(f"Wrote {count:,} {spec.name} to {path}")


@app.command()
def stats(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Count the records of a workspace."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        counts = record_counts(session, space.id)
    if as_json:
        print(json.dumps(counts))
        return
    table = Table(title=f"Workspace {space.slug}")
    table.add_column("records")
    table.add_column("count", justify="right")
    for name, count in counts.items():
        table.add_row(name.replace("_", " "), f"{count:,}")
    console.print(table)
