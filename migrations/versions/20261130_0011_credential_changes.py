"""credential changes as rows: the credentials revision is the id of the latest

Each process keeps the personal API keys it has checked. Every write that changes what such a key may do (a
revoked key, a member's level, a removed member, a rotated project API key) appends a row here, and each use of a
kept key compares the latest id with the one read before the key was looked up, so no process acts on a key after
the change has committed, whether or not a notification reached it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "credential_changes",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential_changes")),
    )


def downgrade() -> None:
    op.drop_table("credential_changes")
