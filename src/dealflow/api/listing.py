"""List parameters of every collection route: ``limit``, ``cursor``, ``sort``, ``q`` and
simple ``field=value`` filters, parsed into a ``ListRequest`` of the CRM layer.

Filters reach the CRM layer as ``Condition`` data through ``FilterParser``; the workflows'
filter language can replace ``equality_filters`` without changing a route. The cursor is
opaque to clients: base64url JSON of the sort it belongs to and the last row's position.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import json
from collections.abc import Awaitable, Callable, Mapping
from functools import cache
from typing import Annotated, Any, Generic, Protocol, TypeVar

from fastapi import Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, TypeAdapter, ValidationError, create_model
from starlette.routing import Match, Route
from starlette.types import Scope

from dealflow.api.deps import Reader, bearer, reader
from dealflow.api.page_encoder import page_encoder
from dealflow.api.schemas.common import MAX_ID, one_of
from dealflow.core.errors import InvalidFieldsError
from dealflow.crm.record_lists import (
    LISTS,
    MAX_PAGE_SIZE,
    MAX_SEARCH_LENGTH,
    MAX_SORT_KEYS,
    Condition,
    Filter,
    ListRequest,
    RowPage,
    SortKey,
    list_rows,
)

DEFAULT_PAGE_SIZE = 50
MAX_CURSOR_LENGTH = 2000

Item = TypeVar("Item", bound=BaseModel)


class Page(BaseModel, Generic[Item]):
    """One page of a list; pass ``next_cursor`` as ``cursor`` to get the next one."""

    data: list[Item]
    next_cursor: str | None = Field(
        description="Opaque; null on the last page. Stable under inserts."
    )
    has_more: bool


class FilterParser(Protocol):
    """Turns the filter parameters of a request into conditions."""

    def __call__(self, given: Mapping[str, str]) -> tuple[Condition, ...]: ...


def equality_filters(given: Mapping[str, str]) -> tuple[Condition, ...]:
    """``field=value`` parameters, each an equality condition."""
    return tuple(Condition(name, value) for name, value in given.items())


def parse_sort(text: str) -> tuple[SortKey, ...]:
    """``-score,created_at`` as sort keys (``-`` for descending)."""
    keys = []
    for part in text.split(","):
        name = part.strip()
        descending = name.startswith("-")
        name = name.removeprefix("-").strip()
        if not name:
            raise InvalidFieldsError([("sort", "give field names like -score,created_at")])
        keys.append(SortKey(name, descending))
    return tuple(keys)


def encode_cursor(sort: tuple[SortKey, ...], position: tuple[Any, ...]) -> str:
    document = {"sort": ",".join(map(str, sort)), "after": list(position)}
    text = json.dumps(document, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, tuple[Any, ...]]:
    """The sort and position a cursor holds, or InvalidFieldsError on anything else."""
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError("too long")
        padded = cursor + "=" * (-len(cursor) % 4)
        document = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        sort, after = document["sort"], document["after"]
        scalars = (str, int, float, type(None))
        if not isinstance(sort, str) or not isinstance(after, list):
            raise ValueError("wrong shape")
        if not after or not all(isinstance(value, scalars) for value in after):
            raise ValueError("wrong position")
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        raise InvalidFieldsError(
            [("cursor", "not a cursor of this list; pass next_cursor unchanged")]
        ) from None
    return sort, tuple(after)


def page_response(request: ListRequest, page: RowPage, schema: type[Item]) -> Response:
    """The JSON response of ``page`` as ``Page[schema]``, without FastAPI reading the page
    back into the response model: written straight from the rows when their values need
    no validation, else the rows validated in one pass and serialised to bytes. The same
    bytes either way."""
    cursor = None
    if page.next_position is not None:
        cursor = encode_cursor(request.sort, page.next_position)
    encoder = page_encoder(schema)
    body = None
    if encoder is not None:
        body = encoder.encode_rows(page, cursor)
    if body is None:
        body = validated_page_json(schema, page.records(), cursor)
    return Response(body, media_type="application/json")


async def serve_page(read: Reader, request: ListRequest, schema: type[Item]) -> Response:
    """The page of ``request`` for the reader's token, as ``Page[schema]`` JSON."""
    return await read.quick(
        lambda session, principal: page_response(
            request, list_rows(session, principal, request), schema
        )
    )


def lean_list_route(path: str, object_type: str, schema: type[Item]) -> Route:
    """``GET path`` as its documented FastAPI route serves it (the token, the parameters,
    the page and every error through the same functions, in the same order), as a plain
    Starlette route put before it: FastAPI's dependency solving was the larger part of a
    page's cost outside the database. The FastAPI route stays for the OpenAPI document."""
    parameters = list_parameters(object_type)

    async def endpoint(request: Request) -> Response:
        read = await reader(request, await bearer(request))
        return await serve_page(read, await parameters(request), schema)

    route = _OnlyItsOwn(path, endpoint, methods=["GET"], include_in_schema=False)
    route.methods = {"GET"}  # as the FastAPI route's (Starlette's would answer HEAD too)
    return route


class _OnlyItsOwn(Route):
    """A route matching only the requests it serves: any other method goes on to the
    documented routes of the path, which answer it as they always did (405 and Allow)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        return (match, child) if match is Match.FULL else (Match.NONE, {})


def validated_page_json(schema: type[Item], records: list[Any], cursor: str | None) -> bytes:
    """``Page[schema]`` of ``records`` (ORM objects or dicts) validated, then dumped."""
    adapter = _page_adapter(schema)
    document = {"data": records, "next_cursor": cursor, "has_more": cursor is not None}
    return adapter.dump_json(adapter.validate_python(document, from_attributes=True))


@cache
def _page_adapter(schema: type[Item]) -> TypeAdapter[Page[Item]]:
    return TypeAdapter(Page[schema])  # type: ignore[valid-type]


def list_parameters(
    object_type: str, filters: FilterParser = equality_filters
) -> Callable[[Request], Awaitable[ListRequest]]:
    """A dependency reading the list parameters of ``object_type`` into a ``ListRequest``;
    empty values count as not given. All are validated in one call (FastAPI would validate
    each on its own), with the errors FastAPI gives; the route documents them with
    ``openapi_extra=list_documentation(object_type)``."""
    spec = LISTS[object_type]
    parameters = _parameters(object_type)
    names = frozenset(parameter.name for parameter in parameters)
    model = create_model(  # type: ignore[call-overload]
        f"{object_type}_list_parameters",
        **{parameter.name: (parameter.annotation, parameter.default) for parameter in parameters},
    )

    async def read(request: Request) -> ListRequest:  # parsing only: on the event loop
        given = {name: v for name, v in request.query_params.items() if name in names}
        try:
            values = model.model_validate(given).__dict__
        except ValidationError as error:
            raise RequestValidationError(
                [{**problem, "loc": ("query", *problem["loc"])} for problem in error.errors()]
            ) from None
        limit, cursor, sort, q = (values.pop(name) for name in ("limit", "cursor", "sort", "q"))
        texts = {
            "q": q,
            **{name: value for name, value in values.items() if isinstance(value, str)},
        }
        refused = [
            (name, "contains a NUL character") for name, v in texts.items() if v and "\x00" in v
        ]
        if refused:  # no database stores NUL in text; PostgreSQL refuses to compare with it
            raise InvalidFieldsError(refused)
        keys = parse_sort(sort) if sort else spec.default_sort
        after = None
        if cursor:
            cursor_sort, after = decode_cursor(cursor)
            if not sort:
                keys = parse_sort(cursor_sort)
            elif cursor_sort != ",".join(map(str, keys)):
                raise InvalidFieldsError([("cursor", f"it belongs to sort={cursor_sort}")])
        conditions = filters(
            {name: str(value) for name, value in values.items() if value not in (None, "")}
        )
        return ListRequest(object_type, conditions, q or "", keys, after, limit)

    return read


@cache
def list_documentation(object_type: str) -> dict[str, Any]:
    """The ``openapi_extra`` of a list route: its query parameters as FastAPI documents them
    for a route taking them one by one (``documented_route``)."""
    document = get_openapi(title="", version="", routes=[documented_route(object_type)])
    return {"parameters": document["paths"]["/"]["get"]["parameters"]}


def documented_route(object_type: str) -> APIRoute:
    """A route taking the list parameters of ``object_type`` one by one, as FastAPI reads
    and documents them (what ``list_parameters`` answers like, in one validation)."""

    async def parameters(**given: Any) -> dict[str, Any]:
        return given

    parameters.__signature__ = inspect.Signature(_parameters(object_type))  # type: ignore[attr-defined]
    return APIRoute("/", parameters, methods=["GET"])


@cache
def _parameters(object_type: str) -> tuple[inspect.Parameter, ...]:
    """The list parameters of ``object_type``: paging, order, search, then its filters."""
    spec = LISTS[object_type]
    sortable = "|".join(sorted(spec.sorts))
    sort_pattern = f"^-?({sortable})(,-?({sortable})){{0,{MAX_SORT_KEYS - 1}}}$"
    fixed = {
        "limit": (int, Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)),
        "cursor": (
            str | None,
            Query(
                None, max_length=MAX_CURSOR_LENGTH, description="`next_cursor` of the previous page"
            ),
        ),
        "sort": (
            str | None,
            Query(
                None,
                pattern=sort_pattern,
                description="Up to three comma-separated fields, `-` for descending: "
                + ", ".join(sorted(spec.sorts)),
            ),
        ),
        "q": (str | None, Query(None, max_length=MAX_SEARCH_LENGTH, description="Search text")),
    }
    return (
        *(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind
            )
            for name, (kind, default) in fixed.items()
        ),
        *(_filter_parameter(object_type, name, spec.filters[name]) for name in spec.filters),
    )


def _filter_parameter(object_type: str, name: str, known: Filter) -> inspect.Parameter:
    """The documented query parameter of one filter: an id, one of fixed choices, or text."""
    description = f"Only {object_type} whose {name} is this"
    annotation: Any = str | None
    if known.column.type.python_type is int:
        annotation = int | None
        default = Query(None, ge=-MAX_ID, le=MAX_ID, description=description)
    elif known.choices:
        annotation = Annotated[str, one_of(known.choices)] | None
        default = Query(None, description=description)
    else:
        default = Query(
            None, max_length=MAX_SEARCH_LENGTH, pattern=known.pattern, description=description
        )
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )
