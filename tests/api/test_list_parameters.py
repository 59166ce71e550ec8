"""The list parameters, validated in one call, answer as FastAPI reading them one by one
(``documented_route``, which also writes their documentation) would: the same 422 body for
the same bad query, the same values for a good one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealflow.api.errors import install_error_handlers
from dealflow.api.listing import documented_route, list_parameters
from dealflow.crm.record_lists import LISTS, ListRequest

TYPES = sorted(LISTS)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = FastAPI()
    install_error_handlers(app)
    for object_type in TYPES:
        documented = documented_route(object_type)
        app.add_api_route(f"/one-by-one/{object_type}", documented.endpoint, methods=["GET"])
        _add_reader(app, object_type)
    with TestClient(app) as client:
        yield client


def _add_reader(app: FastAPI, object_type: str) -> None:
    parameters = Depends(list_parameters(object_type))

    @app.get(f"/in-one/{object_type}")
    async def read(request: ListRequest = parameters) -> dict[str, Any]:
        return {
            "limit": request.limit,
            "search": request.search,
            "sort": [str(key) for key in request.sort],
            "conditions": {condition.field: condition.value for condition in request.conditions},
        }


FILTERS = sorted({name for spec in LISTS.values() for name in spec.filters})
NAMES = st.sampled_from([*FILTERS, "limit", "cursor", "sort", "q", "unknown"])
VALUES = st.one_of(
    st.sampled_from(["", "0", "1", "50", "201", "-3", "1e3", "9" * 25, "abc", "email", "lead"]),
    st.sampled_from(["-score", "score,-id", "-score,id,email,name", "nope", "EUR", "eu", "2.0"]),
    st.text(max_size=8),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    object_type=st.sampled_from(TYPES),
    query=st.lists(st.tuples(NAMES, VALUES), max_size=5),
)
def test_one_validation_answers_as_fastapi_does_one_by_one(
    client: TestClient, object_type: str, query: list[tuple[str, str]]
) -> None:
    one_by_one = client.get(f"/one-by-one/{object_type}", params=query)
    in_one = client.get(f"/in-one/{object_type}", params=query)

    if one_by_one.status_code == 422:
        assert in_one.status_code == 422
        assert in_one.json() == one_by_one.json()
        return
    assert one_by_one.status_code == 200
    if in_one.status_code == 422:  # NUL characters and cursors are checked after validation
        fields = {problem["field"] for problem in in_one.json()["error"]["fields"]}
        assert fields <= {"cursor", *(name for name, value in query if "\x00" in value)}
        return
    given = one_by_one.json()
    read = in_one.json()
    assert read["limit"] == given["limit"]
    assert read["search"] == (given["q"] or "")
    filters = LISTS[object_type].filters
    expected = {n: str(v) for n, v in given.items() if n in filters and v not in (None, "")}
    assert read["conditions"] == expected
    if given["sort"] and not given["cursor"]:
        assert ",".join(read["sort"]) == given["sort"]
