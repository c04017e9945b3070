"""capture's append-only tables without foreign keys to projects: the writer checks projects once per commit

PostgreSQL checked the foreign key of every event written (a trigger and a lookup per row): 40% of the
database's work per captured batch. The capture writer instead locks the projects of a commit once
(`SELECT ... FOR KEY SHARE`) and refuses the rows of a project that no longer exists, which keeps the same
guarantee for these tables.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 07:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("event_log", "quarantined_events", "outbox_events")


def upgrade() -> None:
    for table in TABLES:
        # On SQLite, batch mode rebuilds the table without the constraint.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"fk_{table}_project_id_projects"), type_="foreignkey")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(
                op.f(f"fk_{table}_project_id_projects"), "projects", ["project_id"], ["id"], ondelete="CASCADE"
            )
