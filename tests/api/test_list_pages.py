"""Every list page the API serves is, byte for byte, the page pydantic writes from the ORM
records of the general path (``list_records``, then ``Page[schema]`` validated), whatever the
list, viewer, filter, search, order, limit and cursor; served again (rows written before are
reused), it is the same; a row that changed is served changed at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from dealflow.api.app import LEAN_LIST_ROUTES, create_api
from dealflow.api.listing import decode_cursor, encode_cursor, parse_sort, validated_page_json
from dealflow.api.page_encoder import _rememberable
from dealflow.api.schemas.activities import ActivityOut
from dealflow.api.schemas.companies import CompanyOut
from dealflow.api.schemas.contacts import ContactOut
from dealflow.api.schemas.deals import DealOut
from dealflow.api.schemas.tickets import TicketOut
from dealflow.crm.record_lists import LISTS, Condition, ListRequest, list_records, list_rows
from dealflow.models import Contact, Deal, Workspace
from tests.api.conftest import _sessions, bearer
from tests.crm.test_access import SEES, Org
from tests.factories import make_contact, make_deal

SCHEMAS: dict[str, type[BaseModel]] = {
    "contacts": ContactOut,
    "companies": CompanyOut,
    "deals": DealOut,
    "tickets": TicketOut,
    "activities": ActivityOut,
}
MOMENT = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)
ODD_REASONS: list[Any] = [
    None,
    [],
    ["a sentence", {"text": "Replied", "feature": "f", "value": 3, "impact": 20}],
    [{"impact": -1.5, "text": "keys out of order", "value": {"nested": [1, None, "x"]}}],
    [{"text": 5}, "kept", 7, {"no": "text"}, {"text": "ok", "feature": None}],
]
ODD_PROPERTIES: list[dict[str, Any]] = [
    {},
    {"plan": {"seats": 10**30, "ratio": 0.1, "tags": ["a", None]}},
    {"zero": -0.0, "big": 1e300, "text": 'Zoë 山田 "quoted" \\ \u2028'},
    {"zero": 0.0},
]


@pytest.fixture
def odd_rows(session: Session, workspace: Workspace, org: Org) -> None:
    """Contacts and deals of every owner with odd values: ties, NULLs, unicode, documents
    whose JSON differs only in a float's sign, reasons pydantic converts or drops."""
    owners = [org.users[key] for key in ("rep", "teammate", "west_rep", "admin")]
    for n in range(12):
        owner = owners[n % len(owners)]
        contact = make_contact(
            session,
            workspace,
            first_name=("Ada", "Ōtani", "علی", None)[n % 4],
            owner_id=owner.id,
            city="서울" if n % 3 else None,
        )
        contact_row: Any = session.get(Contact, contact.id)
        contact_row.properties = ODD_PROPERTIES[n % len(ODD_PROPERTIES)]
        contact_row.score = (90, 90, None, 15, 0)[n % 5]
        contact_row.score_band = ("A", "A", None, "D", "D")[n % 5]
        contact_row.score_reasons = ODD_REASONS[n % len(ODD_REASONS)]
        contact_row.scored_at = MOMENT + timedelta(minutes=n) if n % 2 else None
        deal = make_deal(
            session,
            workspace,
            owner_id=owner.id,
            amount=(Decimal("1.00"), Decimal("1.5"), None, Decimal("99999.99"))[n % 4],
        )
        deal_row: Any = session.get(Deal, deal.id)
        deal_row.properties = ODD_PROPERTIES[(n + 1) % len(ODD_PROPERTIES)]
        deal_row.win_probability = (70, None, 70, 3)[n % 4]
        deal_row.win_reasons = ODD_REASONS[(n + 2) % len(ODD_REASONS)]
    session.flush()


def _sorts(object_type: str) -> st.SearchStrategy[str | None]:
    fields = sorted(LISTS[object_type].sorts)
    key = st.builds(
        lambda name, down: f"-{name}" if down else name, st.sampled_from(fields), st.booleans()
    )
    return st.none() | st.lists(key, min_size=1, max_size=2).map(",".join)


@st.composite
def list_calls(draw: st.DrawFn) -> tuple[str, str, dict[str, Any], int]:
    """A list, a viewer, the parameters of its first page, and how many pages to follow."""
    object_type = draw(st.sampled_from(sorted(SCHEMAS)))
    params: dict[str, Any] = {"limit": draw(st.integers(1, 7))}
    sort = draw(_sorts(object_type))
    if sort:
        params["sort"] = sort
    search = draw(st.sampled_from(["", "a", "Ōtani", "zz"]))
    if search:
        params["q"] = search
    return object_type, draw(st.sampled_from(sorted(SEES))), params, draw(st.integers(1, 4))


def _general_page(
    session: Session, org: Org, viewer: str, object_type: str, params: dict[str, Any]
) -> bytes:
    """The page as the general path writes it: ORM records, validated by pydantic."""
    spec = LISTS[object_type]
    cursor = params.get("cursor")
    after = None
    sort = parse_sort(params["sort"]) if "sort" in params else spec.default_sort
    if cursor:
        cursor_sort, after = decode_cursor(cursor)
        sort = parse_sort(cursor_sort)
    conditions = tuple(
        Condition(name, str(value)) for name, value in params.items() if name in spec.filters
    )
    request = ListRequest(
        object_type, conditions, params.get("q", ""), sort, after, params["limit"]
    )
    page = list_records(session, org.principal(viewer), request)
    next_cursor = None
    if page.next_position is not None:
        next_cursor = encode_cursor(sort, page.next_position)
    return validated_page_json(SCHEMAS[object_type], page.records, next_cursor)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(call=list_calls(), owner_filter=st.booleans())
def test_every_page_is_the_one_the_general_path_writes(
    api: TestClient,
    session: Session,
    org: Org,
    odd_rows: None,
    call: tuple[str, str, dict[str, Any], int],
    owner_filter: bool,
) -> None:
    object_type, viewer, params, pages = call
    if owner_filter:
        params = {**params, "owner_id": org.users["rep"].id}
    headers = bearer(session, org.users[viewer])
    for _ in range(pages):
        served = [api.get(object_type, params=params, headers=headers) for _ in range(2)]
        assert [response.status_code for response in served] == [200, 200]
        expected = _general_page(session, org, viewer, object_type, params)
        assert served[0].content == expected
        assert served[1].content == expected  # the rows written before, reused
        cursor = served[0].json()["next_cursor"]
        if cursor is None:
            break
        params = {**params, "cursor": cursor}


def test_a_changed_row_is_served_changed(
    api: TestClient, session: Session, org: Org, odd_rows: None
) -> None:
    headers = bearer(session, org.users["admin"])
    params = {"sort": "-score", "limit": 3}
    first = api.get("contacts", params=params, headers=headers).json()["data"][0]

    changed = api.patch(f"contacts/{first['id']}", json={"city": "Kyōto"}, headers=headers)
    assert changed.status_code == 200
    again = api.get("contacts", params=params, headers=headers)

    assert again.json()["data"][0]["city"] == "Kyōto"
    assert again.content == _general_page(session, org, "admin", "contacts", params)


def test_a_revoked_token_is_refused_at_once(
    api: TestClient, session: Session, org: Org, odd_rows: None
) -> None:
    headers = bearer(session, org.users["admin"])
    assert api.get("contacts", params={"sort": "-score"}, headers=headers).status_code == 200
    token_id = api.get("tokens", headers=headers).json()[0]["id"]

    assert api.delete(f"tokens/{token_id}", headers=headers).status_code == 200
    refused = api.get("contacts", params={"sort": "-score"}, headers=headers)

    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("sort", ["-score", "scored_at", "-created_at", "last_name"])
def test_following_the_cursors_reaches_every_row_once(
    api: TestClient, session: Session, org: Org, odd_rows: None, sort: str
) -> None:
    """Pages end on NULL scores and on times too (both were a 500 before)."""
    headers = bearer(session, org.users["admin"])
    params: dict[str, Any] = {"sort": sort, "limit": 2}
    seen: list[int] = []
    while True:
        page = api.get("contacts", params=params, headers=headers)
        assert page.status_code == 200, page.text
        seen += [row["id"] for row in page.json()["data"]]
        if page.json()["next_cursor"] is None:
            break
        params["cursor"] = page.json()["next_cursor"]
    everyone = api.get("contacts", params={"limit": 200}, headers=headers).json()["data"]

    assert sorted(seen) == sorted(row["id"] for row in everyone)
    assert len(seen) == len(set(seen)) > 12


@pytest.fixture
def documented_only(connection: Connection) -> Iterator[TestClient]:
    """The API with its list GETs served by the documented FastAPI routes alone."""
    app = create_api(_sessions(connection))
    mounted: Any = app.routes[0]
    mounted.app.router.routes = [
        route for route in mounted.app.router.routes if route not in LEAN_LIST_ROUTES
    ]
    with TestClient(app, base_url="http://testserver/api/v1/") as client:
        yield client


query_values = st.text(max_size=6) | st.integers(-3, 300).map(str)
query_names = st.sampled_from(
    ["limit", "cursor", "sort", "q", "owner_id", "lifecycle_stage", "band", "email", "nope"]
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    object_type=st.sampled_from(sorted(SCHEMAS)),
    params=st.dictionaries(query_names, query_values, max_size=3),
    credentials=st.sampled_from(["valid", "none", "unknown", "basic", "empty"]),
    method=st.sampled_from(["GET", "GET", "GET", "HEAD", "PUT"]),
)
def test_the_lean_route_answers_as_the_documented_one(
    api: TestClient,
    documented_only: TestClient,
    session: Session,
    org: Org,
    odd_rows: None,
    object_type: str,
    params: dict[str, str],
    credentials: str,
    method: str,
) -> None:
    valid = bearer(session, org.users["manager"])["Authorization"]
    header = {
        "valid": valid,
        "unknown": "Bearer dft_unknown",
        "basic": "Basic dXNlcjpwYXNz",
        "empty": "Bearer ",
    }.get(credentials)
    headers = {"Authorization": header} if header is not None else {}
    lean, documented = (
        client.request(method, object_type, params=params, headers=headers)
        for client in (api, documented_only)
    )
    assert lean.status_code == documented.status_code
    event(f"status {lean.status_code}")
    assert lean.content == documented.content
    same = ("content-type", "www-authenticate", "allow")
    assert [lean.headers.get(name) for name in same] == [
        documented.headers.get(name) for name in same
    ]


def test_rows_with_numbers_equal_without_being_the_same_are_written_anew(
    session: Session, org: Org, odd_rows: None
) -> None:
    """A deal's amount (a decimal, or a float on SQLite: 1.0 == 1.00, -0.0 == 0.0) keeps its
    rows from being reused; contacts hold no such column."""
    admin = org.principal("admin")
    deals = list_rows(session, admin, ListRequest("deals", limit=50))
    contacts = list_rows(session, admin, ListRequest("contacts", limit=50))

    assert deals.converter.inexact == (deals.names.index("amount"),)
    assert not _rememberable(deals)  # 1.5 and 99999.99 are among the amounts
    assert contacts.converter.inexact == ()
    assert _rememberable(contacts)
