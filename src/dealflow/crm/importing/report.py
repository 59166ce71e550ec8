"""Bad rows: what was wrong, where, and the report file people fix their data from."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RowError:
    """One problem of one row: file, row number (header = 1), column, value and reason."""

    file: str
    row: int
    column: str
    value: Any
    reason: str

    def __str__(self) -> str:
        column = f", column {self.column!r}" if self.column else ""
        value = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{self.file} row {self.row}{column}{value}: {self.reason}"


REPORT_COLUMNS = ("file", "row", "column", "value", "reason")


class ErrorLog:
    """Collects bad rows without holding them all: they stream to a report file, and the first
    few are kept to show on screen."""

    def __init__(self, path: Path, keep: int = 20) -> None:
        self.path = path
        self.keep = keep
        self.first: list[RowError] = []
        self.count = 0
        self.bad_rows: set[tuple[str, int]] = set()
        self._handle: Any = None
        self._writer: Any = None

    def add(self, error: RowError) -> None:
        if self._writer is None:
            self._handle = self.path.open("w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(REPORT_COLUMNS)
        self._writer.writerow([error.file, error.row, error.column, error.value, error.reason])
        self.count += 1
        self.bad_rows.add((error.file, error.row))
        if len(self.first) < self.keep:
            self.first.append(error)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
