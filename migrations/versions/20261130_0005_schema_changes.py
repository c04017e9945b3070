"""schema changes as rows: a project's schema version is the id of its latest change

Every write to a project's tracking plan bumped `projects.schema_version`, which held the project's row lock
until the write committed: concurrent writes to one project ran one after another, each waiting for the
previous commit to reach the disk. Appending a row to `schema_changes` takes no lock another writer waits for.
Each existing project gets one change, so its version stays above zero.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # Not in batch mode: on SQLite it would rebuild projects, and dropping the old table (foreign keys on) would
    # delete every row that cascades from it. SQLite drops a column itself since 3.35.
    op.execute("ALTER TABLE projects DROP COLUMN schema_version")
    op.create_table(
        "schema_changes",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_schema_changes_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schema_changes")),
    )
    op.create_index("ix_schema_changes_project_id_id", "schema_changes", ["project_id", "id"], unique=False)
    op.execute(
        "INSERT INTO schema_changes (project_id, changed_at) SELECT id, CURRENT_TIMESTAMP FROM projects ORDER BY id"
    )


def downgrade() -> None:
    op.add_column("projects", sa.Column("schema_version", sa.Integer(), server_default="1", nullable=False))
    op.drop_index("ix_schema_changes_project_id_id", table_name="schema_changes")
    op.drop_table("schema_changes")
