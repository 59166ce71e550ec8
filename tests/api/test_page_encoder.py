"""List pages written straight from their rows: the same bytes pydantic writes for
``Page[schema]``, for any values (None, unicode, big numbers, times in any zone, odd score
reasons), and pydantic's own answer whenever a value needs its validation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from dealflow.api.listing import validated_page_json
from dealflow.api.page_encoder import page_encoder
from dealflow.api.schemas.activities import ActivityOut
from dealflow.api.schemas.companies import CompanyOut
from dealflow.api.schemas.contacts import ContactOut
from dealflow.api.schemas.deals import DealOut
from dealflow.api.schemas.tickets import TicketOut
from dealflow.crm.access import principal_for
from dealflow.crm.record_lists import ListRequest, SortKey, list_records
from dealflow.crm.workspaces import ensure_workspace
from tests.api.conftest import bearer
from tests.factories import make_contact, make_user

LISTED = (ContactOut, CompanyOut, DealOut, TicketOut, ActivityOut)
MOMENT = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats()
    | st.text()
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
moments = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2999, 12, 31), timezones=st.timezones()
) | st.datetimes(timezones=st.just(timezone(timedelta(hours=-3, minutes=-30))))
reason_items = (
    st.text()
    | st.fixed_dictionaries(
        {"text": st.text()},
        optional={
            "feature": st.none() | st.text() | st.integers(),
            "value": json_values,
            "impact": st.none() | st.floats() | st.integers(-(2**60), 2**60) | st.booleans(),
            "extra": json_values,
        },
    )
    | json_values
)
reasons = st.none() | st.lists(reason_items, max_size=4) | json_values
plain_reasons = st.lists(
    st.text()
    | st.fixed_dictionaries(
        {"text": st.text()},
        optional={"feature": st.none() | st.text(), "value": json_values, "impact": st.floats()},
    ),
    max_size=4,
)


def _likely(kind: type, mixed: bool) -> st.SearchStrategy[Any]:
    """Values of the field's own type, and with ``mixed`` of other types too."""
    own: dict[type, st.SearchStrategy[Any]] = {
        int: st.integers(min_value=-(2**70), max_value=2**70),
        str: st.text(),
        bool: st.booleans(),
        datetime: moments,
        date: st.dates(),
        Decimal: st.decimals(places=2) | st.decimals(),
        dict: st.dictionaries(st.text(), json_values, max_size=4),
    }
    if not mixed:
        return own[kind]
    return st.one_of(own[kind], own[kind], own[kind], json_scalars | moments | st.decimals())


def _field_values(schema: type[BaseModel], mixed: bool) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {"workspace_id": st.integers(1, 5)}
    for name, field in schema.model_fields.items():
        text = str(field.annotation)
        if name.endswith("_reasons"):
            fields[name] = st.none() | (reasons if mixed else plain_reasons)
            continue
        kind = next(
            (kind for label, kind in KINDS if label in text),
            str,
        )
        values = _likely(kind, mixed)
        fields[name] = values if "None" not in text else st.none() | values
    return st.fixed_dictionaries(fields)


KINDS = (
    ("datetime", datetime),
    ("date", date),
    ("Decimal", Decimal),
    ("dict", dict),
    ("bool", bool),
    ("int", int),
    ("str", str),
)


@pytest.mark.parametrize("schema", LISTED, ids=lambda schema: schema.__name__)
def test_every_list_schema_has_an_encoder(schema: type[BaseModel]) -> None:
    assert page_encoder(schema) is not None


@pytest.mark.parametrize("schema", LISTED, ids=lambda schema: schema.__name__)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), cursor=st.none() | st.text(min_size=1))
def test_the_written_page_is_the_validated_page(
    schema: type[BaseModel], data: st.DataObject, cursor: str | None
) -> None:
    mixed = data.draw(st.booleans())
    records = data.draw(st.lists(_field_values(schema, mixed), max_size=4))
    encoder = page_encoder(schema)
    assert encoder is not None
    written = encoder.encode(records, cursor)
    try:
        validated = validated_page_json(schema, records, cursor)
    except ValidationError:
        assert written is None  # pydantic refuses the page: it must be left to pydantic
        return
    assert written is None or written == validated
    event("written" if written is not None else "left to pydantic")


def test_plain_rows_are_written_without_pydantic() -> None:
    record = {
        "workspace_id": 1,
        **dict.fromkeys(ContactOut.model_fields),
        "id": 2**62,
        "first_name": "Zoë 山田 رضا",
        "lifecycle_stage": "lead",
        "do_not_email": False,
        "do_not_call": True,
        "properties": {"plan": {"seats": 10**30, "ratio": float("inf"), "tags": ["a", None]}},
        "created_at": MOMENT,
        "updated_at": MOMENT.astimezone(timezone(timedelta(hours=9))),
        "score": 97,
        "score_reasons": ["a sentence", {"text": "Replied", "feature": "f", "impact": 20}],
    }
    encoder = page_encoder(ContactOut)
    assert encoder is not None
    written = encoder.encode([record], "next")
    assert written is not None
    assert written == validated_page_json(ContactOut, [record], "next")
    assert b'"impact":20.0' in written and b'"ratio":null' in written


def test_a_value_pydantic_would_convert_is_left_to_pydantic() -> None:
    encoder = page_encoder(CompanyOut)
    assert encoder is not None
    record = dict.fromkeys(CompanyOut.model_fields)
    record |= {"id": 1, "name": "Acme", "properties": {}, "created_at": MOMENT}
    record |= {"updated_at": MOMENT, "employees": True}  # pydantic writes a bool as 1
    assert encoder.encode([record], None) is None
    assert b'"employees":1' in validated_page_json(CompanyOut, [record], None)


def test_the_api_page_is_the_one_pydantic_writes_from_the_records(
    api: TestClient, session: Session
) -> None:
    workspace = ensure_workspace(session, "acme")
    admin = make_user(session, workspace, role="admin")
    for score, name in ((90, "Ōtani"), (None, None), (15, "علی")):
        make_contact(
            session,
            workspace,
            first_name=name,
            score=score,
            properties={},
            city="서울" if score else None,
        )
    headers = bearer(session, admin)
    response = api.get("contacts", params={"sort": "-score", "limit": 2}, headers=headers)
    assert response.status_code == 200
    request = ListRequest("contacts", sort=(SortKey("score", True),), limit=2)
    records = list_records(session, principal_for(admin), request).records
    cursor = response.json()["next_cursor"]
    assert cursor is not None
    assert response.content == validated_page_json(ContactOut, records, cursor)
