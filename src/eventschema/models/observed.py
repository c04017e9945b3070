"""What the gateway learns from traffic (observed events, properties and values) and the alert webhooks."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from eventschema.ids import uuid7
from eventschema.models.base import Base, UTCDateTime, utcnow

# The row of `observed_events` that counts the events of names past the per-project bound (no name is empty).
OVERFLOW_EVENT = ""


class ObservedEvent(Base):
    """How many events of one name the gateway saw, and how many property occurrences were past the bound."""

    __tablename__ = "observed_events"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    event: Mapped[str] = mapped_column(String(400), primary_key=True)
    events: Mapped[int] = mapped_column(BigInteger)
    overflow: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)


class ObservedProperty(Base):
    """One property of one event: how many events carried it, with values of which JSON types.

    `*_strings` count string values that PostHog's coercions would read as a number, a boolean or a date-time.
    """

    __tablename__ = "observed_properties"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    event: Mapped[str] = mapped_column(String(400), primary_key=True)
    property: Mapped[str] = mapped_column(String(400), primary_key=True)
    events: Mapped[int] = mapped_column(BigInteger)
    null_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    string_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    numeric_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    boolean_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    object_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    array_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    numeric_strings: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    boolean_strings: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    datetime_strings: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    example: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)


class ObservedValue(Base):
    """A distinct string value of a property; kept only while a property has few (see `observed.tally`)."""

    __tablename__ = "observed_values"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    event: Mapped[str] = mapped_column(String(400), primary_key=True)
    property: Mapped[str] = mapped_column(String(400), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)


class AlertWebhook(Base):
    __tablename__ = "alert_webhooks"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    # Violations of one event in one hour that trigger the alert.
    threshold: Mapped[int] = mapped_column(Integer)
    # Only this event's violations; None: every event's.
    event: Mapped[str | None] = mapped_column(String(400), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_alert_webhooks_project_id_created_at", "project_id", "created_at"),)


class AlertDelivery(Base):
    """One alert: a webhook, an event, an hour. Its key makes it one POST per event per hour, whoever sends it."""

    __tablename__ = "alert_deliveries"

    webhook_id: Mapped[UUID] = mapped_column(ForeignKey("alert_webhooks.id", ondelete="CASCADE"), primary_key=True)
    event: Mapped[str] = mapped_column(String(400), primary_key=True)
    hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)

    __table_args__ = (Index("ix_alert_deliveries_next_attempt_at", "next_attempt_at"),)
