"""validation rules: a JSON object of rules per property, beyond its type

PostHog added `validation_rules` to each property of a property group (enum, not-enum, ranges); eventschema
accepts those and more (patterns, lengths, formats, nested objects, typed arrays). NULL means no rules, which is
what every existing property gets.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("schema_properties", sa.Column("validation_rules", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schema_properties", schema=None) as batch_op:
        batch_op.drop_column("validation_rules")
