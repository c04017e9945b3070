"""All tables, importable from one place (Alembic and repositories use this)."""

from eventschema.models.accounts import Organization, OrganizationMembership, PersonalAPIKey, Project, User
from eventschema.models.base import Base, UTCDateTime, utcnow
from eventschema.models.tracking_plan import (
    ENFORCEMENT_MODES,
    PROPERTY_TYPES,
    EventDefinition,
    EventSchema,
    Property,
    PropertyGroup,
)

__all__ = [
    "ENFORCEMENT_MODES",
    "PROPERTY_TYPES",
    "Base",
    "EventDefinition",
    "EventSchema",
    "Organization",
    "OrganizationMembership",
    "PersonalAPIKey",
    "Project",
    "Property",
    "PropertyGroup",
    "UTCDateTime",
    "User",
    "utcnow",
]
