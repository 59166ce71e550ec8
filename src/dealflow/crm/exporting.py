"""Export records to CSV or XLSX, in a shape ``dealflow import`` reads back unchanged."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from dealflow.crm.objects import ObjectSpec, object_spec
from dealflow.crm.properties import definitions
from dealflow.crm.values import to_json_value
from dealflow.models import Base, Company, Contact, Pipeline, Product, Stage, Team, User

EXPORT_FORMATS = ("csv", "xlsx")
Progress = Callable[[int, int], None]


def export_columns(session: Session, workspace_id: int, spec: ObjectSpec) -> list[str]:
    """Standard fields, associations (written as their key), then custom properties."""
    columns = [f.name for f in spec.fields]
    columns += [a.name for a in spec.associations]
    if spec.has_custom_properties:
        columns += sorted(definitions(session, workspace_id, spec.name))
    return columns


def export_rows(
    session: Session, workspace_id: int, object_type: str
) -> tuple[list[str], int, Iterator[list[Any]]]:
    """The header, the row count, and a stream of rows (oldest record first)."""
    spec = object_spec(object_type)
    table: Table = spec.model.__table__  # type: ignore[assignment]
    header = export_columns(session, workspace_id, spec)
    needed = {a.target for a in spec.associations}
    needed |= {f.name for f in spec.fields if f.name in ("pipeline", "stage")}
    labels = _association_labels(session, workspace_id, needed)
    total = session.scalar(
        select(func.count()).select_from(table).where(table.c.workspace_id == workspace_id)
    )
    defined = definitions(session, workspace_id, spec.name) if spec.has_custom_properties else {}
    custom = sorted(defined)
    numeric = {name for name, definition in defined.items() if definition.value_type == "number"}

    def rows() -> Iterator[list[Any]]:
        result = session.execute(
            select(table).where(table.c.workspace_id == workspace_id).order_by(table.c.id),
            execution_options={"yield_per": 2000},
        ).mappings()
        for record in result:
            values = []
            for field in spec.fields:
                if field.name in ("pipeline", "stage"):
                    values.append(labels[field.name].get(record[f"{field.name}_id"], ""))
                else:
                    values.append(_cell(record[field.name]))
            for association in spec.associations:
                target = labels[association.target]
                values.append(target.get(record[association.column], ""))
            properties = record.get("properties") or {}
            values += [
                _cell(_as_number(properties.get(name)) if name in numeric else properties.get(name))
                for name in custom
            ]
            yield values

    return header, int(total or 0), rows()


def write_export(
    session: Session,
    workspace_id: int,
    object_type: str,
    path: Path,
    file_format: str,
    progress: Progress | None = None,
) -> int:
    """Write the export file; returns the number of records written."""
    if file_format not in EXPORT_FORMATS:
        raise ValueError(f"format {file_format!r} is not one of {', '.join(EXPORT_FORMATS)}")
    header, total, rows = export_rows(session, workspace_id, object_type)
    count = 0
    if file_format == "csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                count += 1
                if progress and count % 5000 == 0:
                    progress(count, total)
    else:
        import xlsxwriter

        # Text stays text: a name like "=1+1" must not become a formula, nor a long URL a
        # hyperlink xlsxwriter would drop (both would break re-importing the file).
        workbook = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        sheet = workbook.add_worksheet(object_spec(object_type).name)
        sheet.write_row(0, 0, header)
        for count, row in enumerate(rows, start=1):
            sheet.write_row(count, 0, [_xlsx_cell(v) for v in row])
            if progress and count % 5000 == 0:
                progress(count, total)
        workbook.close()
        count = total
    if progress:
        progress(total, total)
    return count


def _as_number(value: Any) -> Any:
    """A number property as the float it was imported as: PostgreSQL's JSONB returns
    2.760386456273989e+16 as the int 27603864562739890."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _xlsx_cell(value: Any) -> Any:
    """An XLSX cell: empty for no value; a float that XLSX's 16 significant digits would
    change (1.3407807929942594e+154) is written as its exact text, so it re-imports equal."""
    if value == "":
        return None
    if isinstance(value, float) and float(f"{value:.16g}") != value:
        return repr(value)
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return to_json_value(value)


def _association_labels(
    session: Session, workspace_id: int, needed: set[str]
) -> dict[str, dict[int, str]]:
    """How each associated record is named in an export: the key import finds it by. Only
    the ``needed`` targets are loaded (a contacts export does not read every ticket)."""
    named: dict[str, tuple[type[Base], tuple[str, ...]]] = {
        "companies": (Company, ("domain", "name")),
        "users": (User, ("email", "name")),
        "contacts": (Contact, ("email", "external_id")),
        "teams": (Team, ("name",)),
        "products": (Product, ("name",)),
        "pipeline": (Pipeline, ("name",)),
        "stage": (Stage, ("name",)),
    }
    labels: dict[str, dict[int, str]] = {}
    for target in needed:
        model, columns = named[target]
        table = model.__table__
        statement = select(table.c.id, *(table.c[c] for c in columns)).where(
            table.c.workspace_id == workspace_id
        )
        labels[target] = {
            row[0]: next((str(value) for value in row[1:] if value), "")
            for row in session.execute(statement)
        }
    return labels
