"""event uuids: the id an SDK gives each event, kept with it and unique per project

posthog-js, posthog-node and posthog-python send a `uuid` with every event, and retry a batch whose answer was
lost. Keeping the uuid in the event log, the quarantine and the outbox, unique per project, lets a resent event be
stored once, shows it in the API and sends it upstream for PostHog's own deduplication. Rows written before this
revision have none (NULL, which a unique index does not compare).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 03:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("event_log", "quarantined_events", "outbox_events")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("uuid", sa.Uuid(), nullable=True))
        op.create_index(f"uq_{table}_project_id_uuid", table, ["project_id", "uuid"], unique=True)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"uq_{table}_project_id_uuid", table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("uuid")
