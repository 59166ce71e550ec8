"""Batches of new records are written straight from their columns; the result must be the
same as the row-by-row path's, and any batch that needs more (a bad row, an existing key, a
repeated key) must still get the row-by-row treatment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.crm import outbox
from dealflow.crm.importing.columnar import INVALID, ColumnConverter
from dealflow.crm.importing.converters import BLANK
from dealflow.crm.values import enum_parser, parse_email
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Workspace
from tests.factories import events_of
from tests.fixtures.importing import counts, report_rows, rows_of, run_import, write_csv

HEADER = ["email", "first_name", "lifecycle_stage", "do_not_email", "created_at", "budget"]
ROWS = [
    ["ada@example.com", "Ada", "lead", "true", "2025-01-02T03:04:05+00:00", "1200"],
    ["grace@example.com", "", "customer", "", "", ""],
    ["linus@example.com", "Linus", "", "no", "", "99.5"],
    ["KEN@example.com", " Ken ", "MQL", "false", "2024-12-31T23:00:00+00:00", "7"],
]


def comparable(session: Session, workspace: Workspace) -> list[dict[str, Any]]:
    """The workspace's contacts without what differs between two imports (ids)."""
    return [
        {k: v for k, v in row.items() if k not in ("id", "workspace_id")}
        for row in rows_of(session, workspace, "contacts")
    ]


class TestNewRecordsFromColumns:
    def test_records_and_events_equal_the_row_by_row_path(
        self, session: Session, workspace: Workspace, tmp_path: Path, frozen_clock: FrozenClock
    ) -> None:
        fast = write_csv(tmp_path / "fast.csv", HEADER, ROWS)
        # One bad row sends its whole batch row by row; skipped, the others are the same rows.
        slow = write_csv(tmp_path / "slow.csv", HEADER, [*ROWS, ["not-an-email", *ROWS[0][1:]]])
        other = ensure_workspace(session, "other", "Other")

        created = run_import(session, workspace, fast, "contacts", unknown_columns="create")
        slowly = run_import(
            session, other, slow, "contacts", skip_invalid=True, unknown_columns="create"
        )

        assert counts(created) == (4, 0, 0, 0)
        assert counts(slowly) == (4, 0, 0, 1)
        assert comparable(session, workspace) == comparable(session, other)
        for space in (workspace, other):
            events = events_of(session, space, outbox.RECORD_CREATED)
            assert [(e.record_id, e.occurred_at) for e in events] == [
                (row["id"], row["created_at"]) for row in rows_of(session, space, "contacts")
            ]
        ken = comparable(session, workspace)[3]
        assert (ken["email"], ken["first_name"], ken["lifecycle_stage"]) == (
            "ken@example.com",
            "Ken",
            "mql",
        )

    def test_batches_with_existing_repeated_or_bad_rows_go_row_by_row(
        self, session: Session, workspace: Workspace, tmp_path: Path, frozen_clock: FrozenClock
    ) -> None:
        header = ["email", "first_name"]
        run_import(
            session, workspace, write_csv(tmp_path / "a.csv", header, [["b@x.io", "B"]]), "contacts"
        )
        rows = [
            ["a@x.io", "A"], ["c@x.io", "C"],  # new: straight from columns
            ["b@x.io", "Bea"], ["d@x.io", "D"],  # b exists: updated with history
            ["e@x.io", "E"], ["e@x.io", "E2"],  # repeated key: the second is bad
            ["f@x.io", "F"], ["bad", "G"],  # bad email
        ]  # fmt: skip

        result = run_import(
            session,
            workspace,
            write_csv(tmp_path / "b.csv", header, rows),
            "contacts",
            skip_invalid=True,
            batch_size=2,
        )

        assert counts(result) == (5, 1, 0, 2)
        names = {r["email"]: r["first_name"] for r in rows_of(session, workspace, "contacts")}
        assert names == {"b@x.io": "Bea", "a@x.io": "A", "c@x.io": "C", "d@x.io": "D",
                         "e@x.io": "E", "f@x.io": "F"}  # fmt: skip
        [changed] = events_of(session, workspace, outbox.PROPERTY_CHANGED)
        assert (changed.payload["old"], changed.payload["new"]) == ("B", "Bea")
        assert len(events_of(session, workspace, outbox.RECORD_CREATED)) == 6
        assert [(r["row"], r["column"], r["value"]) for r in report_rows(tmp_path / "b.csv")] == [
            ("7", "email", "e@x.io"),
            ("9", "email", "bad"),
        ]

    def test_a_key_created_by_an_earlier_batch_is_a_duplicate(
        self, session: Session, workspace: Workspace, tmp_path: Path
    ) -> None:
        rows = [["a@x.io", "A"], ["b@x.io", "B"], ["a@x.io", "A2"]]
        path = write_csv(tmp_path / "a.csv", ["email", "first_name"], rows)

        result = run_import(session, workspace, path, "contacts", skip_invalid=True, batch_size=2)

        assert counts(result) == (2, 0, 0, 1)
        [problem] = report_rows(path)
        assert problem["row"] == "4" and "duplicate key" in problem["reason"]


def one_by_one(convert: Any, cell: str) -> Any:
    try:
        return convert(cell)
    except ValueError:
        return INVALID


CELLS = st.lists(
    st.sampled_from(["", " ", "lead", "Lead", "MQL", "nope", "a@b.io", "A@B.IO", "x@", "sql "]),
    max_size=40,
)


@given(batches=st.lists(CELLS, max_size=6))
def test_a_column_converts_as_its_cells_would_one_by_one(batches: list[list[str]]) -> None:
    for parse in (enum_parser(["lead", "mql", "sql"]), parse_email):

        def convert(cell: str, parse: Any = parse) -> Any:
            return BLANK if not cell.strip() else parse(cell)

        column = ColumnConverter(convert)
        for cells in batches:
            assert column.column(cells) == [one_by_one(convert, c) for c in cells]


def test_a_column_of_distinct_values_stops_remembering() -> None:
    column = ColumnConverter(parse_email)
    cells = [f"user{n}@example.com" for n in range(5000)]

    assert column.column(cells) == cells
    assert not column.remembering and not column.memo
    assert column.column(["bad", "ok@x.io"]) == [INVALID, "ok@x.io"]
