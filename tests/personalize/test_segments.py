"""Segments: filters over properties, scores, bands, the company and behaviour; members
follow record changes; templates with unknown merge fields are refused at save time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import InvalidFieldsError
from dealflow.crm import service
from dealflow.models import Workspace
from dealflow.personalize.merge_fields import MERGE_FIELD, MERGE_FIELDS, check_template
from dealflow.personalize.segments import save_segment, segment_members
from tests.factories import make_company, make_contact

HOT_JAPANESE = {
    "all": [
        {"property": "language", "op": "eq", "value": "ja"},
        {"property": "score_band", "op": "in", "value": ["A", "B"]},
        {"property": "company.employees", "op": "gt", "value": 100},
        {"property": "behaviour.page_view_30d", "op": "gt", "value": 1},
    ]
}


def test_members_follow_properties_scores_company_and_behaviour(
    session: Session, workspace: Workspace
) -> None:
    big = make_company(session, workspace, employees=500)
    small = make_company(session, workspace, employees=20)
    fits = make_contact(session, workspace, language="ja", company_id=big.id)
    too_small = make_contact(session, workspace, language="ja", company_id=small.id)
    for contact in (fits, too_small):
        contact.score, contact.score_band = 80, "A"
        for days in (1, 2):
            service.record_engagement(
                session,
                workspace.id,
                contact.id,
                "page_view",
                occurred_at=clock.now() - timedelta(days=days),
                url="https://example.com/pricing",
            )
    session.flush()
    segment = save_segment(session, workspace.id, "Hot Japanese accounts", HOT_JAPANESE)
    assert [c.id for c in segment_members(session, workspace.id, segment)] == [fits.id]

    service.update_record(session, workspace.id, "companies", small.id, {"employees": 900})
    assert len(segment_members(session, workspace.id, segment)) == 2  # follows the change
    later = clock.now() + timedelta(days=40)  # the views age out of the 30-day window
    assert segment_members(session, workspace.id, segment, now=later) == []


def test_a_bad_filter_or_an_unknown_merge_field_is_named_at_save_time(
    session: Session, workspace: Workspace
) -> None:
    with pytest.raises(InvalidFieldsError, match=r"filter.property: .*no property 'budget'"):
        save_segment(session, workspace.id, "S", {"property": "budget", "op": "gt", "value": 1})
    with pytest.raises(InvalidFieldsError, match="no behaviour 'visits'"):
        save_segment(
            session, workspace.id, "S", {"property": "behaviour.visits", "op": "gt", "value": 1}
        )
    with pytest.raises(
        InvalidFieldsError, match=r"templates.en.body: unknown merge field \{\{ nickname \}\}"
    ):
        save_segment(
            session,
            workspace.id,
            "S",
            {"property": "language", "op": "eq", "value": "en"},
            {"en": {"body": "Hi {{ nickname }}, {{ company.name }} ..."}},
        )


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_.", min_size=1, max_size=20))
def test_every_merge_field_name_is_either_known_or_refused(name: str) -> None:
    text = f"Hello {{{{ {name} }}}}!"
    assert MERGE_FIELD.findall(text) == [name]
    if name in MERGE_FIELDS:
        check_template(text, "body")
    else:
        with pytest.raises(InvalidFieldsError, match=name.replace(".", r"\.")):
            check_template(text, "body")
