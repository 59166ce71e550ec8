"""What each backend computes its own way gives the same answer on both."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dealflow.core.dialect import SqliteDialect, dialect_of, insert_rows
from dealflow.models import Activity, Contact, OutboxCursor, PropertyChange, Workspace
from tests.factories import make_contact

TOKYO = timezone(timedelta(hours=9))


def test_epoch_seconds_agree_with_python_whatever_the_zone_written(
    session: Session, workspace: Workspace
) -> None:
    moments = [
        datetime(2026, 3, 2, 9, 0, 0, 999_999, tzinfo=UTC),
        datetime(2024, 2, 29, 23, 59, 59, tzinfo=TOKYO),
        datetime(1999, 12, 31, 12, 0, tzinfo=UTC),
    ]
    ids = []
    for moment in moments:
        contact = make_contact(session, workspace)
        contact.created_at = moment
        ids.append(contact.id)
    session.flush()

    seconds = session.scalars(
        select(dialect_of(session).epoch_seconds(Contact.created_at))
        .where(Contact.id.in_(ids))
        .order_by(Contact.id)
    ).all()

    assert seconds == [int(moment.timestamp()) for moment in moments]


def test_one_of_finds_the_rows_of_a_list_longer_than_sqlite_takes_parameters(
    session: Session, workspace: Workspace
) -> None:
    contacts = [make_contact(session, workspace) for _ in range(3)]
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        # SQLite's own default limit (this machine's build allows more).
        driver = session.connection().connection.dbapi_connection
        driver.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)
    wanted = [
        contacts[0].email,
        contacts[2].email,
        *(f"nobody{n}@example.com" for n in range(40_000)),
    ]

    found = session.scalars(
        select(Contact.id).where(dialect_of(session).one_of(Contact.email, wanted))
    ).all()

    assert sorted(found) == [contacts[0].id, contacts[2].id]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(picks=st.lists(st.integers(-3, 8), max_size=12), strangers=st.lists(st.integers()))
def test_in_batch_finds_and_updates_the_rows_an_in_list_does(
    session: Session, workspace: Workspace, picks: list[int], strangers: list[int]
) -> None:
    """The batch form (one array parameter on PostgreSQL) against the IN list it replaces:
    the same rows read and written, for empty lists, repeats and ids that match nothing."""
    if not session.info.get("contacts"):
        session.info["contacts"] = [make_contact(session, workspace).id for _ in range(6)]
        session.flush()
    known = session.info["contacts"]
    ids = [known[pick] if 0 <= pick < len(known) else pick for pick in picks]
    ids += [stranger % 2**63 for stranger in strangers]  # within BIGINT
    in_batch = dialect_of(session).in_batch(Contact.id, ids)

    found = session.scalars(select(Contact.id).where(in_batch)).all()
    written = session.execute(
        update(Contact)
        .where(in_batch)
        .values(city="Lyon")
        .execution_options(synchronize_session=False)
    )

    assert sorted(found) == sorted(session.scalars(select(Contact.id).where(Contact.id.in_(ids))))
    assert written.rowcount == len(found)  # type: ignore[attr-defined]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    existing=st.sets(st.integers(0, 9), max_size=5),
    batch=st.lists(st.integers(0, 9), min_size=1, max_size=12),
)
def test_insert_new_rows_returning_skips_the_rows_whose_key_exists_as_executemany_does(
    session: Session, existing: set[int], batch: list[int]
) -> None:
    """The one-statement form (unnested arrays on PostgreSQL) against the row-by-row
    ``insert_new_rows`` it replaces: a key already stored, or earlier in the batch, is
    skipped; the others are stored with their values (times too) and returned."""
    dialect, table = dialect_of(session), OutboxCursor.__table__
    at = datetime(2026, 3, 2, 9, 30, 15, 250_000, tzinfo=UTC)

    def row(k: int) -> dict[str, Any]:
        return {
            "consumer": f"t-{k}",
            "last_transaction_id": k,
            "last_event_id": 10 * k,
            "updated_at": at,
        }

    with session.begin_nested() as savepoint:
        if existing:
            session.execute(
                dialect.insert_new_rows(table, "consumer"), [row(k) for k in sorted(existing)]
            )

        returned = dialect.insert_new_rows_returning(
            session, table, "consumer", [row(k) for k in batch], ["consumer", "last_event_id"]
        )

        new = set(batch) - existing
        assert sorted(returned) == sorted((f"t-{k}", 10 * k) for k in new)
        stored = session.execute(
            select(
                OutboxCursor.consumer, OutboxCursor.last_transaction_id, OutboxCursor.updated_at
            ).where(OutboxCursor.consumer.like("t-%"))
        ).all()
        assert sorted(stored) == sorted((f"t-{k}", k, at) for k in existing | set(batch))
        savepoint.rollback()


TEXT = st.characters(exclude_categories=())
"""Any code point, lone surrogates too (``json.dumps`` writes them as escapes)."""
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(TEXT),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(TEXT, max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(JSON_VALUES, max_size=6))
def test_sqlite_decodes_json_columns_as_the_standard_library_does(values: list[Any]) -> None:
    """SQLAlchemy writes JSON with ``json.dumps``; a page of it (numbers and NULLs as SQLite
    keeps them) reads back as ``json.loads`` reads each document, lone surrogates included."""
    stored = [
        value if value is None or type(value) is int else json.dumps(value) for value in values
    ]

    decoded = SqliteDialect().decode_json(stored)

    expected = [json.loads(value) if isinstance(value, str) else value for value in stored]
    assert repr(decoded) == repr(expected)


def test_insert_rows_writes_rows_of_different_columns_and_json_values(
    session: Session, workspace: Workspace
) -> None:
    contact = make_contact(session, workspace)
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    task = {"workspace_id": workspace.id, "kind": "task", "occurred_at": at, "created_at": at}

    insert_rows(
        session,
        Activity.__table__,  # type: ignore[arg-type]
        [{**task, "subject": "Call", "contact_id": contact.id}, {**task, "subject": "Note"}],
    )
    change = {
        "workspace_id": workspace.id,
        "object_type": "contacts",
        "record_id": contact.id,
        "property": "tags",
        "changed_at": at,
        "source": "test",
    }
    insert_rows(
        session,
        PropertyChange.__table__,  # type: ignore[arg-type]
        [{**change, "old_value": None, "new_value": {"a": [1, "二"]}}],
    )

    rows = session.execute(
        select(Activity.subject, Activity.contact_id, Activity.occurred_at).order_by(Activity.id)
    ).all()
    assert [tuple(row) for row in rows] == [("Call", contact.id, at), ("Note", None, at)]
    values = session.execute(select(PropertyChange.old_value, PropertyChange.new_value)).one()
    assert tuple(values) == (None, {"a": [1, "二"]})
