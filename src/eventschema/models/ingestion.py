"""What the capture gateway keeps: accepted events, quarantined events, the upstream outbox, violation counts."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from eventschema.ids import uuid7
from eventschema.models.base import Base, UTCDateTime, utcnow

# The append-only tables capture writes in bulk (event log, quarantine, outbox) have no foreign key to projects:
# PostgreSQL would check it for every row, which was 40% of its work per captured batch. Capture checks (and
# locks) the projects of a commit once instead (see `capture.storage.UnknownProject`).

# Each of them keeps the event's `uuid` (the SDK's, or one given at the door), unique per project so that an event
# sent again (an SDK retrying a batch whose answer it lost) is stored once. Rows older than the column have none.

# SQLite only auto-increments a primary key declared exactly INTEGER.
BigId = BigInteger().with_variant(Integer, "sqlite")


class EventLogEntry(Base):
    """An accepted event, stored locally when no upstream is configured."""

    __tablename__ = "event_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(Integer)  # no foreign key (see the top)
    uuid: Mapped[UUID | None] = mapped_column(Uuid)
    event: Mapped[str] = mapped_column(String(400))
    distinct_id: Mapped[str] = mapped_column(String(200))
    properties: Mapped[dict[str, Any]] = mapped_column(JSON)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_event_log_project_id_received_at", "project_id", received_at.desc()),
        Index("uq_event_log_project_id_uuid", "project_id", "uuid", unique=True),
    )


class QuarantinedEvent(Base):
    """An event its definition or the upstream rejects, kept with its violations until it is replayed or deleted."""

    __tablename__ = "quarantined_events"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    project_id: Mapped[int] = mapped_column(Integer)  # no foreign key (see the top)
    uuid: Mapped[UUID | None] = mapped_column(Uuid)
    event: Mapped[str] = mapped_column(String(400))
    distinct_id: Mapped[str] = mapped_column(String(200))
    properties: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The event's other fields as received (uuid, timestamp, $set, ...), so a replay forwards it whole.
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    violations: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The distinct reasons, comma-separated and sorted: filterable with LIKE on every back end.
    reasons: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_quarantined_events_project_id_received_at", "project_id", "received_at"),
        Index("uq_quarantined_events_project_id_uuid", "project_id", "uuid", unique=True),
    )


class OutboxEvent(Base):
    """An accepted event waiting to be forwarded upstream; deleted once the upstream accepted or refused it."""

    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(Integer)  # no foreign key (see the top)
    token: Mapped[str] = mapped_column(String(64))
    uuid: Mapped[UUID | None] = mapped_column(Uuid)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_outbox_events_next_attempt_at", "next_attempt_at"),
        Index("uq_outbox_events_project_id_uuid", "project_id", "uuid", unique=True),
    )


class ViolationCount(Base):
    """How often one property of one event failed for one reason, per hour."""

    __tablename__ = "schema_violation_counts"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    hour: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    event: Mapped[str] = mapped_column(String(400), primary_key=True)
    property: Mapped[str] = mapped_column(String(400), primary_key=True)
    reason: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)

    # Sums per event, property and reason over a range of hours (the Violations page, the API's violations) read
    # this index alone, already grouped, instead of sorting the range's rows.
    __table_args__ = (
        Index(
            "ix_schema_violation_counts_sums",
            "project_id",
            "event",
            "property",
            "reason",
            "hour",
            "count",
        ),
    )
