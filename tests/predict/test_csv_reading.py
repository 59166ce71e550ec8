"""Reading labelled CSVs: encodings, separators, column types, identifiers and clear errors."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.predict.column_types import blank_placeholders, read_numbers, type_column
from dealflow.predict.csv_reading import SEPARATORS, read_csv
from dealflow.predict.tabular import read_labelled_csv

cells = st.text(alphabet="abcdefgh ,;|\t\"'0123456789éß", min_size=1, max_size=8).filter(
    lambda text: text.strip() == text and text
)


@settings(max_examples=40, deadline=None)
@given(
    separator=st.sampled_from(SEPARATORS),
    width=st.integers(2, 5),
    data=st.data(),
)
def test_any_separator_and_quoting_reads_back_the_same_rows(
    tmp_path_factory: pytest.TempPathFactory, separator: str, width: int, data: st.DataObject
) -> None:
    rows = data.draw(st.lists(st.lists(cells, min_size=width, max_size=width), min_size=3))
    header = [f"column {index}" for index in range(width)]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator).writerows([header, *rows])
    path = tmp_path_factory.mktemp("sniff") / "data.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    content = read_csv(path)
    assert content.separator == separator
    assert content.header == header
    assert content.rows == rows


@settings(max_examples=60, deadline=None)
@given(st.lists(st.decimals(-1e7, 1e7, places=2, allow_nan=False), min_size=1, max_size=20))
def test_numbers_with_thousands_separators_read_as_their_value(values: list[Decimal]) -> None:
    us = [f"{value:,.2f}" for value in values]
    eu = [text.replace(",", "_").replace(".", ",").replace("_", ".") for text in us]
    expected = np.array([float(value) for value in values])
    np.testing.assert_allclose(read_numbers(blank_placeholders(us)).to_numpy(), expected)
    if any(abs(value) >= 1000 for value in values):  # otherwise 1,5 vs 1.5 is a fair tie
        np.testing.assert_allclose(read_numbers(blank_placeholders(eu)).to_numpy(), expected)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["Yes", "No", "", "NA", "Select", "-"]), min_size=1))
def test_yes_no_columns_become_flags_and_placeholders_missing(values: list[str]) -> None:
    typed = type_column(values)
    if not any(value in ("Yes", "No") for value in values):
        assert typed.kind == "empty"
        return
    assert typed.kind == "boolean"
    expected = [1.0 if v == "Yes" else 0.0 if v == "No" else np.nan for v in values]
    np.testing.assert_array_equal(typed.values.to_numpy(), np.array(expected))


def test_windows_encoding_bom_and_semicolons_are_handled(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    text = "Company;Revenue;Won\r\nCafé Müller;1.234,50;Ja\r\nBäckerei;€ 99,00;Nein\r\n"
    path.write_bytes(text.encode("cp1252"))
    content = read_csv(path)
    assert (content.encoding, content.separator) == ("cp1252", ";")
    assert content.rows[0] == ["Café Müller", "1.234,50", "Ja"]
    assert type_column([row[1] for row in content.rows]).values.tolist() == [1234.5, 99.0]
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffname,won\nA,1\n".encode())
    assert read_csv(bom).header == ["name", "won"]


def test_identifiers_constants_and_dates_are_typed_or_dropped_with_a_reason(
    tmp_path: Path,
) -> None:
    rows = [
        [
            f"id-{i:04x}",
            str(1000 + i),
            "same",
            f"2024-01-{1 + i % 28:02d}",
            "2024-03-01",
            str(i % 7),
            "yes" if i % 3 else "no",
        ]
        for i in range(60)
    ]
    path = _write(
        tmp_path, ["key", "number", "constant", "signed_up", "closed", "visits", "won"], rows
    )
    table = read_labelled_csv(path, "won", time_column="closed")
    assert table.dropped == {
        "key": "identifier",
        "number": "identifier",
        "constant": "a single value",
    }
    assert table.identifiers == ["key", "number"]
    assert list(table.features.columns) == ["signed_up (days before closed)", "visits"]
    assert table.features["signed_up (days before closed)"].iloc[0] == 60.0  # 1 Jan to 1 Mar
    untimed = read_labelled_csv(path, "won")
    assert "no time column" in untimed.dropped["signed_up"]


def test_the_target_reads_won_lost_and_a_named_positive(tmp_path: Path) -> None:
    rows = [["Won" if i % 2 else "Lost", str(i % 5)] for i in range(30)] + [["", "1"]]
    path = _write(tmp_path, ["stage", "x"], rows)
    table = read_labelled_csv(path, "stage")
    assert table.positive_label == "Won"
    assert table.outcome.sum() == 15 and len(table.outcome) == 30
    assert "1 rows without a value of 'stage' left out" in table.warnings
    assert read_labelled_csv(path, "stage", positive="lost").outcome.sum() == 15


@pytest.mark.parametrize(
    ("text", "target", "message"),
    [
        ("", "won", "the file is empty"),
        ("a,won\n1,1\n2,0,3\n", "won", "line 3: 3 fields where the header has 2"),
        ("a,won\n1,1\n2,0\n", "nope", "no column 'nope' (the target); its columns are: a, won"),
        ("a,won\n1,1\n2,1\n", "won", "has one class (only '1')"),
        ("a,stage\n1,open\n2,late\n3,early\n", "stage", "name the positive one with --positive"),
        ("a,stage\n1,red\n2,blue\n", "stage", "cannot tell which of 'blue' and 'red'"),
    ],
)
def test_bad_files_get_an_error_naming_what_and_where(
    tmp_path: Path, text: str, target: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_labelled_csv(path, target)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"nothing\.csv: no such file"):
        read_labelled_csv(tmp_path / "nothing.csv", "won")


def _write(directory: Path, header: list[str], rows: list[list[str]]) -> Path:
    path = directory / "table.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path
