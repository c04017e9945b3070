"""Applying Alembic migrations from code (the CLI, the server at start-up, and the tests)."""

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from eventschema.db import create_engine


def migrations_path() -> Path:
    """Migrations live at the repository root; a built wheel carries them inside the package."""
    packaged = Path(__file__).parent / "_migrations"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database to `revision`. Runs Alembic's own event loop, so call it outside one."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def pending_revisions(database_url: str) -> list[str]:
    """Revisions not yet applied (empty when the database is current)."""
    script = ScriptDirectory.from_config(alembic_config(database_url))

    def current(connection: Connection) -> tuple[str, ...]:
        return MigrationContext.configure(connection).get_current_heads()

    async def read() -> tuple[str, ...]:
        engine = create_engine(database_url, pool_size=1)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(current)
        finally:
            await engine.dispose()

    heads = asyncio.run(read())
    return [rev.revision for rev in script.iterate_revisions("heads", heads or "base")]
