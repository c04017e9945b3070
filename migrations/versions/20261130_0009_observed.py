"""observed traffic: what the gateway sees per event and property, alert webhooks and their deliveries

`observed_events` and `observed_properties` hold counters that every gateway process adds to once a second;
`observed_values` keeps up to a few distinct string values per property (for enum suggestions). The row of
`observed_events` whose event is '' counts the events past the per-project bound. `projects.observe_examples`
turns example values (and kept values) off for a project.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTERS = (
    "null_count",
    "string_count",
    "numeric_count",
    "boolean_count",
    "object_count",
    "array_count",
    "numeric_strings",
    "boolean_strings",
    "datetime_strings",
)


def _project_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["project_id"], ["projects.id"], name=op.f(f"fk_{table}_project_id_projects"), ondelete="CASCADE"
    )


def upgrade() -> None:
    # Not in batch mode: on SQLite it would rebuild projects, and dropping the old table (foreign keys on) would
    # delete what hangs off projects.
    op.add_column("projects", sa.Column("observe_examples", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_table(
        "observed_events",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=400), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("overflow", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        _project_fk("observed_events"),
        sa.PrimaryKeyConstraint("project_id", "event", name=op.f("pk_observed_events")),
    )
    op.create_table(
        "observed_properties",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=400), nullable=False),
        sa.Column("property", sa.String(length=400), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        *(sa.Column(name, sa.BigInteger(), server_default="0", nullable=False) for name in COUNTERS),
        sa.Column("example", sa.JSON(), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        _project_fk("observed_properties"),
        sa.PrimaryKeyConstraint("project_id", "event", "property", name=op.f("pk_observed_properties")),
    )
    op.create_table(
        "observed_values",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=400), nullable=False),
        sa.Column("property", sa.String(length=400), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        _project_fk("observed_values"),
        sa.PrimaryKeyConstraint("project_id", "event", "property", "value", name=op.f("pk_observed_values")),
    )
    op.create_table(
        "alert_webhooks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=400), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _project_fk("alert_webhooks"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_webhooks")),
    )
    op.create_index("ix_alert_webhooks_project_id_created_at", "alert_webhooks", ["project_id", "created_at"])
    op.create_table(
        "alert_deliveries",
        sa.Column("webhook_id", sa.Uuid(), nullable=False),
        sa.Column("event", sa.String(length=400), nullable=False),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["alert_webhooks.id"],
            name=op.f("fk_alert_deliveries_webhook_id_alert_webhooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("webhook_id", "event", "hour", name=op.f("pk_alert_deliveries")),
    )
    op.create_index("ix_alert_deliveries_next_attempt_at", "alert_deliveries", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_alert_deliveries_next_attempt_at", table_name="alert_deliveries")
    op.drop_table("alert_deliveries")
    op.drop_index("ix_alert_webhooks_project_id_created_at", table_name="alert_webhooks")
    op.drop_table("alert_webhooks")
    op.drop_table("observed_values")
    op.drop_table("observed_properties")
    op.drop_table("observed_events")
    op.execute("ALTER TABLE projects DROP COLUMN observe_examples")
