"""Property group and property shapes: <Thing>Read / <Thing>Create / <Thing>Update."""

from datetime import datetime
from typing import Annotated, Any, Literal, get_args
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from eventschema.fields import Name400, PartialModel, PropertyName, RequestModel, Text

PropertyType = Literal["DateTime", "String", "Numeric", "Boolean", "Object"]
_CHOICES = ", ".join(get_args(PropertyType))


def _known_type(value: Any) -> Any:
    """PostHog's invalid-choice message, followed by the choices, so a typo can be fixed without the docs."""
    if value is None or value in get_args(PropertyType):
        return value  # None: reported by the field itself as "may not be null"
    raise PydanticCustomError(
        "invalid_choice",
        '"{value}" is not a valid choice. Choose one of: {choices}.',
        {"value": value, "choices": _CHOICES},
    )


PropertyTypeIn = Annotated[PropertyType, BeforeValidator(_known_type)]


class PropertyWrite(RequestModel):
    id: UUID | None = None
    name: PropertyName
    property_type: PropertyTypeIn
    is_required: bool = False
    is_optional_in_types: bool = False
    description: Text = ""


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
