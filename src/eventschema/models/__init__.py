"""All tables, importable from one place (Alembic and repositories use this)."""

from eventschema.models.accounts import (
    ConsoleSession,
    CredentialChange,
    Organization,
    OrganizationInvite,
    OrganizationMembership,
    PersonalAPIKey,
    Project,
    User,
)
from eventschema.models.base import Base, UTCDateTime, utcnow
from eventschema.models.history import PlanChange, PlanVersion
from eventschema.models.ingestion import EventLogEntry, OutboxEvent, QuarantinedEvent, ViolationCount
from eventschema.models.observed import (
    OVERFLOW_EVENT,
    AlertDelivery,
    AlertWebhook,
    ObservedEvent,
    ObservedProperty,
    ObservedValue,
)
from eventschema.models.tracking_plan import (
    ENFORCEMENT_MODES,
    PROPERTY_TYPES,
    EventDefinition,
    EventSchema,
    Property,
    PropertyGroup,
    SchemaChange,
)

__all__ = [
    "ENFORCEMENT_MODES",
    "OVERFLOW_EVENT",
    "PROPERTY_TYPES",
    "AlertDelivery",
    "AlertWebhook",
    "Base",
    "ConsoleSession",
    "CredentialChange",
    "EventDefinition",
    "EventLogEntry",
    "EventSchema",
    "ObservedEvent",
    "ObservedProperty",
    "ObservedValue",
    "Organization",
    "OrganizationInvite",
    "OrganizationMembership",
    "OutboxEvent",
    "PersonalAPIKey",
    "PlanChange",
    "PlanVersion",
    "Project",
    "Property",
    "PropertyGroup",
    "QuarantinedEvent",
    "SchemaChange",
    "UTCDateTime",
    "User",
    "ViolationCount",
    "utcnow",
]
