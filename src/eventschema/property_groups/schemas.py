"""Property group and property shapes: <Thing>Read / <Thing>Create / <Thing>Update."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from eventschema.fields import Name400, PartialModel, PropertyName, RequestModel, Text
from eventschema.property_groups.rules import PropertyType, PropertyTypeIn, Rules


class PropertyCreate(RequestModel):
    """A property, as POST .../properties/ takes it and as each entry of a group's `properties` does."""

    name: PropertyName
    property_type: PropertyTypeIn
    is_required: bool = False
    is_optional_in_types: bool = False
    description: Text = ""
    validation_rules: Rules | None = None


class PropertyWrite(PropertyCreate):
    """An entry of a group's `properties`: with the id of an existing property, that property is updated."""

    id: UUID | None = None


class PropertyUpdate(PartialModel):
    """PATCH of one property: the fields sent are changed; `validation_rules: null` removes the rules."""

    NULLABLE = frozenset({"validation_rules"})

    name: PropertyName | None = None
    property_type: PropertyTypeIn | None = None
    is_required: bool | None = None
    is_optional_in_types: bool | None = None
    description: Text | None = None
    validation_rules: Rules | None = None


class PropertyGroupCreate(RequestModel):
    name: Name400
    description: Text = ""
    properties: list[PropertyWrite] = Field(default_factory=list)


class PropertyGroupUpdate(PartialModel):
    name: Name400 | None = None
    description: Text | None = None
    properties: list[PropertyWrite] | None = None


class PropertyRead(BaseModel):
    id: UUID
    name: str
    property_type: PropertyType
    is_required: bool
    is_optional_in_types: bool
    description: str
    validation_rules: Rules | None
    created_at: datetime
    updated_at: datetime


class EventRef(BaseModel):
    id: UUID
    name: str


class UserBasicRead(BaseModel):
    id: int
    uuid: UUID
    distinct_id: str | None
    first_name: str
    last_name: str
    email: str
    is_email_verified: bool | None
    hedgehog_config: dict[str, Any] | None
    role_at_organization: str | None


class PropertyGroupRead(BaseModel):
    id: UUID
    name: str
    description: str
    properties: list[PropertyRead]
    events: list[EventRef]
    created_at: datetime
    updated_at: datetime
    created_by: UserBasicRead | None


class PropertyGroupPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[PropertyGroupRead]
