"""an index for sums of violation counters per event, property and reason

The Violations page and `event_schemas/violations/` sum a range of hours per (event, property, reason). The
counters' primary key starts with the hour, so the database sorted every counter of the range to group them; this
index holds them in group order with their counts, so the sums are read from it alone. It costs one index entry per
counter the gateway adds to (a counter is written once per batch that breaks that property, not per event).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 11:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_schema_violation_counts_sums"


def upgrade() -> None:
    op.create_index(INDEX, "schema_violation_counts", ["project_id", "event", "property", "reason", "hour", "count"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="schema_violation_counts")
