"""Import, export and re-import: any valid table survives the round trip unchanged, and
importing the same file again changes nothing (no updates, no history, no events)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from dealflow.crm.exporting import write_export
from dealflow.crm.importing.mapping import ImportPlan
from dealflow.crm.objects import LIFECYCLE_STAGES
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Workspace
from tests.fixtures.importing import (
    counts,
    history_counts,
    run_import,
    snapshot,
    write_csv,
    write_mapping,
)

LETTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZÉéüçñØ"
    "あいうえおかきくけこさしすせそアイウエオ佐藤鈴木高橋田中渡辺伊藤山本"  # Japanese
    "김이박최정강조윤장임민준서연지우"  # Korean
    "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"  # Persian
)
NAME_TEXT = st.text(LETTERS + " -'.,\"=\n", max_size=30)
COMPANIES = [
    ("株式会社サンプル", "sample.co.jp"),
    ("삼성 샘플", "sample.kr"),
    ("Acme Inc", "acme.com"),
]
STAGE_WORDS = [*LIFECYCLE_STAGES, "Marketing Qualified Lead", "CUSTOMER", " lead ", ""]
BOOLEAN_WORDS = ["true", "false", "yes", "no", "1", "0", "TRUE", ""]
NUMBERS = st.one_of(
    st.just(""),
    st.integers(-(10**9), 10**9).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
HEADER = [
    "first_name", "last_name", "email", "lifecycle_stage", "do_not_email", "company",
    "rating", "notes", "vip",
]  # fmt: skip
MAPPING = """
object: contacts
columns:
  first_name: first_name
  last_name: last_name
  email: email
  lifecycle_stage: lifecycle_stage
  do_not_email: do_not_email
  company: {association: company, by: domain}
  rating: {property: rating, type: number}
  notes: {property: notes, type: text}
  vip: {property: vip, type: bool}
"""
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def mixed_case(text: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(text), max_size=len(text)).map(
        lambda upper: "".join(c.upper() if u else c for c, u in zip(text, upper, strict=True))
    )


@st.composite
def contact_tables(draw: st.DrawFn) -> list[list[str]]:
    """Rows of valid contacts: unique emails (in any case), any names, custom values."""
    mailboxes = draw(
        st.lists(
            st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True), min_size=1, max_size=8, unique=True
        )
    )
    return [
        [
            draw(NAME_TEXT),
            draw(NAME_TEXT),
            draw(mixed_case(f"{mailbox}@example.com")),
            draw(st.sampled_from(STAGE_WORDS)),
            draw(st.sampled_from(BOOLEAN_WORDS)),
            draw(st.sampled_from(["", *(domain for _, domain in COMPANIES)])),
            draw(NUMBERS),
            draw(NAME_TEXT),
            draw(st.sampled_from(BOOLEAN_WORDS)),
        ]
        for mailbox in mailboxes
    ]


def fresh_workspace(session: Session, tmp_path: Path) -> tuple[Workspace, Path]:
    """A new workspace (each example starts empty) with the companies contacts belong to."""
    workspace = ensure_workspace(session, f"round-trip-{uuid.uuid4().hex[:10]}")
    folder = tmp_path / workspace.slug
    folder.mkdir()
    companies = write_csv(folder / "companies.csv", ["name", "domain"], COMPANIES)
    run_import(session, workspace, companies, "companies")
    return workspace, folder


def contacts_state(session: Session, workspace: Workspace) -> dict[str, Any]:
    state = snapshot(session, workspace)
    return {key: state[key] for key in ("companies", "contacts", "property_changes", "outbox")}


class TestRoundTrip:
    @EXAMPLES
    @given(rows=contact_tables(), file_format=st.sampled_from(["csv", "xlsx"]))
    def test_an_exported_table_reimports_unchanged(
        self, session: Session, tmp_path: Path, rows: list[list[str]], file_format: str
    ) -> None:
        workspace, folder = fresh_workspace(session, tmp_path)
        source = write_csv(folder / "contacts.csv", HEADER, rows)
        first = run_import(session, workspace, source, write_mapping(folder / "m.yml", MAPPING))
        assert counts(first) == (len(rows), 0, 0, 0)
        before = contacts_state(session, workspace)

        exported = folder / f"export.{file_format}"
        assert write_export(session, workspace.id, "contacts", exported, file_format) == len(rows)
        again = run_import(session, workspace, exported, "contacts")

        assert counts(again) == (0, 0, len(rows), 0)
        assert contacts_state(session, workspace) == before

    @EXAMPLES
    @given(rows=contact_tables())
    def test_importing_the_same_file_twice_changes_nothing(
        self, session: Session, tmp_path: Path, rows: list[list[str]]
    ) -> None:
        workspace, folder = fresh_workspace(session, tmp_path)
        source = write_csv(folder / "contacts.csv", HEADER, rows)
        plan: ImportPlan = write_mapping(folder / "m.yml", MAPPING)
        run_import(session, workspace, source, plan)
        before = contacts_state(session, workspace)
        history_before = history_counts(session, workspace)

        second = run_import(session, workspace, source, plan)

        assert counts(second) == (0, 0, len(rows), 0)
        assert history_counts(session, workspace) == history_before
        assert contacts_state(session, workspace) == before
