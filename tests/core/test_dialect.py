"""What each backend computes its own way gives the same answer on both."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core.dialect import dialect_of
from dealflow.models import Contact, Workspace
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
