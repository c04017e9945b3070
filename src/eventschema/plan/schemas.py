"""The plan document's shape (what a plan file may say) and the diff/apply request."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from eventschema.event_definitions.schemas import EnforcementMode
from eventschema.fields import Name400, PropertyName, Text
from eventschema.property_groups.rules import PropertyTypeIn, Rules

ValidationMode = Literal["posthog", "strict"]


class _Strict(BaseModel):
    # A misspelt key in a reviewed file must not be silently ignored.
    model_config = ConfigDict(extra="forbid")


class PropertyDocument(_Strict):
    property_type: PropertyTypeIn
    is_required: bool = False
    is_optional_in_types: bool = False
    description: Text = ""
    # The same rules, checked the same way, as the API's (property_groups.rules).
    validation_rules: Rules | None = None


class GroupDocument(_Strict):
    description: Text = ""
    properties: dict[PropertyName, PropertyDocument] = Field(default_factory=dict)


class EventDocument(_Strict):
    description: Text = ""
    enforcement_mode: EnforcementMode = "allow"
    flag_unexpected: bool = False
    property_groups: list[Name400] = Field(default_factory=list)


class PlanDocument(_Strict):
    version: Literal[1]
    # Absent: the project's mode is left as it is.
    validation_mode: ValidationMode | None = None
    property_groups: dict[Name400, GroupDocument] = Field(default_factory=dict)
    events: dict[Name400, EventDocument] = Field(default_factory=dict)


class PlanRequest(BaseModel):
    """POST plan/diff/ and plan/apply/: the document (an object, or its YAML/JSON text) and the options."""

    plan: dict[str, Any] | str
    dry_run: bool = False
    prune: bool = False


class PlanBody(BaseModel):
    """The request as documented: the plan as an object (its YAML or JSON text is accepted too)."""

    plan: PlanDocument
    dry_run: bool = False
    prune: bool = False


class PlanChanges(BaseModel):
    changes: list[dict[str, Any]]
    version: int
