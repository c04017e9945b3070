"""enforcement and capture: validation modes, schema versions, event log, quarantine, outbox, violation counts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 04:08:27.880950
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _project_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["project_id"], ["projects.id"], name=op.f(f"fk_{table}_project_id_projects"), ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("validation_mode", sa.String(length=10), server_default="posthog", nullable=False)
        )
        batch_op.add_column(sa.Column("schema_version", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("event_definitions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flag_unexpected", sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table(
        "event_log",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=400), nullable=False),
        sa.Column("distinct_id", sa.String(length=200), nullable=False),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        _project_fk("event_log"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_log")),
    )
    op.create_index(
        "ix_event_log_project_id_received_at", "event_log", ["project_id", sa.text("received_at DESC")], unique=False
    )

    op.create_table(
        "quarantined_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=400), nullable=False),
        sa.Column("distinct_id", sa.String(length=200), nullable=False),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("violations", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.String(length=100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        _project_fk("quarantined_events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantined_events")),
    )
    op.create_index(
        "ix_quarantined_events_project_id_received_at",
        "quarantined_events",
        ["project_id", "received_at"],
        unique=False,
    )

    op.create_table(
        "outbox_events",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        _project_fk("outbox_events"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
    )
    op.create_index("ix_outbox_events_next_attempt_at", "outbox_events", ["next_attempt_at"], unique=False)

    op.create_table(
        "schema_violation_counts",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event", sa.String(length=400), nullable=False),
        sa.Column("property", sa.String(length=400), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        _project_fk("schema_violation_counts"),
        sa.PrimaryKeyConstraint(
            "project_id", "hour", "event", "property", "reason", name=op.f("pk_schema_violation_counts")
        ),
    )


def downgrade() -> None:
    op.drop_table("schema_violation_counts")
    op.drop_index("ix_outbox_events_next_attempt_at", table_name="outbox_events")
    op.drop_table("outbox_events")
    op.drop_index("ix_quarantined_events_project_id_received_at", table_name="quarantined_events")
    op.drop_table("quarantined_events")
    op.drop_index("ix_event_log_project_id_received_at", table_name="event_log")
    op.drop_table("event_log")
    with op.batch_alter_table("event_definitions", schema=None) as batch_op:
        batch_op.drop_column("flag_unexpected")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("schema_version")
        batch_op.drop_column("validation_mode")
