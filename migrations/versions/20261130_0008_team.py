"""team: passwords, membership updates and invitations

Users may set a password (Argon2id hash) when they accept an invitation; memberships record when their level last
changed (existing ones: when they joined); invitations keep the hash of their one-time token, never the token.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("password_hash", sa.String(length=255), nullable=True))
    op.add_column("organization_memberships", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE organization_memberships SET updated_at = joined_at")
    with op.batch_alter_table("organization_memberships", schema=None) as batch_op:
        batch_op.alter_column("updated_at", existing_type=sa.DateTime(timezone=True), nullable=False)
    op.create_table(
        "organization_invites",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("target_email", sa.String(length=254), nullable=False),
        sa.Column("first_name", sa.String(length=150), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("token_hash", sa.String(length=100), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("emailing_attempt_made", sa.Boolean(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_organization_invites_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_organization_invites_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_organization_invites_token_hash")),
    )
    with op.batch_alter_table("organization_invites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_invites_organization_id"), ["organization_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("organization_invites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_invites_organization_id"))
    op.drop_table("organization_invites")
    with op.batch_alter_table("organization_memberships", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("password_hash")
