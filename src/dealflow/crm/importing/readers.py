"""Streaming readers for CSV and XLSX files: rows come one at a time, never the whole file."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from dealflow.core.errors import DealflowError

SNIFF_BYTES = 64 * 1024


class UnreadableFileError(DealflowError):
    """The file cannot be read as a table; the message names the file and the place."""

    status_code = 422


@dataclass
class RowProblem:
    """A row the reader could not turn into values (wrong number of cells), with the column
    where it goes wrong when there is one."""

    reason: str
    column: str = ""
    value: Any = ""


@dataclass
class Table:
    """A file's header and a stream of ``(row_number, values | RowProblem)``.

    Row numbers count as a spreadsheet does: the header is row 1, the first data row is 2.
    ``position()`` tells how far into the file the stream is (bytes or rows), for progress.
    """

    path: Path
    header: list[str]
    rows: Iterator[tuple[int, list[Any] | RowProblem]]
    size: int
    handle: IO[Any] | None = None
    on_close: Callable[[], None] | None = None

    def position(self) -> int:
        return self.handle.tell() if self.handle is not None else 0

    def close(self) -> None:
        """Release the file, also when its rows were not all read (an import that failed)."""
        if self.handle is not None:
            self.handle.close()
        if self.on_close is not None:
            self.on_close()


def open_table(path: Path, sheet: str | None = None) -> Table:
    """Open a ``.csv`` (any common delimiter, UTF-8 with or without BOM) or ``.xlsx`` file."""
    if not path.exists():
        raise UnreadableFileError(f"{path} does not exist")
    if path.is_dir():
        raise UnreadableFileError(
            f"{path} is a folder: give a CSV or XLSX file, or a mapping that names its files"
        )
    if path.suffix.lower() == ".xls":
        raise UnreadableFileError(f"{path} is an old Excel (.xls) file: save it as .xlsx or CSV")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _open_xlsx(path, sheet)
    return _open_csv(path)


def _open_csv(path: Path) -> Table:
    handle = path.open("rb")
    sample = handle.read(SNIFF_BYTES)
    handle.seek(0)
    try:
        text_sample = sample.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # not just a character cut at the sample's end
            handle.close()
            line = sample[: error.start].count(b"\n") + 1
            raise UnreadableFileError(
                f"{path}, line {line} (byte {error.start}): not UTF-8 text; "
                "save the file as UTF-8 CSV"
            ) from error
        text_sample = sample[: error.start].decode("utf-8-sig")
    try:
        dialect: Any = csv.Sniffer().sniff(text_sample.split("\n", 1)[0], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    text = _text_lines(handle, path)
    reader = csv.reader(text, delimiter=dialect.delimiter, quotechar='"', doublequote=True)
    try:
        header = next(reader)
    except StopIteration as error:
        handle.close()
        raise UnreadableFileError(f"{path} is empty: expected a header row") from error
    except csv.Error as error:
        handle.close()
        raise UnreadableFileError(f"{path}, header: not valid CSV ({error})") from error
    except UnicodeDecodeError as error:
        handle.close()
        raise _not_utf8(path) from error
    header = [name.strip() for name in header]
    return Table(path, header, _csv_rows(reader, path, header), path.stat().st_size, handle)


def _csv_rows(
    reader: Any, path: Path, header: list[str]
) -> Iterator[tuple[int, list[Any] | RowProblem]]:
    row_number = 1
    width = len(header)
    while True:
        first_line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise UnreadableFileError(
                f"{path}, line {reader.line_num}: not valid CSV ({error}); nothing was imported"
            ) from error
        except UnicodeDecodeError as error:
            raise _not_utf8(path) from error
        row_number += 1
        if not values:
            continue  # a blank line
        if len(values) != width:
            problem = _width_problem(values, header, first_line, reader.line_num)
            if problem.reason.endswith(UNBALANCED_QUOTE) and _is_last_line(path, reader.line_num):
                # The quote swallowed every later line: no row after it can be trusted.
                raise UnreadableFileError(
                    f"{path}, row {row_number} (line {first_line}), column "
                    f'{problem.column!r}: a quote (") opens a value that is never closed, so '
                    "the rest of the file reads as one value; nothing was imported"
                )
            yield row_number, problem
            continue
        yield row_number, values


UNBALANCED_QUOTE = 'is a quote (") unbalanced?'


def _width_problem(values: list[str], header: list[str], first: int, last: int) -> RowProblem:
    """Why a row has the wrong number of values, naming the column where it goes wrong."""
    count = f"has {len(values)} values but the header has {len(header)} columns"
    runaway = next(
        (i for i, value in enumerate(values[: len(header)]) if "\n" in value and last > first),
        None,
    )
    if runaway is not None:
        return RowProblem(
            f"{count}: the value of {header[runaway]!r} runs from line {first} to line {last}; "
            + UNBALANCED_QUOTE,
            header[runaway],
            values[runaway][:50],
        )
    if len(values) < len(header):
        later = " and the columns after it" if len(header) - len(values) > 1 else ""
        column = header[len(values)]
        return RowProblem(f"{count}: no value for {column!r}{later}", column)
    return RowProblem(
        f"{count}: {values[len(header)]!r} is beyond the last column {header[-1]!r}",
        "",
        values[len(header)],
    )


def _text_lines(handle: IO[bytes], path: Path) -> IO[str]:
    """The file as lines of text for the csv module, decoded in C (UTF-8, a BOM dropped).
    Lines end at ``\n`` only, as the CSV format has it; the rare errors are located by
    reading the file again (``_not_utf8``, ``_CheckedBytes``)."""
    checked = io.BufferedReader(_CheckedBytes(handle, path), buffer_size=64 * 1024)
    return io.TextIOWrapper(checked, encoding="utf-8-sig", newline="\n")


class _CheckedBytes(io.RawIOBase):
    """The bytes of a file, refusing NUL bytes (no text file has them) with their line."""

    def __init__(self, handle: IO[bytes], path: Path) -> None:
        self.handle = handle
        self.path = path

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = int(self.handle.readinto(buffer))  # type: ignore[attr-defined]
        nul = bytes(buffer[:count]).find(b"\x00") if count else -1
        if nul >= 0:
            offset = self.handle.tell() - count + nul
            with self.path.open("rb") as again:
                line = again.read(offset).count(b"\n") + 1
            raise UnreadableFileError(f"{self.path}, line {line}: contains NUL bytes")
        return count

    def close(self) -> None:
        """Leaves the file open: the table closes it."""


def _not_utf8(path: Path) -> UnreadableFileError:
    """The error for a file that is not UTF-8, naming its first line that is not."""
    line = 0
    with path.open("rb") as handle:
        for line, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8-sig" if line == 1 else "utf-8")
            except UnicodeDecodeError:
                break
    return UnreadableFileError(f"{path}, line {line}: not UTF-8 text; save the file as UTF-8 CSV")


def _is_last_line(path: Path, line_number: int) -> bool:
    """Whether ``line_number`` ends the file (a quote that swallowed every later line)."""
    with path.open("rb") as handle:
        return sum(1 for _ in handle) <= line_number


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise UnreadableFileError(f"{path} is not a readable XLSX workbook ({error})") from error
    if sheet is not None and sheet not in workbook.sheetnames:
        workbook.close()
        raise UnreadableFileError(
            f"{path} has no sheet {sheet!r}; sheets: {', '.join(workbook.sheetnames)}"
        )
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    rows = worksheet.iter_rows(values_only=True)
    try:
        header = ["" if cell is None else str(cell).strip() for cell in next(rows)]
    except StopIteration as error:
        workbook.close()
        raise UnreadableFileError(f"{path} is empty: expected a header row") from error
    while header and not header[-1]:
        header.pop()
    total = worksheet.max_row or 0

    def stream() -> Iterator[tuple[int, list[Any] | RowProblem]]:
        for row_number, cells in enumerate(rows, start=2):
            values = [_cell(cell) for cell in cells]
            extra = [value for value in values[len(header) :] if value != ""]
            if extra:
                yield (
                    row_number,
                    RowProblem(
                        f"has values beyond the header's {len(header)} columns", "", extra[0]
                    ),
                )
                continue
            values = (values + [""] * len(header))[: len(header)]
            if all(value == "" for value in values):
                continue
            yield row_number, values
        workbook.close()

    return Table(path, header, stream(), total, on_close=workbook.close)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime | date | int | float | bool):
        return value
    return str(value)
