"""Who may use the registry: organizations, their projects, users and personal API keys."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    Uuid,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from eventschema.ids import uuid7
from eventschema.models.base import Base, UTCDateTime, utcnow


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    name: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The public project API key (phc_...) that SDKs send with captured events.
    api_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # `posthog` checks what PostHog's ingestion checks; `strict` also flags undeclared properties.
    validation_mode: Mapped[str] = mapped_column(String(10), default="posthog", server_default="posthog")
    # Whether the gateway keeps example values of observed properties (off for privacy). Deferred: loaded only
    # where it is asked for by name.
    observe_examples: Mapped[bool] = mapped_column(Boolean, server_default=true(), deferred=True)

    # Server defaults are not read back after an insert: a project is written the same way before and after the
    # migrations that add columns with them.
    __mapper_args__ = {"eager_defaults": False}  # noqa: RUF012


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uuid: Mapped[UUID] = mapped_column(Uuid, unique=True, default=uuid7)
    distinct_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    first_name: Mapped[str] = mapped_column(String(150), default="")
    last_name: Mapped[str] = mapped_column(String(150), default="")
    email: Mapped[str] = mapped_column(String(254), unique=True)
    is_email_verified: Mapped[bool | None] = mapped_column(Boolean)
    hedgehog_config: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    role_at_organization: Mapped[str | None] = mapped_column(String(64))
    current_project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    date_joined: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Argon2id (see auth.passwords); null for a user who never set one (API keys only). Deferred: loading a user
    # does not carry it around; what checks it asks for it.
    password_hash: Mapped[str | None] = mapped_column(String(255), deferred=True)


class OrganizationMembership(Base):
    __tablename__ = "organization_memberships"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    organization_id: Mapped[UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # PostHog's levels: 1 member, 8 admin, 15 owner (auth.rights).
    level: Mapped[int] = mapped_column(SmallInteger, default=1)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the level last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("organization_id", "user_id"),)


class OrganizationInvite(Base):
    """A one-time link to join an organization at a level; only the hash of its token is stored."""

    __tablename__ = "organization_invites"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    organization_id: Mapped[UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    target_email: Mapped[str] = mapped_column(String(254))
    first_name: Mapped[str] = mapped_column(String(150), default="")
    level: Mapped[int] = mapped_column(SmallInteger, default=1)
    token_hash: Mapped[str] = mapped_column(String(100), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    emailing_attempt_made: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PersonalAPIKey(Base):
    __tablename__ = "personal_api_keys"

    id: Mapped[str] = mapped_column(String(50), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(40), default="")
    secure_value: Mapped[str] = mapped_column(String(300), unique=True)
    mask_value: Mapped[str] = mapped_column(String(20))
    # ["*"] or e.g. ["event_definition:read"]; scoped_teams limits the key to those project ids.
    scopes: Mapped[list[str]] = mapped_column(JSON)
    scoped_teams: Mapped[list[int] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ConsoleSession(Base):
    """A sign-in to the web console. The cookie holds a random token; only its SHA-256 is stored, as the id."""

    __tablename__ = "console_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Sent back in X-CSRF-Token (or a form field) with every write the console makes.
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CredentialChange(Base):
    """One committed write that changes what a personal API key may do (see `enforcement.changes.access_changed`).

    The credentials revision is the id of the latest row: each process compares it with the one it read before
    looking up a key it keeps. Rows are appended, never updated, so concurrent writers never wait for each other.
    """

    __tablename__ = "credential_changes"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
