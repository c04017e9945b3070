"""The tracking plan: event definitions, property groups with typed properties, and the links between them."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from eventschema.ids import uuid7
from eventschema.models.base import Base, UTCDateTime, utcnow

PROPERTY_TYPES = ("DateTime", "String", "Numeric", "Boolean", "Object", "Any", "Array")
ENFORCEMENT_MODES = ("allow", "warn", "reject")


class EventDefinition(Base):
    __tablename__ = "event_definitions"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(400))
    description: Mapped[str] = mapped_column(Text, default="")
    enforcement_mode: Mapped[str] = mapped_column(String(10), default="allow")
    # In strict mode, report properties no linked group declares.
    flag_unexpected: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # PostHog's schema_version: grows by one with each change affecting the event (its fields, its links, its groups).
    schema_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("project_id", "name"),)


class PropertyGroup(Base):
    __tablename__ = "schema_property_groups"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(400))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped whenever anything shown in the group's representation changes (its fields, its
    # properties, the events linked to it or their names), so rendered groups can be cached.
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (UniqueConstraint("project_id", "name"),)


class Property(Base):
    __tablename__ = "schema_properties"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    property_group_id: Mapped[UUID] = mapped_column(ForeignKey("schema_property_groups.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(400))
    property_type: Mapped[str] = mapped_column(String(50))
    is_required: Mapped[bool] = mapped_column(Boolean, default=False)
    is_optional_in_types: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    # Rules beyond the type (enum, ranges, pattern, nested properties, ...), a JSON object; None: no rules.
    # Stored normalised (property_groups.rules); None is SQL NULL, not a JSON null.
    validation_rules: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("property_group_id", "name"),)


class EventSchema(Base):
    """Links one property group to one event definition (of the same project)."""

    __tablename__ = "event_schemas"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    event_definition_id: Mapped[UUID] = mapped_column(ForeignKey("event_definitions.id", ondelete="CASCADE"))
    property_group_id: Mapped[UUID] = mapped_column(
        ForeignKey("schema_property_groups.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("event_definition_id", "property_group_id"),
        Index("ix_event_schemas_project_id_created_at_id", "project_id", "created_at", "id"),
    )


class SchemaChange(Base):
    """One committed write that can change how a project's events are checked.

    A project's schema version is the id of its latest change: each process compares it with the version its
    compiled checkers were built from. Writers append a row instead of bumping a counter on the project, so
    concurrent writes to one project never wait for each other's row lock.
    """

    __tablename__ = "schema_changes"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_schema_changes_project_id_id", "project_id", "id"),)
