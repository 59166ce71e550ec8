"""Custom property definitions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from dealflow.api.schemas.common import Input, Output, checked_choice, one_of
from dealflow.crm.objects import OBJECTS, PROPERTY_VALUE_TYPES

CUSTOMISABLE = tuple(name for name, spec in OBJECTS.items() if spec.has_custom_properties)

ObjectType = Annotated[
    str, one_of(CUSTOMISABLE), AfterValidator(checked_choice(CUSTOMISABLE, "object_type"))
]
ValueType = Annotated[
    str,
    one_of(PROPERTY_VALUE_TYPES),
    AfterValidator(checked_choice(PROPERTY_VALUE_TYPES, "value_type")),
]


class PropertyOut(Output):
    id: int
    object_type: str
    name: str
    label: str
    value_type: str
    options: list[str] | None
    description: str | None
    created_at: datetime


class PropertyCreate(Input):
    """A custom property; defining one that exists with the same type returns it (new enum
    options are added)."""

    object_type: ObjectType
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=100, examples=["budget_band"])
    value_type: ValueType
    label: str | None = Field(None, min_length=1, max_length=200)
    options: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = Field(
        None, max_length=500, description="The choices of an enum property"
    )
    description: str | None = Field(None, max_length=2000)
