"""Import one file, or a folder of files described by one mapping, in one transaction.

All-or-nothing by default: if any row is bad, nothing is written and every bad row is in the
report. With ``skip_invalid`` the good rows are kept and the bad ones reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from dealflow.core.errors import DealflowError
from dealflow.crm.bulk import BulkWriter
from dealflow.crm.importing.associations import AssociationResolver
from dealflow.crm.importing.mapping import FilePlan, ImportPlan, MappingError
from dealflow.crm.importing.readers import open_table
from dealflow.crm.importing.report import ErrorLog
from dealflow.crm.importing.table_import import FileResult, TableImporter

FileProgress = Callable[[FilePlan, Path, int, int], None]
"""Called as (plan, path, position, size) while a file is read."""


@dataclass
class ImportResult:
    files: list[FileResult]
    errors: ErrorLog
    applied: bool

    @property
    def created(self) -> int:
        return sum(f.created for f in self.files)

    @property
    def updated(self) -> int:
        return sum(f.updated for f in self.files)

    @property
    def unchanged(self) -> int:
        return sum(f.unchanged for f in self.files)

    @property
    def invalid(self) -> int:
        return sum(f.invalid for f in self.files)


class ImportRejectedError(DealflowError):
    """Bad rows were found in all-or-nothing mode; nothing was written."""

    status_code = 422

    def __init__(self, result: ImportResult) -> None:
        rows = len(result.errors.bad_rows)
        super().__init__(
            f"{rows} bad row(s), {result.errors.count} problem(s); nothing was imported. "
            f"Fix them (see {result.errors.path}) or rerun with --skip-invalid to import the "
            "good rows"
        )
        self.result = result


def plan_files(plan: ImportPlan, source: Path) -> list[tuple[FilePlan, Path]]:
    """Pair each file plan with its file: ``source`` is the file itself, or the folder that
    holds the files a multi-file mapping names."""
    if not source.exists():
        raise MappingError(f"{source} does not exist")
    if source.is_dir():
        pairs = []
        for file_plan in plan.files:
            if file_plan.file is None:
                found = ", ".join(sorted(child.name for child in source.iterdir())[:10])
                raise MappingError(
                    f"{source} is a folder: give one of its files ({found or 'it is empty'}) "
                    "or name each one in the mapping with 'file:'"
                )
            pairs.append((file_plan, source / file_plan.file))
        return pairs
    if len(plan.files) != 1:
        raise MappingError(
            f"the mapping describes {len(plan.files)} files: give the folder that holds them"
        )
    return [(plan.files[0], source)]


def import_files(
    session: Session,
    workspace_id: int,
    plan: ImportPlan,
    source: Path,
    *,
    report_path: Path,
    skip_invalid: bool = False,
    batch_size: int = 5000,
    progress: FileProgress | None = None,
) -> ImportResult:
    """Run the import inside the caller's transaction (a savepoint is rolled back when the
    import is rejected). Raises ImportRejectedError in all-or-nothing mode with bad rows."""
    pairs = plan_files(plan, source)
    missing = [str(path) for _, path in pairs if not path.exists()]
    if missing:
        raise MappingError(f"file(s) named by the mapping do not exist: {', '.join(missing)}")
    log = ErrorLog(report_path)
    results: list[FileResult] = []
    savepoint = session.begin_nested()
    try:
        writer = BulkWriter(session, workspace_id, source="import")
        for file_plan, path in pairs:
            resolver = AssociationResolver(session, workspace_id, writer)
            importer = TableImporter(
                session, workspace_id, file_plan, log, writer, resolver, batch_size
            )
            table = open_table(path, file_plan.sheet)
            try:
                on_progress = (
                    (lambda done, fp=file_plan, p=path, t=table: progress(fp, p, done, t.size))
                    if progress
                    else None
                )
                results.append(importer.run(table, on_progress))
            finally:
                table.close()
            session.flush()
    except BaseException:
        savepoint.rollback()
        log.close()
        raise
    log.close()
    result = ImportResult(results, log, applied=True)
    if log.count and not skip_invalid:
        savepoint.rollback()
        result.applied = False
        raise ImportRejectedError(result)
    savepoint.commit()
    return result
