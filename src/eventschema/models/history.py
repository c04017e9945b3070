"""The history of each project's tracking plan: the state of every entity after each write, and numbered versions.

A write appends the after-state of each entity it changed (`PlanChange`, `state` NULL for a deletion) without
taking any lock another writer waits for; the rows of one transaction share a `change_key`. Version numbers are
given later, in commit order, by whoever first needs them (`history.versions.seal`), under the project's row
lock: numbering at write time would make concurrent writes to one project wait for each other's commit.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from eventschema.models.base import Base, UTCDateTime, utcnow


class PlanChange(Base):
    __tablename__ = "plan_changes"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    change_key: Mapped[str] = mapped_column(String(36))
    version: Mapped[int | None] = mapped_column(Integer)
    # "group", "event", "link" or "project"; entity_id is the object's id as text.
    kind: Mapped[str] = mapped_column(String(10))
    entity_id: Mapped[str] = mapped_column(String(40))
    state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    actor: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_plan_changes_project_id_entity_id_id", "project_id", "entity_id", "id"),
        Index("ix_plan_changes_project_id_version", "project_id", "version"),
        Index("ix_plan_changes_project_id_id", "project_id", "id"),
    )


class PlanVersion(Base):
    __tablename__ = "plan_versions"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    change_key: Mapped[str] = mapped_column(String(36))
    actor: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
