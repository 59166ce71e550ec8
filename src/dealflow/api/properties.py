"""Custom property definitions: everyone lists them, admins define them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from dealflow.api.deps import PrincipalDep, SessionDep
from dealflow.api.errors import ERROR_RESPONSES
from dealflow.api.schemas.properties import ObjectType, PropertyCreate, PropertyOut
from dealflow.crm.access import ensure_admin
from dealflow.crm.properties import define_property, definitions

router = APIRouter(prefix="/properties", tags=["properties"], responses=ERROR_RESPONSES)


@router.get("")
def list_properties(
    session: SessionDep, principal: PrincipalDep, object_type: Annotated[ObjectType, Query()]
) -> list[PropertyOut]:
    """The custom properties of one object type, by name."""
    found = definitions(session, principal.workspace_id, object_type)
    return [PropertyOut.model_validate(found[name]) for name in sorted(found)]


@router.post("", status_code=201)
def create_property(
    session: SessionDep, principal: PrincipalDep, definition: PropertyCreate
) -> PropertyOut:
    """Define a custom property (admins only)."""
    ensure_admin(principal, "define custom properties")
    created = define_property(
        session,
        principal.workspace_id,
        definition.object_type,
        definition.name,
        definition.value_type,
        label=definition.label,
        options=definition.options,
        description=definition.description,
    )
    return PropertyOut.model_validate(created)
