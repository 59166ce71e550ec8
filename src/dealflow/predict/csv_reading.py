"""Read any CSV a CRM exports: guess its encoding and separator, check every row's shape.

Encodings tried in order: UTF-8 (with or without a byte-order mark), then Windows-1252, then
Latin-1 (which decodes anything). The separator is the candidate that splits the first lines
into the same number of fields most consistently.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from dealflow.core.errors import InvalidInputError, NotFoundError

SEPARATORS = (",", ";", "\t", "|")
SNIFF_LINES = 50
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


@dataclass(frozen=True)
class CsvContent:
    """A CSV's header and rows as text, with how it was read."""

    header: list[str]
    rows: list[list[str]]
    encoding: str
    separator: str


def read_csv(path: Path) -> CsvContent:
    """The file's header and rows; a clear error for a missing, empty or malformed file."""
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    text, encoding = decode(path.read_bytes())
    if not text.strip():
        raise InvalidInputError(f"{path}: the file is empty")
    separator = sniff_separator(text)
    header, rows = split_rows(text, separator, source=str(path))
    return CsvContent(header, rows, encoding, separator)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the first encoding that reads it."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), "utf-8" if encoding == "utf-8-sig" else encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def sniff_separator(text: str) -> str:
    """The separator giving the most lines with the same (more than one) field count."""
    sample = "\n".join(text.splitlines()[:SNIFF_LINES])
    best, best_score = ",", 0
    for separator in SEPARATORS:
        widths = Counter(len(row) for row in csv.reader(io.StringIO(sample), delimiter=separator))
        width, lines = widths.most_common(1)[0] if widths else (1, 0)
        score = lines * 1000 + width if width > 1 else 0
        if score > best_score:
            best, best_score = separator, score
    return best


def split_rows(text: str, separator: str, *, source: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows; blank lines skipped; a row of another width is an error naming its
    line (trailing empty fields beyond the header are tolerated)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header: list[str] | None = None
    rows: list[list[str]] = []
    try:
        for fields in reader:
            if not any(field.strip() for field in fields):
                continue
            if header is None:
                header = [field.strip() for field in fields]
                continue
            if len(fields) > len(header) and not any(f.strip() for f in fields[len(header) :]):
                fields = fields[: len(header)]
            if len(fields) != len(header):
                raise InvalidInputError(
                    f"{source}, line {reader.line_num}: {len(fields)} fields where the header "
                    f"has {len(header)}"
                )
            rows.append(fields)
    except csv.Error as error:
        raise InvalidInputError(f"{source}, line {reader.line_num}: {error}") from None
    if header is None:
        raise InvalidInputError(f"{source}: the file is empty")
    return unique_names(header), rows


def unique_names(header: list[str]) -> list[str]:
    """Column names with blanks named by position and repeats numbered."""
    seen: Counter[str] = Counter()
    names = []
    for position, name in enumerate(header, start=1):
        name = name or f"column_{position}"
        seen[name] += 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return names
