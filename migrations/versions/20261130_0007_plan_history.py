"""plan history: the after-state of each entity written, numbered versions, and event schema versions

Every write to a tracking plan appends the new state of what it changed to `plan_changes`; versions are numbered
per project in `plan_versions`. Each project that already has a plan gets version 1 holding it as it stands, so
every later version can be rebuilt. Event definitions get PostHog's `schema_version`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 07:00:00
"""

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("event_definitions", sa.Column("schema_version", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "plan_changes",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("change_key", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=False),
        sa.Column("state", sa.JSON(), nullable=True),
        sa.Column("actor", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_plan_changes_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_changes")),
    )
    op.create_index("ix_plan_changes_project_id_entity_id_id", "plan_changes", ["project_id", "entity_id", "id"])
    op.create_index("ix_plan_changes_project_id_version", "plan_changes", ["project_id", "version"])
    op.create_index("ix_plan_changes_project_id_id", "plan_changes", ["project_id", "id"])
    op.create_table(
        "plan_versions",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("change_key", sa.String(length=36), nullable=False),
        sa.Column("actor", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_plan_versions_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", "number", name=op.f("pk_plan_versions")),
    )
    _record_existing_plans()


def _record_existing_plans() -> None:
    """Version 1 of each project with a plan: its entities as they stand (the states `history.states` writes)."""
    bind = op.get_bind()
    states: dict[int, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    properties: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in bind.execute(
        sa.text(
            "SELECT id, property_group_id, name, property_type, is_required, is_optional_in_types, description,"
            " validation_rules FROM schema_properties"
        )
    ).mappings():
        properties[_id(row["property_group_id"])].append(
            {
                "id": _id(row["id"]),
                "name": row["name"],
                "property_type": row["property_type"],
                "is_required": bool(row["is_required"]),
                "is_optional_in_types": bool(row["is_optional_in_types"]),
                "description": row["description"],
                "validation_rules": _json(row["validation_rules"]),
            }
        )
    for row in bind.execute(sa.text("SELECT id, project_id, name, description FROM schema_property_groups")).mappings():
        group_properties = sorted(properties[_id(row["id"])], key=lambda item: item["name"])
        state = {"name": row["name"], "description": row["description"], "properties": group_properties}
        states[row["project_id"]].append(("group", _id(row["id"]), state))
    for row in bind.execute(
        sa.text("SELECT id, project_id, name, description, enforcement_mode, flag_unexpected FROM event_definitions")
    ).mappings():
        state = {
            "name": row["name"],
            "description": row["description"],
            "enforcement_mode": row["enforcement_mode"],
            "flag_unexpected": bool(row["flag_unexpected"]),
        }
        states[row["project_id"]].append(("event", _id(row["id"]), state))
    for row in bind.execute(
        sa.text("SELECT id, project_id, event_definition_id, property_group_id FROM event_schemas")
    ).mappings():
        state = {
            "event_definition_id": _id(row["event_definition_id"]),
            "property_group_id": _id(row["property_group_id"]),
        }
        states[row["project_id"]].append(("link", _id(row["id"]), state))
    for row in bind.execute(sa.text("SELECT id, validation_mode FROM projects WHERE validation_mode <> 'posthog'")):
        states[row[0]].append(("project", str(row[0]), {"validation_mode": row[1]}))
    now = datetime.now(UTC)
    changes = sa.table(
        "plan_changes",
        *(sa.column(name) for name in ("project_id", "change_key", "version", "kind", "entity_id", "created_at")),
        sa.column("state", sa.JSON()),
    )
    versions = sa.table(
        "plan_versions", *(sa.column(name) for name in ("project_id", "number", "change_key", "created_at"))
    )
    for project_id, entries in sorted(states.items()):
        key = str(uuid.uuid4())
        op.bulk_insert(versions, [{"project_id": project_id, "number": 1, "change_key": key, "created_at": now}])
        rows = [
            {
                "project_id": project_id,
                "change_key": key,
                "version": 1,
                "kind": kind,
                "entity_id": entity_id,
                "state": state,
                "created_at": now,
            }
            for kind, entity_id, state in entries
        ]
        op.bulk_insert(changes, rows)


def _id(value: Any) -> str:
    """A UUID column read as text: SQLite keeps 32 hex digits, PostgreSQL a UUID."""
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def downgrade() -> None:
    op.drop_table("plan_versions")
    op.drop_index("ix_plan_changes_project_id_id", table_name="plan_changes")
    op.drop_index("ix_plan_changes_project_id_version", table_name="plan_changes")
    op.drop_index("ix_plan_changes_project_id_entity_id_id", table_name="plan_changes")
    op.drop_table("plan_changes")
    # Not in batch mode: on SQLite it would rebuild event_definitions, and dropping the old table would delete
    # the event schemas that cascade from it. SQLite drops a column itself since 3.35.
    op.execute("ALTER TABLE event_definitions DROP COLUMN schema_version")
